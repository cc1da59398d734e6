import { describe, expect, it } from 'vitest';
import { stringMatches } from '../../src/choice/index.js';

describe('stringMatches', () => {
  it('treats * as any run of characters, including none', () => {
    expect(stringMatches('log-2024.txt', 'log-*.txt')).toBe(true);
    expect(stringMatches('log-.txt', 'log-*.txt')).toBe(true);
    expect(stringMatches('log-2024.txt.bak', 'log-*.txt')).toBe(false);
    expect(stringMatches('anything', '*')).toBe(true);
    expect(stringMatches('', '*')).toBe(true);
    expect(stringMatches('', '')).toBe(true);
    expect(stringMatches('a', '')).toBe(false);
    expect(stringMatches('abcabd', '*abd')).toBe(true);
    expect(stringMatches('abcabc', 'a*c*c')).toBe(true);
    expect(stringMatches('abcab', 'a*c*c')).toBe(false);
    expect(stringMatches('xay', '**a**')).toBe(true);
  });

  it('matches the whole value, case-sensitively', () => {
    expect(stringMatches('prefix-log-1.txt', 'log-*.txt')).toBe(false);
    expect(stringMatches('LOG-1.txt', 'log-*.txt')).toBe(false);
  });

  it('gives no other character a special meaning', () => {
    expect(stringMatches('a.c', 'a.c')).toBe(true);
    expect(stringMatches('abc', 'a.c')).toBe(false);
    expect(stringMatches('a?c', 'a?c')).toBe(true);
    expect(stringMatches('abc', 'a?c')).toBe(false);
    expect(stringMatches('[x]+(y)', '[x]+(y)')).toBe(true);
  });

  it('reads \\* as a literal star and \\\\ as a literal backslash', () => {
    expect(stringMatches('a*b', 'a\\*b')).toBe(true);
    expect(stringMatches('axb', 'a\\*b')).toBe(false);
    expect(stringMatches('a\\b', 'a\\\\b')).toBe(true);
    expect(stringMatches('a\\xyz', 'a\\\\*')).toBe(true); // escaped backslash, then a wildcard
    expect(stringMatches('a\\n', 'a\\n')).toBe(true); // a backslash before another character stands for itself
  });

  it('works on code points, so * never splits a surrogate pair', () => {
    expect(stringMatches('\u{1F600}x', '*x')).toBe(true);
    expect(stringMatches('\u{1F600}', '\u{1F600}')).toBe(true);
  });

  it('stays fast on patterns that make naive backtracking explode', () => {
    const value = 'a'.repeat(5000);
    expect(stringMatches(value, '*a*a*a*a*a*a*a*b')).toBe(false);
  });
});

describe('stringMatches on adversarial input (issue 18: a backtracking matcher took 4.8 s on 64k characters)', () => {
  // Both inputs make a backtracking matcher retry the long literal at every position: O(n*m), hours here.
  // The linear matcher answers at once; the test's own time limit is the only clock involved.
  const n = 256 * 1024;
  it('refuses a long literal that almost matches everywhere', () => {
    const value = 'a'.repeat(n);
    expect(stringMatches(value, `*${'a'.repeat(n / 2)}b*`)).toBe(false);
    expect(stringMatches(value, `*${'a'.repeat(n / 2)}*`)).toBe(true);
  });

  it('matches many stars in order, each literal at its leftmost place', () => {
    const value = 'ab'.repeat(n / 2) + 'c';
    expect(stringMatches(value, `${'*ab'.repeat(1000)}*c`)).toBe(true);
    expect(stringMatches(value, `${'*ab'.repeat(1000)}*ac`)).toBe(false);
    expect(stringMatches('xaby', '*ab*ab*')).toBe(false);
    expect(stringMatches('abab', 'ab*ab')).toBe(true);
    expect(stringMatches('aba', 'ab*ba')).toBe(false); // prefix and suffix may not overlap
  });
});
