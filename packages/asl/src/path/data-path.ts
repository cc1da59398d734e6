/**
 * The path fields that select a value and fail the state when they cannot, with the causes AWS records:
 * - InputPath / OutputPath / ItemsPath / TimeoutSecondsPath / HeartbeatSecondsPath ... (Jayway strict):
 *   States.Runtime "Invalid path '$.x' : No results for path: $['x']" (or Jayway's other reason, e.g.
 *   "Missing property in path $['a']"). InputPath / OutputPath `null` give `{}`.
 * - a `.$` field of a payload template, ErrorPath, CausePath: States.Runtime
 *   "The JSONPath '$.x' specified for the field 'x.$' could not be found in the input '<input JSON>'".
 * The interpreter adds "An error occurred while executing the state '<name>' (entered at the event id #<n>). ".
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import { jsonText } from './json-text.js';
import { queryPath } from './query.js';
import type { PathScope } from './scope.js';

/**
 * A strict path read: the value, or States.Runtime "Invalid path '<path>' : <Jayway reason>". The reason names the
 * path from its own root (`$$.a` reports `$['a']`, as AWS prints "Reference path \"$.Execution.Input\"").
 */
export function selectPath(path: string, scope: PathScope): Json {
  const r = queryPath(path, scope, { strict: true });
  if (r.found) return r.value;
  throw new StatesError('States.Runtime', `Invalid path '${path}' : ${r.reason ?? `No results for path: ${path}`}`);
}

/** InputPath: `undefined` keeps the input, `null` gives `{}`, a path selects (strictly). */
export function applyInputPath(path: string | null | undefined, scope: PathScope): Json {
  if (path === undefined) return scope.input;
  if (path === null) return {};
  return selectPath(path, scope);
}

/** OutputPath: same rules as InputPath, applied to the state output (scope.input). */
export const applyOutputPath = applyInputPath;

/** The cause for a `.$` field (or ErrorPath / CausePath) whose path matches nothing. */
export function fieldPathNotFoundCause(path: string, field: string, input: Json): string {
  return `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${jsonText(input)}'`;
}

/** A `.$` field / ErrorPath / CausePath path read: the value, or States.Runtime naming the field. */
export function selectFieldPath(path: string, field: string, scope: PathScope): Json {
  const r = queryPath(path, scope);
  if (r.found) return r.value;
  throw new StatesError('States.Runtime', fieldPathNotFoundCause(path, field, scope.input));
}
