import { describe, expect, it } from 'vitest';
import { evaluateJsonataValue } from '../../src/jsonata/index.js';
import { scopeOf } from './scope.js';

const evaluate = (expression: string, input: unknown = {}) =>
  evaluateJsonataValue(`{% ${expression} %}`, scopeOf({ input: input as never }), 'Output');

describe('JSONata regular expressions run on a linear-time engine (issue 18)', () => {
  it('answers a catastrophic-backtracking pattern at once', async () => {
    // On a backtracking engine /^(a+)+$/ over 40 a's and a b takes minutes; here it is one linear pass.
    const subject = `${'a'.repeat(40)}b`;
    expect(await evaluate('$contains($states.input.s, /^(a+)+$/)', { s: subject })).toBe(false);
    expect(await evaluate('$contains($states.input.s, /^(a|aa)+$/)', { s: 'a'.repeat(5000) })).toBe(true);
  });

  it('keeps jsonata semantics: groups, indexes, flags, every match, replacements and splits', async () => {
    expect(await evaluate('$match("ab12cd345", /[0-9]+/)')).toEqual([
      { match: '12', index: 2, groups: [] },
      { match: '345', index: 6, groups: [] },
    ]);
    expect(await evaluate('$match("key=val", /(\\w+)=(\\w+)/)')).toEqual({ match: 'key=val', index: 0, groups: ['key', 'val'] });
    expect(await evaluate('$contains("Hello", /hello/i)')).toBe(true);
    expect(await evaluate('$contains("Hello", /hello/)')).toBe(false);
    expect(await evaluate('$match("a\\nb", /^b$/m).match')).toBe('b');
    expect(await evaluate('$replace("2024-01-05", /(\\d+)-(\\d+)-(\\d+)/, "$3/$2/$1")')).toBe('05/01/2024');
    expect(await evaluate('$split("a1b22c", /[0-9]+/)')).toEqual(['a', 'b', 'c']);
    expect(await evaluate('$match("😀x😀x", /x/).index')).toEqual([2, 5]); // UTF-16 indexes, as jsonata reports them
    expect(await evaluate('"abc" ~> /b/ ? "yes" : "no"')).toBe('yes');
  });

  it('refuses constructs that need backtracking, naming them', async () => {
    await expect(evaluate('$contains("aa", /(a)\\1/)')).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: expect.stringContaining('cannot run on a linear-time engine'),
    });
    await expect(evaluate('$contains("ab", /a(?=b)/)')).rejects.toMatchObject({ cause: expect.stringContaining('(?=') });
  });
});
