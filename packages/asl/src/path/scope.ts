/**
 * What a JSONPath-mode path, payload template or intrinsic function may read: `$` the state's input, `$$` the
 * context object, `$name` a workflow variable (Assign), and the randomness States.UUID / States.MathRandom use.
 */
import type { Json } from '../json.js';
import type { RandomSource } from '../random.js';

export interface PathScope {
  /** The "$" document. */
  input: Json;
  /** The "$$" context object. */
  context: Json;
  /** Workflow variables: "$name" / "$name.field" (Assign, JSONPath mode). */
  variables?: Record<string, Json>;
  /** For States.UUID / States.MathRandom. */
  random: RandomSource;
}

/** Where a path starts: `$...` (input), `$$...` (context object) or `$name...` (a variable). */
export type PathRoot = { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };

const VARIABLE = /^\$([^.[\s$()'",]+)/u;

/** Splits `$$.a` / `$name.a` / `$.a` into its root and the same path rooted at `$`. */
export function splitPathRoot(path: string): { root: PathRoot; rooted: string } {
  const text = path.trim();
  if (text.startsWith('$$')) return { root: { kind: 'context' }, rooted: text.slice(1) };
  const variable = VARIABLE.exec(text);
  if (variable) return { root: { kind: 'variable', name: variable[1]! }, rooted: `$${text.slice(variable[0].length)}` };
  return { root: { kind: 'input' }, rooted: text };
}
