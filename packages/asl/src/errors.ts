/**
 * ASL runtime errors are data: `{ error, cause }`, matched by name through Retry and Catch.
 * This module owns the closed list of the predefined `States.*` names and the rules that tie them together.
 * Integrations and the interpreter raise `StatesError`; it never escapes the interpreter as an exception.
 */

export const STATES_ERRORS = [
  'States.ALL',
  'States.HeartbeatTimeout',
  'States.Timeout',
  'States.TaskFailed',
  'States.Permissions',
  'States.ResultPathMatchFailure',
  'States.ParameterPathFailure',
  'States.QueryEvaluationError',
  'States.BranchFailed',
  'States.NoChoiceMatched',
  'States.IntrinsicFailure',
  'States.ExceedToleratedFailureThreshold',
  'States.ItemReaderFailed',
  'States.ResultWriterFailed',
  'States.DataLimitExceeded',
  'States.Runtime',
] as const;
export type StatesErrorName = (typeof STATES_ERRORS)[number];

/** An ASL error: a name and an optional cause, as recorded in history and matched by ErrorEquals. */
export interface ErrorOutput {
  readonly error: string;
  readonly cause?: string | undefined;
}

/** Thrown inside the pure interpreter's helpers and caught by the state that is running; never crosses `step`. */
export class StatesError extends Error implements ErrorOutput {
  readonly error: string;
  override readonly cause: string | undefined;
  constructor(error: string, cause?: string) {
    super(cause ? `${error}: ${cause}` : error);
    this.name = 'StatesError';
    this.error = error;
    this.cause = cause;
  }
}

/** Errors that `States.ALL` does not catch (AWS: "States.ALL ... does not match States.DataLimitExceeded or States.Runtime"). */
const NOT_CAUGHT_BY_ALL: ReadonlySet<string> = new Set(['States.DataLimitExceeded', 'States.Runtime']);

/** Errors that `States.TaskFailed` matches: any error except States.Timeout (and the uncatchable ones) raised by a Task. */
export function matchesErrorEquals(errorEquals: readonly string[], error: string): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && !NOT_CAUGHT_BY_ALL.has(error)) return true;
    if (name === 'States.TaskFailed' && error !== 'States.Timeout' && !error.startsWith('States.')) return true;
  }
  return false;
}

/**
 * The `{Error, Cause}` object a Catch receives (`$` for ResultPath, `$states.errorOutput` in JSONata). A failure
 * that names no error (SendTaskFailure with neither field) is `{"Error": null, "Cause": null}`, as AWS records it.
 */
export function errorOutputOf(err: ErrorOutput): { Error: string | null; Cause?: string | null } {
  if (err.error === '') return { Error: null, Cause: err.cause ?? null };
  return { Error: err.error, ...(err.cause !== undefined ? { Cause: err.cause } : {}) };
}
