/**
 * Jayway's tail functions (`$.list.length()`, `.sum()`, ...). AWS forbids them in reference paths ("Functions such
 * as length() aren't supported"); in plain paths Jayway evaluates them. Aggregates read the numbers of an array.
 */
import type { Json } from '../json.js';
import { isJsonObject } from '../json.js';

export class PathFunctionError extends Error {}

type PathFunction = (model: Json) => Json;

function numbers(model: Json, name: string): number[] {
  if (!Array.isArray(model)) throw new PathFunctionError(`Aggregation function ${name}() requires an array`);
  const values = model.filter((v): v is number => typeof v === 'number');
  if (values.length === 0) throw new PathFunctionError('Aggregation function attempted to calculate value using empty array');
  return values;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

const FUNCTIONS: Record<string, PathFunction> = {
  length: (m) => (Array.isArray(m) ? m.length : isJsonObject(m) ? Object.keys(m).length : typeof m === 'string' ? m.length : null),
  min: (m) => Math.min(...numbers(m, 'min')),
  max: (m) => Math.max(...numbers(m, 'max')),
  sum: (m) => sum(numbers(m, 'sum')),
  avg: (m) => {
    const xs = numbers(m, 'avg');
    return sum(xs) / xs.length;
  },
  stddev: (m) => {
    const xs = numbers(m, 'stddev');
    const mean = sum(xs) / xs.length;
    return Math.sqrt(sum(xs.map((x) => x * x)) / xs.length - mean * mean);
  },
  keys: (m) => (isJsonObject(m) ? Object.keys(m) : null),
  first: (m) => (Array.isArray(m) && m.length > 0 ? m[0]! : null),
  last: (m) => (Array.isArray(m) && m.length > 0 ? m[m.length - 1]! : null),
};

export const PATH_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS));

export function applyPathFunction(name: string, model: Json): Json {
  const fn = FUNCTIONS[name];
  if (!fn) throw new PathFunctionError(`Function with name: ${name} does not exist.`);
  return fn(model);
}
