/**
 * Turning a handler's result into what SendTaskSuccess / SendTaskFailure accept, within the API's limits
 * (AWS Step Functions API reference): `output` at most 262,144 characters of JSON, `error` at most 256 characters,
 * `cause` at most 32,768. A request over a limit is refused with a ValidationException and the task would then
 * wait for its timeout, so the worker truncates `error` and `cause`, and reports an output it cannot send as a
 * failure instead.
 */

export const MAX_OUTPUT_LENGTH = 262_144;
export const MAX_ERROR_LENGTH = 256;
export const MAX_CAUSE_LENGTH = 32_768;

/**
 * The `error` names the worker itself reports. A Retry or Catch can match them like any other error name.
 */
export const WorkerErrors = {
  /** The input failed `inputSchema` or `validate`, or was not JSON. The cause lists the problems. */
  invalidInput: 'ActivityWorker.InvalidInput',
  /** The handler returned something that is not JSON (a BigInt, a cycle) or is longer than the API accepts. */
  invalidOutput: 'ActivityWorker.InvalidOutput',
  /** The reason `signal` carries when the task timed out (SendTaskHeartbeat answered TaskTimedOut). */
  taskTimedOut: 'ActivityWorker.TaskTimedOut',
  /** The reason `signal` carries when the worker stopped and the shutdown grace ran out. */
  workerStopped: 'ActivityWorker.WorkerStopped',
} as const;

/** An error with a chosen `name`, so that the failure it is reported as carries that name. */
export class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export type Failure = { error: string; cause: string };

/**
 * The `{error, cause}` a thrown value is reported as: an Error's `name` and `message`; anything else is an
 * `Error` whose cause is the value as text.
 */
export function failureOf(thrown: unknown): Failure {
  if (thrown instanceof Error) return { error: truncate(thrown.name, MAX_ERROR_LENGTH), cause: truncate(thrown.message, MAX_CAUSE_LENGTH) };
  const text = typeof thrown === 'string' ? thrown : safeJson(thrown) ?? String(thrown);
  return { error: 'Error', cause: truncate(text, MAX_CAUSE_LENGTH) };
}

/** A failure from explicit parts, truncated to the API's limits. */
export function failure(error: string, cause?: string): Failure {
  return { error: truncate(error, MAX_ERROR_LENGTH), cause: truncate(cause ?? '', MAX_CAUSE_LENGTH) };
}

export type Serialised = { ok: true; output: string } | { ok: false; failure: Failure };

/** JSON text for SendTaskSuccess (`undefined` is `null`), or the failure to report when there is none to send. */
export function serialiseOutput(value: unknown): Serialised {
  let output: string | undefined;
  try {
    output = JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    return { ok: false, failure: failure(WorkerErrors.invalidOutput, `The output is not JSON: ${(e as Error).message}`) };
  }
  if (output === undefined) {
    // A function or a symbol: JSON.stringify has no text for it.
    return { ok: false, failure: failure(WorkerErrors.invalidOutput, `The output is not JSON (a ${typeof value}).`) };
  }
  if (output.length > MAX_OUTPUT_LENGTH) {
    return {
      ok: false,
      failure: failure(
        WorkerErrors.invalidOutput,
        `The output is ${output.length} characters of JSON; SendTaskSuccess accepts at most ${MAX_OUTPUT_LENGTH}.`,
      ),
    };
  }
  return { ok: true, output };
}

/** Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
