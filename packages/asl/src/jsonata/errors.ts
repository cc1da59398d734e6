/**
 * AWS's `States.QueryEvaluationError` for JSONata fields ("Handling expression errors"), with the cause texts AWS
 * records: "The JSONata expression '<expr>' specified for the field '<location>' returned nothing (undefined).",
 * "... returned an unsupported result type.", "... threw an error during evaluation. <code>: <message>" and
 * "... returned an unexpected result type. Expected '<type>', but was '<type>' for value: <json>".
 * The cause carries no state prefix: the interpreter adds "An error occurred while executing the state ...".
 */
import { StatesError } from '../errors.js';
import type { Json } from '../json.js';

/** A failed JSONata evaluation; `location` is the EvaluationFailed event's `location` (e.g. "Output/result"). */
export class QueryEvaluationError extends StatesError {
  readonly location: string;
  readonly expression: string | undefined;
  constructor(cause: string, location: string, expression?: string) {
    super('States.QueryEvaluationError', cause);
    this.name = 'QueryEvaluationError';
    this.location = location;
    this.expression = expression;
  }
}

export type JsonTypeName = 'array' | 'object' | 'string' | 'number' | 'boolean' | 'null';

/** The type names AWS uses in "Expected 'array', but was 'boolean'". */
export function jsonTypeName(value: Json): JsonTypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'object' | 'string' | 'number' | 'boolean';
}

const subject = (expression: string, location: string) =>
  `The JSONata expression '${expression}' specified for the field '${location}'`;

export const queryEvaluationCause = {
  returnedNothing: (expression: string, location: string) => `${subject(expression, location)} returned nothing (undefined).`,
  unsupportedResultType: (expression: string, location: string) =>
    `${subject(expression, location)} returned an unsupported result type.`,
  threwError: (expression: string, location: string, detail: string) =>
    `${subject(expression, location)} threw an error during evaluation. ${detail}`,
  unexpectedResultType: (expression: string, location: string, expected: string, value: Json) =>
    `${subject(expression, location)} returned an unexpected result type. Expected '${expected}', but was '${jsonTypeName(value)}' for value: ${JSON.stringify(value)}`,
} as const;

/** The prefix AWS puts in front of every cause the interpreter itself raises. */
export function statePrefix(stateName: string, enteredEventId: number): string {
  return `An error occurred while executing the state '${stateName}' (entered at the event id #${enteredEventId}). `;
}

export interface EvaluationFailedEventDetails {
  error: string;
  cause: string;
  location: string;
  state: string;
}

/** `evaluationFailedEventDetails` of AWS's EvaluationFailed history event (recorded before the failure is handled). */
export function evaluationFailedEventDetails(
  err: { error: string; cause?: string | undefined; location: string },
  stateName: string,
  enteredEventId: number,
): EvaluationFailedEventDetails {
  const cause = err.cause ?? '';
  const prefixed = cause.startsWith('An error occurred while executing the state ')
    ? cause
    : statePrefix(stateName, enteredEventId) + cause;
  return { error: err.error, cause: prefixed, location: err.location, state: stateName };
}
