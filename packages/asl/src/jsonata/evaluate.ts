/**
 * Evaluates one JSONata expression the way a Step Functions JSONata field does (AWS "Transforming data with
 * JSONata"): JSONata 2.0.6 with no context item, `$states` and the workflow variables bound, the Step Functions
 * functions added and `$eval` removed. Every failure is States.QueryEvaluationError naming the expression and the
 * field: a JSONata error ("threw an error during evaluation. T1006: Attempted to invoke a non-function"), an
 * undefined result ("returned nothing (undefined)"), a function result ("returned an unsupported result type").
 */
import type jsonata from 'jsonata';
import { MAX_NESTING_DEPTH, nestingDepthMessage, type Json } from '../json.js';
import { installEvaluationBounds, sizeBounds } from './bounds.js';
import { registerBoundedBuiltins } from './bounded-builtins.js';
import { compileJsonata } from './compile.js';
import { QueryEvaluationError, queryEvaluationCause } from './errors.js';
import { registerStepFunctionsFunctions } from './functions.js';
import type { JsonataScope } from './scope.js';
import { statesObject } from './scope.js';
import { statesMembersOf } from './states-references.js';
import { toJsonResult } from './to-json.js';

const OPTIONAL_STATES_MEMBERS = ['result', 'errorOutput'] as const;

/** "<code>: <message>" as AWS quotes a JSONata error, or the bare message when the error has no code. */
export function describeJsonataError(e: unknown): string {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : String(e);
    return typeof code === 'string' && code !== '' ? `${code}: ${text}` : text;
  }
  return String(e);
}

function bindings(scope: JsonataScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(scope.variables)) {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  }
  out.states = statesObject(scope.states); // bound last: `$states` is reserved
  return out;
}

/**
 * Evaluates `expression` (the text between `{%` and `%}`) for the field at `location` (e.g. "Output/result").
 * Throws QueryEvaluationError.
 */
export async function evaluateJsonataExpression(expression: string, scope: JsonataScope, location: string): Promise<Json> {
  const fail = (cause: string) => new QueryEvaluationError(cause, location, expression);
  scope.beforeEvaluate?.(expression, location);
  let compiled: jsonata.Expression;
  try {
    compiled = compileJsonata(expression);
  } catch (e) {
    throw fail(queryEvaluationCause.threwError(expression, location, describeJsonataError(e)));
  }
  const named = statesMembersOf(compiled.ast());
  for (const member of OPTIONAL_STATES_MEMBERS) {
    if (named.includes(member) && scope.states[member] === undefined) {
      throw fail(
        `The JSONata expression '${expression}' specified for the field '${location}' cannot be evaluated. Field '$states.${member}' does not exist.`,
      );
    }
  }
  registerStepFunctionsFunctions(compiled, { random: scope.random, ...(scope.now !== undefined ? { now: scope.now } : {}) });
  await registerBoundedBuiltins(compiled, sizeBounds(scope.payloadBytes, scope.memoryBytes));
  installEvaluationBounds(compiled, {
    ...(scope.payloadBytes !== undefined ? { payloadBytes: scope.payloadBytes } : {}),
    ...(scope.memoryBytes !== undefined ? { memoryBytes: scope.memoryBytes } : {}),
  });
  let raw: unknown;
  try {
    raw = await compiled.evaluate(undefined, bindings(scope));
  } catch (e) {
    throw fail(queryEvaluationCause.threwError(expression, location, describeJsonataError(e)));
  }
  const result = toJsonResult(raw, MAX_NESTING_DEPTH);
  if (result.ok) return result.value;
  switch (result.reason) {
    case 'undefined':
      throw fail(queryEvaluationCause.returnedNothing(expression, location));
    case 'unsupported':
      throw fail(queryEvaluationCause.unsupportedResultType(expression, location));
    case 'tooDeep':
      throw fail(queryEvaluationCause.threwError(expression, location, nestingDepthMessage(MAX_NESTING_DEPTH + 1)));
    default: {
      const never: never = result.reason;
      throw new Error(`unknown result ${String(never)}`);
    }
  }
}
