/**
 * The JSONPath data-flow pipeline, in AWS's order ("Processing input and output in Step Functions"):
 * InputPath -> Parameters -> (the state's work) -> ResultSelector -> ResultPath (onto the raw state input) -> OutputPath.
 * `null` InputPath / OutputPath give `{}`; `null` ResultPath keeps the raw input.
 */
import type { Json } from '../json.js';
import { applyInputPath, applyOutputPath, applyResultPath, resolvePayloadTemplate, type PathScope } from '../path/index.js';

export function inputPathStage(path: string | null | undefined, value: Json, scope: Omit<PathScope, 'input'>): Json {
  return applyInputPath(path, { ...scope, input: value });
}

export function outputPathStage(path: string | null | undefined, value: Json, scope: Omit<PathScope, 'input'>): Json {
  return applyOutputPath(path, { ...scope, input: value });
}

export function templateStage(template: Json | undefined, value: Json, scope: Omit<PathScope, 'input'>): Json {
  if (template === undefined) return value;
  return resolvePayloadTemplate(template, { ...scope, input: value });
}

export function resultPathStage(rawInput: Json, resultPath: string | null | undefined, result: Json): Json {
  return applyResultPath(rawInput, resultPath, result);
}
