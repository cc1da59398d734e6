/**
 * The JSONPath data-flow pipeline, in AWS's order ("Processing input and output in Step Functions"):
 * InputPath -> Parameters -> (the state's work) -> ResultSelector -> ResultPath (onto the raw state input) -> OutputPath.
 * `null` InputPath / OutputPath give `{}`; `null` ResultPath keeps the raw input.
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import { applyResultPath, queryPath, resolvePayloadTemplate, type PathScope } from '../path/index.js';

function filterPath(path: string | null | undefined, value: Json, scope: Omit<PathScope, 'input'>): Json {
  if (path === undefined) return value;
  if (path === null) return {};
  const r = queryPath(path, { ...scope, input: value });
  if (!r.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : No results for path: ${bracketPath(path)}`);
  return r.value;
}

/** `$.a.b` -> `$['a']['b']`, as Jayway prints a path in its errors. */
export function bracketPath(path: string): string {
  if (!path.startsWith('$')) return path;
  const parts = path
    .slice(1)
    .split('.')
    .filter((p) => p.length > 0)
    .map((p) => (/^\[.*\]$/.test(p) ? p : `['${p}']`));
  return `$${parts.join('')}`;
}

export const inputPathStage = filterPath;
export const outputPathStage = filterPath;

export function templateStage(template: Json | undefined, value: Json, scope: Omit<PathScope, 'input'>): Json {
  if (template === undefined) return value;
  return resolvePayloadTemplate(template, { ...scope, input: value });
}

export function resultPathStage(rawInput: Json, resultPath: string | null | undefined, result: Json): Json {
  return applyResultPath(rawInput, resultPath, result);
}
