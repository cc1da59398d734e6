/**
 * The JSON intrinsics (AWS "Intrinsics for JSON data manipulation"): States.JsonMerge (shallow only: the third
 * argument must be false; the second object's keys win), States.StringToJson (a blank string gives null),
 * States.JsonToString (compact JSON, keys in order).
 */
import type { Json } from '../json.js';
import { jsonText } from '../path/json-text.js';
import { invalid, objectArg, stringArg } from './args.js';
import { IntrinsicArgumentError } from './errors.js';

export function jsonMerge(args: readonly Json[]): Json {
  const fn = 'States.JsonMerge';
  const left = objectArg(fn, args, 0);
  const right = objectArg(fn, args, 1);
  const deep = args[2]!;
  if (typeof deep !== 'boolean') invalid(fn, 2, 'a boolean', deep);
  if (deep) throw new IntrinsicArgumentError(`${fn} supports only the shallow merging mode: the third argument must be false`);
  return { ...left, ...right };
}

function withoutNegativeZero(v: Json): Json {
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (Array.isArray(v)) return v.map(withoutNegativeZero);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutNegativeZero(x)]));
  return v;
}

export function stringToJson(args: readonly Json[]): Json {
  const fn = 'States.StringToJson';
  const text = stringArg(fn, args, 0);
  if (text.trim().length === 0) return null;
  try {
    return withoutNegativeZero(JSON.parse(text) as Json);
  } catch {
    throw new IntrinsicArgumentError(`The input to ${fn} is not valid JSON: ${text}`);
  }
}

export function jsonToString(args: readonly Json[]): Json {
  return jsonText(args[0]!);
}
