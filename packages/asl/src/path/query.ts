/**
 * Reading a value with a path ("Paths" in the AWS Step Functions developer guide): a definite path gives the one
 * node it names, an indefinite one (wildcard, slice, filter, deep scan, index union) an array of every match.
 * `$` reads the state input, `$$` the context object, `$name` a workflow variable.
 */
import type { Json } from '../json.js';
import { isTokenDefinite, type ParsedJsonPath } from './ast.js';
import { evaluateParsedPath, isPathDefinite, type EvalOptions } from './evaluate.js';
import { JsonPathSyntaxError } from './errors.js';
import { parseJsonPath } from './parse.js';
import { splitPathRoot, type PathScope } from './scope.js';

export type QueryResult = { found: true; value: Json } | { found: false; reason?: string };

export interface QueryOptions {
  /**
   * Strict (InputPath, OutputPath, ItemsPath and the other `...Path` fields): Jayway's default options, so an
   * indefinite path through a missing property fails. Lenient (the default; payload templates, intrinsic
   * arguments): an indefinite path skips what it cannot follow and may give `[]`.
   */
  strict?: boolean;
  /** An index past the end of an array reads as null (the default) or as a miss (intrinsic arguments). */
  missingIndex?: 'null' | 'none';
}

function toParsed(path: string | ParsedJsonPath): ParsedJsonPath {
  return typeof path === 'string' ? parseJsonPath(path) : path;
}

export function isDefinitePath(path: string | ParsedJsonPath): boolean {
  const parsed = typeof path === 'string' ? parseJsonPath(splitPathRoot(path).rooted) : path;
  return isPathDefinite(parsed);
}

/**
 * AWS "reference path": names a single node, using only `.name`, `['name']` and `[n]`
 * ("The operators @ .. , : ? * aren't supported. Functions such as length() aren't supported.").
 * `$$...` and `$name...` roots count.
 */
export function isReferencePath(path: string): boolean {
  let parsed: ParsedJsonPath;
  try {
    parsed = parseJsonPath(splitPathRoot(path).rooted);
  } catch (e) {
    if (e instanceof JsonPathSyntaxError) return false;
    throw e;
  }
  return parsed.tokens.every(
    (t, i) => (t.kind === 'property' && t.names.length === 1) || (t.kind === 'index' && isTokenDefinite(parsed.tokens, i)),
  );
}

/** Jayway semantics over one document: definite path -> the value (or not found), indefinite -> array of matches. */
export function queryJsonPath(path: string | ParsedJsonPath, data: Json, options: QueryOptions = {}): QueryResult {
  const parsed = toParsed(path);
  const opts: EvalOptions = {
    // A definite path always reports why it missed; only an indefinite one can skip branches.
    suppress: !options.strict && !isPathDefinite(parsed),
    missingIndex: options.missingIndex ?? 'null',
  };
  return evaluateParsedPath(parsed, data, data, opts);
}

/** Resolves "$..." against scope.input, "$$..." against scope.context, "$var..." against scope.variables. */
export function queryPath(path: string, scope: PathScope, options: QueryOptions = {}): QueryResult {
  const { root, rooted } = splitPathRoot(path);
  let document: Json;
  if (root.kind === 'input') document = scope.input;
  else if (root.kind === 'context') document = scope.context;
  else {
    const variables = scope.variables ?? {};
    if (!Object.prototype.hasOwnProperty.call(variables, root.name)) return { found: false, reason: `Undefined variable: ${root.name}` };
    document = variables[root.name]!;
  }
  return queryJsonPath(rooted, document, options);
}
