/**
 * The jsonata built-ins whose result can be far larger than their arguments, checked against the memory bound
 * (bounds.ts) before they allocate: `$pad` (its width alone sizes the result: `$pad("", 200000000)` makes V8 abort
 * the process), `$join` (the sum of its strings) and `$string` (the JSON text of a value that may repeat one long
 * string many times). Each keeps jsonata's own implementation and signature; only the size is checked first.
 */
import type { Expression, Focus } from 'jsonata';
import { jsonLargerThan, type Json } from '../json.js';
import { compileJsonata } from './compile.js';
import { memoryLimitExceeded, type SizeBounds } from './bounds.js';

interface Builtin {
  implementation: (this: Focus, ...args: unknown[]) => unknown;
  signature: { definition: string };
}

let builtins: Promise<Record<'pad' | 'join' | 'string', Builtin>> | undefined;

/** jsonata's own function objects, read once by evaluating `$pad`, `$join` and `$string`. */
function originals(): Promise<Record<'pad' | 'join' | 'string', Builtin>> {
  builtins ??= (async () => {
    const read = async (name: string) => (await compileJsonata(`$${name}`).evaluate(undefined)) as Builtin;
    return { pad: await read('pad'), join: await read('join'), string: await read('string') };
  })();
  return builtins;
}

export async function registerBoundedBuiltins(expression: Expression, bounds: SizeBounds): Promise<void> {
  const { pad, join, string } = await originals();
  const max = bounds.maxStringLength;
  expression.registerFunction('pad', function (this: Focus, str: unknown, width: unknown, char: unknown) {
    if (typeof width === 'number' && Math.abs(width) > max) throw memoryLimitExceeded();
    return pad.implementation.call(this, str, width, char);
  }, pad.signature.definition);
  expression.registerFunction('join', function (this: Focus, strs: unknown, separator: unknown) {
    if (Array.isArray(strs)) {
      let total = typeof separator === 'string' ? separator.length * Math.max(0, strs.length - 1) : 0;
      for (const s of strs) total += typeof s === 'string' ? s.length : 0;
      if (total > max) throw memoryLimitExceeded();
    }
    return join.implementation.call(this, strs, separator);
  }, join.signature.definition);
  expression.registerFunction('string', function (this: Focus, arg: unknown, prettify: unknown) {
    if (typeof arg === 'object' && arg !== null && jsonLargerThan(arg as Json, max)) throw memoryLimitExceeded();
    return string.implementation.call(this, arg, prettify);
  }, string.signature.definition);
}
