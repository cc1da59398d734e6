/**
 * Evaluates a JSONPath-mode Choice Rule against the state input (AWS developer guide, Choice workflow state).
 *
 * - And / Or / Not combine nested rules; And and Or stop at the first rule that decides them, which is what lets
 *   an `IsPresent` rule guard a later comparison on a key that might not exist (the guide's own example).
 * - A comparison reads `Variable`. If that path is not in the input, every operator but IsPresent fails the
 *   state with States.Runtime, "Invalid path '<Variable>': The choice state's condition path references an
 *   invalid value."; a `...Path` operand whose path is missing fails the same way, naming that path.
 * - A value of the wrong type makes the comparison false (see compare.ts).
 *
 * The interpreter prefixes the cause with "An error occurred while executing the state '<name>' (entered at the
 * event id #<n>). " as AWS does for every States.Runtime raised inside a state.
 */
import { StatesError } from '../errors.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { compareTyped } from './compare.js';
import { operatorsIn, operatorSpec, type OperatorSpec } from './operators.js';
import { stringMatches } from './string-matches.js';
import { typeTest } from './type-test.js';

/** Resolves "$...", "$$..." and "$var..." paths; supplied by the interpreter. */
export type PathQuery = (path: string) => { found: true; value: Json } | { found: false };

/** The States.Runtime error AWS raises when a Choice Rule reads a path that is not in the input. */
export function conditionPathError(path: string): StatesError {
  return new StatesError(
    'States.Runtime',
    `Invalid path '${path}': The choice state's condition path references an invalid value.`,
  );
}

/** A rule the validator should have rejected: a bug, not an ASL error. */
function malformed(rule: JsonObject, why: string): Error {
  return new Error(`Malformed Choice Rule (${why}): ${JSON.stringify(rule)}`);
}

function nestedRules(rule: JsonObject, field: 'And' | 'Or'): JsonObject[] {
  const rules = rule[field];
  if (!Array.isArray(rules) || rules.length === 0 || !rules.every(isJsonObject)) {
    throw malformed(rule, `${field} must be a non-empty array of rules`);
  }
  return rules as JsonObject[];
}

function comparisonOperator(rule: JsonObject): OperatorSpec {
  const names = operatorsIn(rule);
  const spec = names.length === 1 ? operatorSpec(names[0] as string) : undefined;
  if (!spec) throw malformed(rule, 'exactly one comparison operator expected');
  return spec;
}

function evaluateComparison(rule: JsonObject, query: PathQuery): boolean {
  const spec = comparisonOperator(rule);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw malformed(rule, 'Variable must be a path string');
  const operand = rule[spec.name] as Json;
  const resolved = query(variable);

  if (spec.family === 'is') {
    if (typeof operand !== 'boolean') throw malformed(rule, `${spec.name} takes a boolean`);
    if (!resolved.found && spec.name !== 'IsPresent') throw conditionPathError(variable);
    return typeTest(spec.name, resolved.found ? resolved.value : undefined) === operand;
  }
  if (!resolved.found) throw conditionPathError(variable);
  const value = resolved.value;

  if (spec.family === 'matches') {
    return typeof value === 'string' && typeof operand === 'string' && stringMatches(value, operand);
  }
  if (!spec.path) return compareTyped(spec.kind, spec.relation, value, operand);

  if (typeof operand !== 'string') throw malformed(rule, `${spec.name} takes a path`);
  const other = query(operand);
  if (!other.found) throw conditionPathError(operand);
  return compareTyped(spec.kind, spec.relation, value, other.value);
}

/** Evaluates one Choice Rule (top-level or nested). Throws StatesError('States.Runtime') for a missing path. */
export function evaluateChoiceRule(rule: JsonObject, query: PathQuery): boolean {
  if ('And' in rule) return nestedRules(rule, 'And').every((r) => evaluateChoiceRule(r, query));
  if ('Or' in rule) return nestedRules(rule, 'Or').some((r) => evaluateChoiceRule(r, query));
  if ('Not' in rule) {
    const inner = rule.Not;
    if (!isJsonObject(inner)) throw malformed(rule, 'Not must be a rule object');
    return !evaluateChoiceRule(inner, query);
  }
  return evaluateComparison(rule, query);
}
