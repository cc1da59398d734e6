/**
 * Every option of `ActivityWorker`, documented where it is declared, with its default; `resolveOptions` checks
 * them once, in the constructor, and refuses an unknown or ill-typed one with a TypeError naming it.
 */
import { hostname } from 'node:os';
import type { InputValidator, StandardSchemaV1 } from './input-validation.js';
import { refuseUnknown, type SfnConnectionOptions } from './task-tokens.js';

/** What a handler gets besides the input. */
export interface TaskContext {
  /**
   * The task's token, should the handler want to hand the task on (answer it later with `TaskTokens`). Never log
   * it whole: it is a bearer credential for this task.
   */
  readonly taskToken: string;

  /**
   * Sends a heartbeat now (the worker already sends them every `heartbeatIntervalMs`; this one also restarts that
   * interval). Resolves once the API has accepted it. When the task no longer exists (TaskTimedOut,
   * TaskDoesNotExist) `signal` aborts and the promise rejects with the SDK's error.
   */
  heartbeat(): Promise<void>;

  /**
   * Aborts when the handler's work is no longer wanted: the task timed out (a heartbeat was answered
   * TaskTimedOut; `signal.reason.name` is `ActivityWorker.TaskTimedOut`), or the worker is stopping and
   * `shutdownGraceMs` has passed (`ActivityWorker.WorkerStopped`). Pass it on to `fetch`, child processes, etc.
   * After a time-out nothing is reported (the token is dead); after a stop, whatever the handler returns or throws
   * is still reported.
   */
  readonly signal: AbortSignal;
}

/**
 * Runs one task. Returns the output (serialised as JSON for SendTaskSuccess; `undefined` is `null`), or throws:
 * the error's `name` becomes SendTaskFailure's `error` and its `message` the `cause`, so a Retry or Catch in the
 * state machine can match it by name.
 */
export type ActivityHandler<I, O> = (input: I, context: TaskContext) => Promise<O> | O;

/** Where the worker reports what goes wrong outside a handler (poll errors, failed reports). */
export interface WorkerLogger {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface ActivityWorkerOptions<I = unknown, O = unknown> extends SfnConnectionOptions {
  /** The ARN of the activity to serve (CreateActivity's `activityArn`). Required. */
  activityArn: string;

  /** The function that runs each task. Required. See `ActivityHandler`. */
  handler: ActivityHandler<I, O>;

  /**
   * How many tasks run at once; also the number of long polls open while the worker is idle. Each polling slot
   * holds one HTTP connection for up to 60 s (GetActivityTask's long poll).
   * @default 1
   */
  concurrency?: number;

  /**
   * The name recorded in the ActivityStarted history event (GetActivityTask's `workerName`, 1 to 80 characters).
   * @default `${os.hostname()}:${process.pid}`, cut to 80 characters
   */
  workerName?: string;

  /**
   * How often, in milliseconds, a heartbeat (SendTaskHeartbeat) is sent while a handler runs. The activity task
   * does not tell the worker the state's `HeartbeatSeconds`, so this must be comfortably below the smallest
   * `HeartbeatSeconds` of any Task state that uses this activity: a third of it leaves room for a slow network
   * (the default suits any `HeartbeatSeconds` of 15 or more). Heartbeats are also how the worker learns that a
   * task timed out (`signal` aborts), so a shorter interval stops abandoned work sooner. `0` turns automatic
   * heartbeats off (`context.heartbeat()` still works).
   * @default 5000
   */
  heartbeatIntervalMs?: number;

  /**
   * How long, in milliseconds, `stop()` lets tasks in flight run before aborting their `signal`. Whatever the
   * handler then returns or throws is still reported, and `stop()` resolves only once every handler has settled
   * and reported: a handler that ignores `signal` keeps the worker (and `stop()`) waiting. Keep it below your
   * platform's own kill timeout (Kubernetes' `terminationGracePeriodSeconds` is 30 s by default).
   * @default 20000
   */
  shutdownGraceMs?: number;

  /**
   * Process signals that stop the worker (`stop()`), e.g. `['SIGTERM', 'SIGINT']` in a container. A second one
   * while stopping skips the rest of the grace period (aborts every `signal` at once). The listeners are removed
   * when the worker has stopped; the process then exits on its own if nothing else keeps it alive.
   * @default [] (the worker installs no signal listeners)
   */
  shutdownSignals?: readonly NodeJS.Signals[];

  /**
   * A Standard Schema (zod 3.24+, valibot 1, arktype 2, ...) the input must satisfy; the handler gets the schema's
   * output. A failing input is reported as `ActivityWorker.InvalidInput` with the problems as the cause, and the
   * handler is not called. Give `inputSchema` or `validate`, not both.
   */
  inputSchema?: StandardSchemaV1<unknown, I>;

  /**
   * A function that checks the input and returns what the handler gets, or throws (reported as
   * `ActivityWorker.InvalidInput` with the thrown message as the cause). Give `inputSchema` or `validate`, not both.
   */
  validate?: InputValidator<I>;

  /**
   * Where poll errors, failed reports and dropped results are written. Task tokens are never logged.
   * @default console (`console.warn` / `console.error`), one line each, prefixed with `activity-worker:`
   */
  logger?: WorkerLogger;
}

const KNOWN = [
  'sfn', 'client', 'activityArn', 'handler', 'concurrency', 'workerName', 'heartbeatIntervalMs', 'shutdownGraceMs',
  'shutdownSignals', 'inputSchema', 'validate', 'logger',
] as const;

export interface ResolvedOptions<I, O> {
  activityArn: string;
  handler: ActivityHandler<I, O>;
  concurrency: number;
  workerName: string;
  heartbeatIntervalMs: number;
  shutdownGraceMs: number;
  shutdownSignals: readonly NodeJS.Signals[];
  inputSchema: StandardSchemaV1<unknown, I> | undefined;
  validate: InputValidator<I> | undefined;
  logger: WorkerLogger;
}

const consoleLogger: WorkerLogger = {
  warn: (message, fields) => console.warn(`activity-worker: ${message}`, ...(fields ? [fields] : [])),
  error: (message, fields) => console.error(`activity-worker: ${message}`, ...(fields ? [fields] : [])),
};

export function resolveOptions<I, O>(o: ActivityWorkerOptions<I, O>): ResolvedOptions<I, O> {
  const who = 'ActivityWorker';
  if (typeof o !== 'object' || o === null) throw new TypeError(`${who}: options are required`);
  refuseUnknown(o, KNOWN, who);
  if (typeof o.activityArn !== 'string' || o.activityArn === '') throw new TypeError(`${who}: \`activityArn\` is required`);
  if (typeof o.handler !== 'function') throw new TypeError(`${who}: \`handler\` must be a function`);
  if (o.inputSchema !== undefined && o.validate !== undefined) throw new TypeError(`${who}: give \`inputSchema\` or \`validate\`, not both`);
  if (o.inputSchema !== undefined && typeof o.inputSchema?.['~standard']?.validate !== 'function') {
    throw new TypeError(`${who}: \`inputSchema\` must be a Standard Schema (an object with \`~standard.validate\`)`);
  }
  if (o.validate !== undefined && typeof o.validate !== 'function') throw new TypeError(`${who}: \`validate\` must be a function`);
  const workerName = o.workerName ?? `${hostname()}:${process.pid}`.slice(0, 80);
  if (typeof workerName !== 'string' || workerName.length < 1 || workerName.length > 80) {
    throw new TypeError(`${who}: \`workerName\` must be 1 to 80 characters`);
  }
  const signals = o.shutdownSignals ?? [];
  if (!Array.isArray(signals) || signals.some((s) => typeof s !== 'string')) throw new TypeError(`${who}: \`shutdownSignals\` must be an array of signal names`);
  return {
    activityArn: o.activityArn,
    handler: o.handler,
    concurrency: count(o.concurrency, 1, 'concurrency', 1),
    workerName,
    heartbeatIntervalMs: count(o.heartbeatIntervalMs, 5_000, 'heartbeatIntervalMs', 0),
    shutdownGraceMs: count(o.shutdownGraceMs, 20_000, 'shutdownGraceMs', 0),
    shutdownSignals: signals,
    inputSchema: o.inputSchema,
    validate: o.validate,
    logger: safeLogger(o.logger ?? consoleLogger),
  };
}

/** A logger that throws must not end a polling slot: its errors are swallowed. */
function safeLogger(logger: WorkerLogger): WorkerLogger {
  return {
    warn: (message, fields) => {
      try {
        logger.warn(message, fields);
      } catch {
        // nothing sensible to do: the logger is where errors would go
      }
    },
    error: (message, fields) => {
      try {
        logger.error(message, fields);
      } catch {
        // as above
      }
    },
  };
}

function count(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  // Timers take at most 2^31-1 ms; a larger value would fire at once.
  if (!Number.isInteger(value) || value < min || value > 2_147_483_647) {
    throw new TypeError(`ActivityWorker: \`${name}\` must be an integer from ${min} to 2147483647 (got ${String(value)})`);
  }
  return value;
}
