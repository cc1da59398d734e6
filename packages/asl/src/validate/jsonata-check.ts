/**
 * JSONata expressions in a definition (AWS developer guide, "Transforming data with JSONata"): a string value that
 * is exactly `{% ... %}` holds an expression. At definition time AWS parses each one and reports
 * INVALID_JSONATA_EXPRESSION with the parser's message (JSONata's text without its "S0xxx" code) at the field;
 * a reference to `$$` and a read of `$states.errorOutput` outside a Catch are UNSUPPORTED_JSONATA_EXPRESSION.
 * A string directly under a field is reported at that field; one inside an object or array at that object or array.
 */
import { compileJsonata } from '../jsonata/compile.js';
import type { Json } from '../json.js';
import { at, item, type Report } from './diagnostics.js';

export function isJsonataString(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

export interface JsonataScope {
  /** True in a Catcher's Output and Assign, the only places `$states.errorOutput` exists. */
  readonly errorOutput: boolean;
}

function walkAst(node: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) walkAst(child, visit);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const record = node as Record<string, unknown>;
  visit(record);
  for (const value of Object.values(record)) walkAst(value, visit);
}

function unsupportedReference(ast: unknown, scope: JsonataScope): string | undefined {
  let problem: string | undefined;
  walkAst(ast, (node) => {
    if (problem) return;
    if (node.type === 'variable' && node.value === '$') problem = "Reference to '$$' is not supported.";
    if (node.type === 'path' && Array.isArray(node.steps) && !scope.errorOutput) {
      const [first, second] = node.steps as Record<string, unknown>[];
      if (first?.type === 'variable' && first.value === 'states' && second?.type === 'name' && second.value === 'errorOutput') {
        problem = "Field '$states.errorOutput' does not exist.";
      }
    }
  });
  return problem;
}

/** Checks one `{% %}` string; returns false when it was reported. */
export function checkJsonataString(report: Report, text: string, location: string, scope: JsonataScope): boolean {
  let ast: unknown;
  try {
    ast = compileJsonata(text.slice(2, -2)).ast();
  } catch (e) {
    const raw = e instanceof Error ? e.message : String((e as { message?: unknown }).message ?? e);
    report.error('INVALID_JSONATA_EXPRESSION', raw.replace(/^S0\d{3}:\s*/, ''), location);
    return false;
  }
  const unsupported = unsupportedReference(ast, scope);
  if (unsupported) {
    report.error('UNSUPPORTED_JSONATA_EXPRESSION', unsupported, location);
    return false;
  }
  return true;
}

/** Checks every `{% %}` string in a value, recursively through objects and arrays. */
export function checkJsonataValue(report: Report, value: Json | undefined, location: string, scope: JsonataScope): void {
  if (isJsonataString(value)) {
    checkJsonataString(report, value, location, scope);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, i) => {
      if (isJsonataString(element)) checkJsonataString(report, element, location, scope);
      else checkJsonataValue(report, element, item(location, i), scope);
    });
    return;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, element] of Object.entries(value)) {
      if (isJsonataString(element)) checkJsonataString(report, element, location, scope);
      else checkJsonataValue(report, element, at(location, key), scope);
    }
  }
}
