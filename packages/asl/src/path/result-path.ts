/**
 * ResultPath ("Specifying state output using ResultPath"): `null` discards the result and keeps the state input,
 * `$` (or no ResultPath) replaces the input with the result, any other reference path writes the result into a copy
 * of the input at that node, creating the missing objects on the way. When the input cannot hold the node (it is
 * not an object, or an index is not there), the state fails with States.ResultPathMatchFailure.
 */
import type { Json } from '../json.js';
import { isJsonObject } from '../json.js';
import { StatesError } from '../errors.js';
import type { PathToken } from './ast.js';
import { JsonPathSyntaxError } from './errors.js';
import { jsonText } from './json-text.js';
import { parseJsonPath } from './parse.js';
import { isReferencePath } from './query.js';

class NoMatch extends Error {}

function put(node: Json | undefined, tokens: readonly PathToken[], i: number, result: Json): Json {
  if (i === tokens.length) return result;
  const t = tokens[i]!;
  if (t.kind === 'property') {
    const name = t.names[0]!;
    const target = node === undefined ? {} : node;
    if (!isJsonObject(target)) throw new NoMatch();
    const copy: Record<string, Json> = { ...target };
    copy[name] = put(Object.prototype.hasOwnProperty.call(target, name) ? target[name] : undefined, tokens, i + 1, result);
    return copy;
  }
  if (t.kind === 'index') {
    if (!Array.isArray(node)) throw new NoMatch();
    const index = t.indexes[0]!;
    const effective = index < 0 ? node.length + index : index;
    if (effective < 0 || effective >= node.length) throw new NoMatch();
    const copy = [...node];
    copy[effective] = put(node[effective], tokens, i + 1, result);
    return copy;
  }
  throw new NoMatch();
}

/** The cause AWS records when a ResultPath cannot be applied. */
export function resultPathFailureCause(resultPath: string, input: Json): string {
  return `Unable to apply ReferencePath ${resultPath} to input ${jsonText(input)}`;
}

/** ResultPath: null keeps the input, "$" replaces it, otherwise sets the value, creating nested objects. */
export function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath.trim() === '$') return result;
  if (!resultPath.trim().startsWith('$') || resultPath.trim().startsWith('$$') || !isReferencePath(resultPath)) {
    throw new StatesError('States.ResultPathMatchFailure', resultPathFailureCause(resultPath, input));
  }
  let tokens: readonly PathToken[];
  try {
    tokens = parseJsonPath(resultPath).tokens;
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) throw new StatesError('States.ResultPathMatchFailure', resultPathFailureCause(resultPath, input));
    throw e;
  }
  try {
    return put(input, tokens, 0, result);
  } catch (e) {
    if (e instanceof NoMatch) throw new StatesError('States.ResultPathMatchFailure', resultPathFailureCause(resultPath, input));
    throw e;
  }
}
