/**
 * The shape of a compiled JSONPath, token by token, as Jayway JsonPath (the library AWS Step Functions uses)
 * splits it: properties, array indexes and slices, wildcards, deep scans, filters and tail functions.
 */
import type { FilterExpr } from './filter-ast.js';

export type PathToken =
  /** `.name`, `['name']`, `['a','b']` (a multi-property leaf merges the properties into one object). */
  | { kind: 'property'; names: string[]; delimiter: "'" | '"' }
  /** `[0]`, `[-1]`, `[0,2]`. */
  | { kind: 'index'; indexes: number[] }
  /** `[1:3]`, `[1:]`, `[:2]`, `[-2:]` (Jayway ignores a step). */
  | { kind: 'slice'; from: number | undefined; to: number | undefined }
  /** `.*` or `[*]`. */
  | { kind: 'wildcard' }
  /** `..` */
  | { kind: 'scan' }
  /** `[?(...)]` */
  | { kind: 'filter'; expr: FilterExpr; source: string }
  /** `.length()` and the other tail functions. */
  | { kind: 'function'; name: string };

export interface ParsedJsonPath {
  /** `$` for the document, `@` for the current item inside a filter. */
  readonly root: '$' | '@';
  readonly tokens: readonly PathToken[];
  /** The text the path was compiled from. */
  readonly source: string;
}

/** A token identifies at most one node (Jayway `isTokenDefinite`). */
export function isTokenDefinite(tokens: readonly PathToken[], i: number): boolean {
  const t = tokens[i]!;
  switch (t.kind) {
    case 'property':
      return t.names.length === 1 || i === tokens.length - 1;
    case 'index':
      return t.indexes.length === 1;
    case 'function':
      return true;
    default:
      return false;
  }
}

/** Every token before `i` is definite (Jayway `isUpstreamDefinite`). */
export function isUpstreamDefinite(tokens: readonly PathToken[], i: number): boolean {
  for (let k = 0; k < i; k++) if (!isTokenDefinite(tokens, k)) return false;
  return true;
}

/** A token as Jayway prints it in a normalised path (`['a']`, `[0]`, `[*]`, `..`, `[?]`). */
export function tokenText(t: PathToken): string {
  switch (t.kind) {
    case 'property':
      return `[${t.names.map((n) => `${t.delimiter}${n}${t.delimiter}`).join(',')}]`;
    case 'index':
      return `[${t.indexes.join(',')}]`;
    case 'slice':
      return `[${t.from ?? ''}:${t.to ?? ''}]`;
    case 'wildcard':
      return '[*]';
    case 'scan':
      return '..';
    case 'filter':
      return '[?]';
    case 'function':
      return `.${t.name}()`;
  }
}

/** The whole path as Jayway prints it in "No results for path: $['a']['b']". */
export function normalizedPath(p: ParsedJsonPath): string {
  return p.root + p.tokens.map(tokenText).join('');
}
