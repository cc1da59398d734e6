/**
 * JSONPath-mode paths (AWS developer guide, "Paths" and "Reference paths"): InputPath / OutputPath take any
 * JSONPath ("Value must be a valid JSONPath."), ResultPath and the `...Path` fields take a reference path, which
 * names a single node ("Value is not a Reference Path"). A path starts at `$` (the input), `$$` (the context
 * object) or `$name` (a workflow variable). In a payload template (Parameters, ResultSelector, ItemSelector,
 * Assign), a key ending in `.$` takes a path or an intrinsic function call: "The value for the field 'x.$' must be a
 * valid JSONPath or a valid intrinsic function call", reported at the object holding the key.
 */
import type { Json } from '../json.js';
import { isIntrinsicCall, parseIntrinsic } from '../intrinsics/index.js';
import { isReferencePath, parseJsonPath } from '../path/index.js';
import { at, item, type Report } from './diagnostics.js';
import { message } from './messages.js';

const VARIABLE_ROOT = /^\$[\p{ID_Start}_][\p{ID_Continue}]*/u;

/** The path with its `$$` or `$name` root rewritten to `$`, so it can be checked as an input path. */
function rooted(path: string): string {
  if (path.startsWith('$$')) return `$${path.slice(2)}`;
  const variable = VARIABLE_ROOT.exec(path);
  if (variable) return `$${path.slice(variable[0].length)}`;
  return path;
}

export function isValidPath(path: string): boolean {
  if (!path.startsWith('$')) return false;
  for (const candidate of path === rooted(path) ? [path] : [path, rooted(path)]) {
    try {
      parseJsonPath(candidate);
      return true;
    } catch {
      // try the next spelling
    }
  }
  return false;
}

export function isValidReferencePath(path: string): boolean {
  if (!path.startsWith('$')) return false;
  return isReferencePath(path) || isReferencePath(rooted(path));
}

export function isValidIntrinsic(text: string): boolean {
  if (!isIntrinsicCall(text)) return false;
  try {
    parseIntrinsic(text);
    return true;
  } catch {
    return false;
  }
}

/** InputPath / OutputPath: null, or a JSONPath. */
export function checkJsonPathField(report: Report, value: Json | undefined, location: string): void {
  if (value === null) return;
  if (typeof value !== 'string') report.schema(message.type('STRING'), location);
  else if (!isValidPath(value)) report.schema(message.jsonPath(), location);
}

/** ResultPath (null allowed) and the `...Path` fields (`nullable` false): a reference path. */
export function checkReferencePathField(report: Report, value: Json | undefined, location: string, nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'string') report.schema(message.type('STRING'), location);
  else if (!isValidReferencePath(value)) report.schema(message.referencePath(), location);
}

/** ErrorPath / CausePath: a reference path or an intrinsic function call. */
export function checkPathOrIntrinsicField(report: Report, value: Json | undefined, location: string): void {
  if (typeof value !== 'string') report.schema(message.type('STRING'), location);
  else if (!isValidReferencePath(value) && !isValidIntrinsic(value)) report.schema(message.referencePath(), location);
}

/** Every `.$` key of a JSONPath payload template, recursively through objects and arrays. */
export function checkPayloadTemplate(report: Report, template: Json | undefined, location: string): void {
  if (Array.isArray(template)) {
    template.forEach((element, i) => checkPayloadTemplate(report, element, item(location, i)));
    return;
  }
  if (typeof template !== 'object' || template === null) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string' || !(isValidPath(value) || isValidIntrinsic(value))) {
        report.schema(message.templatePath(key), location);
      }
    } else {
      checkPayloadTemplate(report, value, at(location, key));
    }
  }
}
