/**
 * JSON has no undefined, no functions and no non-finite numbers ("Handling expression errors": "JSON cannot
 * represent an undefined value"). A JSONata result becomes plain JSON here: sequences become plain arrays, -0
 * becomes 0, NaN and the infinities become the strings "NaN", "Infinity" and "-Infinity" (AWS's runtime is Java
 * and writes them that way), undefined object members are dropped. An undefined result, or a function anywhere in
 * it, is reported to the caller, which raises AWS's "returned nothing" / "unsupported result type" causes.
 */
import type { Json, JsonObject } from '../json.js';

export type JsonResult = { ok: true; value: Json } | { ok: false; reason: 'undefined' | 'unsupported' | 'tooDeep' };

class Unsupported extends Error {}
class TooDeep extends Error {}

export function isJsonataFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return v._jsonata_lambda === true || v._jsonata_function === true;
}

function convert(value: unknown, depthLeft: number): Json {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (value === Infinity) return 'Infinity';
      if (value === -Infinity) return '-Infinity';
      return value === 0 ? 0 : value;
    case 'undefined':
      return null; // only reached inside arrays, where JSON text writes null
    case 'object': {
      if (isJsonataFunction(value)) throw new Unsupported();
      if (depthLeft === 0) throw new TooDeep();
      if (Array.isArray(value)) return value.map((v) => convert(v, depthLeft - 1));
      const out: JsonObject = {};
      for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
        if (member === undefined) continue;
        out[key] = convert(member, depthLeft - 1);
      }
      return out;
    }
    default:
      throw new Unsupported(); // functions, symbols, bigints
  }
}

/** `maxDepth`: values nested deeper are refused ('tooDeep') before the conversion could exhaust the stack. */
export function toJsonResult(value: unknown, maxDepth = Infinity): JsonResult {
  if (value === undefined) return { ok: false, reason: 'undefined' };
  try {
    return { ok: true, value: convert(value, maxDepth) };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: 'unsupported' };
    if (e instanceof TooDeep) return { ok: false, reason: 'tooDeep' };
    throw e;
  }
}
