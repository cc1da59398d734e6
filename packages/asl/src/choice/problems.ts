/**
 * Structural rules of a JSONPath-mode Choice Rule, for the definition validator (AWS developer guide, Choice
 * workflow state, and the Amazon States Language spec):
 * - a rule is an object holding exactly one comparison operator, or exactly one of And / Or / Not;
 * - a comparison names its input with `Variable`, a valid reference path; its operand has the operator's type
 *   (string, number, boolean, an RFC 3339 timestamp string, or a reference path for the `...Path` operators);
 * - "The values of the And and Or operators must be non-empty arrays of Choice Rules that must not themselves
 *   contain Next fields. Likewise, the value of a Not operator must be a single Choice Rule that must not
 *   contain Next fields." `Next` is required on a top-level rule, which may also carry `Assign`; `Comment` is
 *   allowed anywhere; any other field is not supported.
 *
 * Messages follow AWS's SCHEMA_VALIDATION_FAILED wording where it is known ("The field 'X' is required but was
 * missing", "The field \"X\" is not supported by Step Functions", "Value cannot be empty"); a problem with a
 * field's value is located at that field, a missing or extra field at the rule.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { CHOICE_COMBINATORS, operatorSpec, operatorsIn, type OperatorSpec } from './operators.js';
import { isChoiceReferencePath } from './reference-path.js';
import { isTimestamp } from './timestamp.js';

export interface ChoiceRuleProblem {
  readonly location: string;
  readonly message: string;
}

const TYPE_NAMES = { string: 'String', numeric: 'Number', boolean: 'Boolean', timestamp: 'String' } as const;

function required(field: string): string {
  return `The field '${field}' is required but was missing`;
}

function notSupported(field: string): string {
  return `The field "${field}" is not supported by Step Functions`;
}

function expectedType(type: string): string {
  return `Expected value of type ${type}`;
}

function pathProblems(field: string, value: unknown, at: string): ChoiceRuleProblem[] {
  if (typeof value !== 'string') return [{ location: at, message: expectedType('String') }];
  if (!isChoiceReferencePath(value)) {
    return [{ location: at, message: `The value for the field '${field}' must be a valid JSONPath` }];
  }
  return [];
}

function operandProblems(spec: OperatorSpec, value: unknown, at: string): ChoiceRuleProblem[] {
  switch (spec.family) {
    case 'is':
      return typeof value === 'boolean' ? [] : [{ location: at, message: expectedType('Boolean') }];
    case 'matches':
      return typeof value === 'string' ? [] : [{ location: at, message: expectedType('String') }];
    case 'compare': {
      if (spec.path) return pathProblems(spec.name, value, at);
      const ok =
        spec.kind === 'string' ? typeof value === 'string'
        : spec.kind === 'numeric' ? typeof value === 'number'
        : spec.kind === 'boolean' ? typeof value === 'boolean'
        : typeof value === 'string';
      if (!ok) return [{ location: at, message: expectedType(TYPE_NAMES[spec.kind]) }];
      if (spec.kind === 'timestamp' && !isTimestamp(value)) {
        return [{ location: at, message: `The value for the field '${spec.name}' must be a valid timestamp, e.g. 2016-08-18T17:33:00Z` }];
      }
      return [];
    }
    default: {
      const never: never = spec;
      throw new Error(`unknown operator ${JSON.stringify(never)}`);
    }
  }
}

function combinatorProblems(rule: JsonObject, field: string, location: string): ChoiceRuleProblem[] {
  const at = `${location}/${field}`;
  const value = rule[field];
  if (field === 'Not') {
    if (!isJsonObject(value)) return [{ location: at, message: expectedType('Object') }];
    return choiceRuleProblems(value, at, false);
  }
  if (!Array.isArray(value)) return [{ location: at, message: expectedType('Array') }];
  if (value.length === 0) return [{ location: at, message: 'Value cannot be empty' }];
  return value.flatMap((nested, i) => choiceRuleProblems(nested, `${at}/${i}`, false));
}

/** Every structural problem of one JSONPath Choice Rule (and of the rules nested in it). */
export function choiceRuleProblems(rule: unknown, location: string, topLevel: boolean): ChoiceRuleProblem[] {
  if (!isJsonObject(rule)) return [{ location, message: expectedType('Object') }];
  const problems: ChoiceRuleProblem[] = [];
  const combinators = CHOICE_COMBINATORS.filter((c) => c in rule);
  const operators = operatorsIn(rule);
  const kinds = [...combinators, ...operators];

  if (kinds.length === 0) {
    problems.push({ location, message: 'A Choice Rule must contain a comparison operator, or one of And, Or, Not' });
  } else if (kinds.length > 1) {
    problems.push({ location, message: `A Choice Rule must contain exactly one of a comparison operator, And, Or, Not, but has: ${kinds.join(', ')}` });
  }

  const allowed = new Set<string>(['Comment', ...kinds]);
  if (topLevel) allowed.add('Next').add('Assign');
  if (combinators.length === 0) allowed.add('Variable'); // a rule missing its operator still has a Variable
  for (const field of Object.keys(rule)) {
    if (!allowed.has(field)) problems.push({ location, message: notSupported(field) });
  }

  if (topLevel) {
    if (!('Next' in rule)) problems.push({ location, message: required('Next') });
    else if (typeof rule.Next !== 'string' || rule.Next === '') {
      problems.push({ location: `${location}/Next`, message: expectedType('String') });
    }
  }

  if (operators.length > 0) {
    if (!('Variable' in rule)) problems.push({ location, message: required('Variable') });
    else problems.push(...pathProblems('Variable', rule.Variable, `${location}/Variable`));
    for (const name of operators) {
      problems.push(...operandProblems(operatorSpec(name) as OperatorSpec, rule[name], `${location}/${name}`));
    }
  }
  for (const field of combinators) problems.push(...combinatorProblems(rule, field, location));
  return problems;
}
