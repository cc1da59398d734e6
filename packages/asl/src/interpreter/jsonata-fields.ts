/**
 * Typed JSONata fields (AWS "Transforming data with JSONata"): a field such as Items, Seconds, TimeoutSeconds,
 * MaxConcurrency or Fail's Error takes a literal or a `{% %}` expression whose value must have the field's type.
 * A value of the wrong type is States.QueryEvaluationError "returned an unexpected result type. Expected 'array',
 * but was 'object' for value: {...}" (the wording AWS records for Items). A Wait Timestamp that is not an
 * ISO-8601 extended offset date-time fails with "The Timestamp field cannot be parsed as an ISO-8601 extended
 * offset date-time format string: <value>".
 */
import type { Json } from '../json.js';
import {
  QueryEvaluationError, evaluateJsonataValue, isJsonataExpression, jsonataExpressionBody, queryEvaluationCause, type JsonataScope,
} from '../jsonata/index.js';
import { parseIsoTimestamp } from './timestamp.js';

function expressionText(raw: Json): string {
  return typeof raw === 'string' ? jsonataExpressionBody(raw) : JSON.stringify(raw);
}

function unexpected(raw: Json, field: string, expected: string, value: Json): QueryEvaluationError {
  const expression = expressionText(raw);
  return new QueryEvaluationError(queryEvaluationCause.unexpectedResultType(expression, field, expected, value), field, expression);
}

function display(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function arrayField(raw: Json, scope: JsonataScope, field: string): Promise<Json[]> {
  const value = await evaluateJsonataValue(raw, scope, field);
  if (!Array.isArray(value)) throw unexpected(raw, field, 'array', value);
  return value;
}

export async function stringField(raw: Json, scope: JsonataScope, field: string): Promise<string> {
  const value = await evaluateJsonataValue(raw, scope, field);
  if (typeof value !== 'string') throw unexpected(raw, field, 'string', value);
  return value;
}

export async function booleanField(raw: Json, scope: JsonataScope, field: string): Promise<boolean> {
  const value = await evaluateJsonataValue(raw, scope, field);
  if (typeof value !== 'boolean') throw unexpected(raw, field, 'boolean', value);
  return value;
}

/** A number field; `integer` demands a whole number. Values below `min` are rejected with the field named. */
export async function numberField(
  raw: Json,
  scope: JsonataScope,
  field: string,
  opts: { integer: boolean; min: number; max?: number },
): Promise<number> {
  const value = await evaluateJsonataValue(raw, scope, field);
  if (typeof value !== 'number' || (opts.integer && !Number.isInteger(value))) {
    throw unexpected(raw, field, opts.integer ? 'integer' : 'number', value);
  }
  if (value < opts.min || (opts.max !== undefined && value > opts.max)) {
    const range = opts.max !== undefined ? `between ${opts.min} and ${opts.max}` : `at least ${opts.min}`;
    const expression = isJsonataExpression(raw) ? jsonataExpressionBody(raw) : undefined;
    throw new QueryEvaluationError(`The value of the field '${field}' must be ${range}, but was: ${value}`, field, expression);
  }
  return value;
}

/** Epoch milliseconds of a Wait state's Timestamp. */
export async function timestampField(raw: Json, scope: JsonataScope): Promise<number> {
  const value = await evaluateJsonataValue(raw, scope, 'Timestamp');
  const parsed = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
  if (parsed === undefined) {
    throw new QueryEvaluationError(
      `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${display(value)}`,
      'Timestamp',
    );
  }
  return parsed;
}
