/**
 * A JSONata field value (Arguments, Output, Items, ItemSelector, Assign values, Condition, Seconds, ...): "JSONata
 * evaluation happens for all strings whether they occur on their own or inside a JSON object or a JSON array".
 * Every `{% %}` string is replaced by its value; everything else, keys included, stays literal. A failing
 * expression is named by its place in the field: "Output", "Output/result", "Items[1]".
 */
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { evaluateJsonataExpression } from './evaluate.js';
import { isJsonataExpression, jsonataExpressionBody } from './expression.js';
import type { JsonataScope } from './scope.js';

export async function evaluateJsonataValue(value: Json, scope: JsonataScope, field: string): Promise<Json> {
  if (typeof value === 'string') {
    return isJsonataExpression(value) ? evaluateJsonataExpression(jsonataExpressionBody(value), scope, field) : value;
  }
  if (Array.isArray(value)) {
    const out: Json[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evaluateJsonataValue(value[i] as Json, scope, `${field}[${i}]`));
    return out;
  }
  if (isJsonObject(value)) {
    const entries: [string, Json][] = [];
    for (const [key, member] of Object.entries(value)) {
      entries.push([key, await evaluateJsonataValue(member, scope, `${field}/${key}`)]);
    }
    return Object.fromEntries(entries) as JsonObject;
  }
  return value;
}
