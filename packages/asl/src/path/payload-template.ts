/**
 * Payload templates (Parameters, ResultSelector, ItemSelector, legacy Map Parameters, JSONPath Assign): a key ending
 * in `.$` takes its value from a path (`$...` input, `$$...` context object, `$name...` variable) or an intrinsic
 * function call, and loses the `.$`; every other value is copied as written. Objects and arrays nest.
 * A path that matches nothing fails the state with States.Runtime (see data-path.ts for the cause).
 */
import type { Json } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../errors.js';
import { evaluateIntrinsic } from '../intrinsics/evaluate.js';
import { isIntrinsicCall } from '../intrinsics/parse.js';
import { selectFieldPath } from './data-path.js';
import type { PathScope } from './scope.js';

/** The value of one `.$` field: a path or an intrinsic function call. */
export function resolveDynamicValue(text: string, field: string, scope: PathScope): Json {
  const trimmed = text.trim();
  if (isIntrinsicCall(trimmed)) return evaluateIntrinsic(trimmed, scope);
  if (trimmed.startsWith('$')) return selectFieldPath(trimmed, field, scope);
  throw new StatesError('States.Runtime', `The value for the field '${field}' must be a valid JSONPath or a valid intrinsic function call`);
}

/** Resolves every `.$` field of the template against the scope. Throws StatesError. */
export function resolvePayloadTemplate(template: Json, scope: PathScope): Json {
  if (Array.isArray(template)) return template.map((element) => resolvePayloadTemplate(element, scope));
  if (!isJsonObject(template)) return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && key.length > 2) {
      if (typeof value !== 'string') {
        throw new StatesError('States.Runtime', `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`);
      }
      out[key.slice(0, -2)] = resolveDynamicValue(value, key, scope);
    } else {
      out[key] = resolvePayloadTemplate(value, scope);
    }
  }
  return out;
}
