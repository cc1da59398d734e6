/**
 * How an intrinsic function fails. A call that does not parse is a definition error (IntrinsicSyntaxError, for the
 * validator). A call that fails while running fails the state with States.Runtime and the cause AWS writes:
 * "The function '<the whole expression as written>' had the following error: <detail>"
 * (the interpreter prefixes "An error occurred while executing the state ...").
 */
import { StatesError } from '../errors.js';

export class IntrinsicSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** The error name of a runtime intrinsic failure. AWS records States.Runtime for an argument path that misses. */
export const INTRINSIC_RUNTIME_ERROR = 'States.Runtime';

export function intrinsicFailure(expression: string, detail: string): StatesError {
  return new StatesError(INTRINSIC_RUNTIME_ERROR, `The function '${expression}' had the following error: ${detail}`);
}

/** Raised by a function body; evaluate.ts turns it into the StatesError naming the whole expression. */
export class IntrinsicArgumentError extends Error {}
