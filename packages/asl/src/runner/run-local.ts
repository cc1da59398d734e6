/**
 * The in-memory runner: drives `step` to the end with a virtual clock (Wait states and retry intervals take no
 * real time) and answers Task states from local mocks or a handler. For tests, for `baton run`, and for
 * conformance replay; the durable engine drives the same `step` from Postgres instead.
 */
import type { Json, JsonObject } from '../json.js';
import { compileDefinition } from '../model/compile.js';
import type { Program } from '../model/nodes.js';
import { seededRandom, type RandomSource } from '../random.js';
import { newExecution, step } from '../interpreter/step.js';
import type {
  ExecutionContextInfo, ExecutionDoc, ExecutionStatus, HistoryEvent, ScheduleTaskCommand, Signal,
} from '../interpreter/types.js';
import { MockBook, type IndexedMocks, type TaskMocks } from './mocks.js';
import { runMapRunInMemory } from '../map-run/in-memory.js';
import type { StartMapRunCommand } from '../map-run/spec.js';

export type TaskOutcome =
  | { ok: true; output: Json }
  | { ok: false; error: string; cause?: string }
  /** The task is left pending: a callback or an activity nobody answers (only timeouts can end it). */
  | { pending: true };

export interface LocalRunOptions {
  input?: Json;
  mocks?: TaskMocks;
  /** Step Functions Local's test case (see mock-config-file.ts); give this or `mocks`, not both. */
  mockTestCase?: IndexedMocks;
  /** Answers tasks that no mock covers. */
  taskHandler?: (task: ScheduleTaskCommand, now: number) => Promise<TaskOutcome> | TaskOutcome;
  /** Virtual start time, epoch ms (default: 2024-01-01T00:00:00Z). */
  startTime?: number;
  random?: RandomSource;
  context?: Partial<ExecutionContextInfo>;
  /** Give up after this many steps (guards against a definition that loops forever). */
  maxSteps?: number;
}

export interface LocalRunResult {
  status: ExecutionStatus;
  output?: Json;
  error?: string;
  cause?: string;
  events: HistoryEvent[];
  /** Virtual time when the execution ended. */
  endTime: number;
}

const DEFAULT_START = Date.UTC(2024, 0, 1);

export function defaultContext(startTime: number, overrides: Partial<ExecutionContextInfo> = {}): ExecutionContextInfo {
  const region = overrides.region ?? 'us-east-1';
  const account = '123456789012';
  const smName = overrides.stateMachineName ?? 'local';
  const name = overrides.executionName ?? 'local-execution';
  return {
    stateMachineArn: `arn:aws:states:${region}:${account}:stateMachine:${smName}`,
    stateMachineName: smName,
    executionArn: `arn:aws:states:${region}:${account}:execution:${smName}:${name}`,
    executionName: name,
    roleArn: `arn:aws:iam::${account}:role/baton-local`,
    startTime: new Date(startTime).toISOString(),
    region,
    partition: 'aws',
    ...overrides,
  };
}

export async function runLocal(definition: JsonObject | Program, options: LocalRunOptions = {}): Promise<LocalRunResult> {
  const program = 'root' in definition && 'machines' in definition ? (definition as Program) : compileDefinition(definition as JsonObject);
  let now = options.startTime ?? DEFAULT_START;
  const random = options.random ?? seededRandom(1);
  if (options.mocks && options.mockTestCase) throw new Error('runLocal: give `mocks` or `mockTestCase`, not both');
  const mocks = new MockBook(options.mocks ?? {}, options.mockTestCase);
  const input = options.input === undefined ? {} : options.input;
  let doc: ExecutionDoc = newExecution(defaultContext(now, options.context), input);
  const events: HistoryEvent[] = [];
  const timers = new Map<string, number>();
  const inbox: Signal[][] = [[{ kind: 'start', input }]];
  const maxSteps = options.maxSteps ?? 100_000;

  for (let steps = 0; doc.status === 'RUNNING'; steps++) {
    if (steps >= maxSteps) throw new Error(`runLocal: execution did not finish within ${maxSteps} steps`);
    let signals = inbox.shift();
    if (!signals) {
      // Nothing ready: jump the virtual clock to the earliest timer.
      let first: [string, number] | undefined;
      for (const t of timers) if (!first || t[1] < first[1]) first = t;
      if (!first) throw new Error('runLocal: execution is stuck: no pending timer, task answer or work');
      timers.delete(first[0]);
      now = Math.max(now, first[1]);
      signals = [{ kind: 'timerFired', timerId: first[0] }];
    }
    const result = await step(program, doc, signals, { now, random });
    doc = result.doc;
    events.push(...result.events);
    for (const command of result.commands) {
      switch (command.kind) {
        case 'startTimer':
          timers.set(command.timerId, command.fireAt);
          break;
        case 'cancelTimer':
          timers.delete(command.timerId);
          break;
        case 'scheduleTask': {
          const outcome = await answerTask(command, mocks, options, now);
          if ('pending' in outcome) break;
          const started: Signal = { kind: 'taskStarted', taskId: command.taskId };
          inbox.push(
            outcome.ok
              ? [started, { kind: 'taskSucceeded', taskId: command.taskId, output: outcome.output }]
              : [started, { kind: 'taskFailed', taskId: command.taskId, error: outcome.error, ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) }],
          );
          break;
        }
        case 'continue':
          inbox.push([{ kind: 'continue' }]);
          break;
        case 'startMapRun':
          if (!command.failed) inbox.push([await localMapRun(command, options, now, random)]);
          break;
        case 'stopMapRun':
        case 'redriveMapRun': // run-local never ends an execution it could redrive
        case 'cancelTask':
        case 'finish':
          break;
        default: {
          const never: never = command;
          throw new Error(`unknown command ${JSON.stringify(never)}`);
        }
      }
    }
  }
  return {
    status: doc.status,
    ...(doc.status === 'SUCCEEDED' ? { output: doc.output ?? null } : {}),
    ...(doc.error !== undefined ? { error: doc.error } : {}),
    ...(doc.cause !== undefined ? { cause: doc.cause } : {}),
    events,
    endTime: now,
  };
}

async function answerTask(task: ScheduleTaskCommand, mocks: MockBook, options: LocalRunOptions, now: number): Promise<TaskOutcome> {
  const mock = mocks.take(task.stateName, task.resource);
  if (mock) {
    if ('Return' in mock) return { ok: true, output: mock.Return };
    return { ok: false, error: mock.Throw.Error, ...(mock.Throw.Cause !== undefined ? { cause: mock.Throw.Cause } : {}) };
  }
  if (options.taskHandler) return options.taskHandler(task, now);
  return {
    ok: false,
    error: 'States.TaskFailed',
    cause: `No mock result for state '${task.stateName}' (resource ${task.resource}); pass one with --mocks.`,
  };
}

/** A Distributed Map's children, run here one after another as executions of the item processor. */
async function localMapRun(cmd: StartMapRunCommand, options: LocalRunOptions, now: number, random: RandomSource): Promise<Signal> {
  const parent = defaultContext(now, options.context);
  const smName = `${parent.stateMachineName}/${cmd.label}`;
  const mapRunId = cmd.mapRunArn.split(':').pop()!;
  const childArn = (index: number) => `arn:aws:states:${parent.region ?? 'us-east-1'}:123456789012:execution:${smName}:${mapRunId}-${index}`;
  return runMapRunInMemory(cmd, async (input, index) => {
    const r = await runLocal(cmd.processor, {
      ...options, input, startTime: now, random,
      context: { ...(parent.region !== undefined ? { region: parent.region } : {}), stateMachineName: smName, executionName: `${mapRunId}-${index}` },
    });
    return { status: r.status === 'RUNNING' ? 'FAILED' : r.status, ...(r.output !== undefined ? { output: r.output } : {}), ...(r.error !== undefined ? { error: r.error } : {}), ...(r.cause !== undefined ? { cause: r.cause } : {}) };
  }, { random, now, payloadLimit: 262_144, childArn });
}
