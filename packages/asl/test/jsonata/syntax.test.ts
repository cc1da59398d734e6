import { describe, expect, it } from 'vitest';
import { jsonataSyntaxProblem, referencedStatesMembers } from '../../src/jsonata/index.js';

describe('jsonataSyntaxProblem', () => {
  it('accepts valid expressions, with or without delimiters', () => {
    expect(jsonataSyntaxProblem('{% $states.input.a[0] %}')).toBeNull();
    expect(jsonataSyntaxProblem('$sum([1,2])')).toBeNull();
  });

  it("gives the parser's message without its code", () => {
    expect(jsonataSyntaxProblem('{% a[1,2) %}')).toBe('Expected "]", got ","');
    expect(jsonataSyntaxProblem('1 +')).toBe('Unexpected end of expression');
    expect(jsonataSyntaxProblem('{%  %}')).toBe('Unexpected end of expression');
    expect(jsonataSyntaxProblem('"unterminated')).toBe('String literal must be terminated by a matching quote');
  });
});

describe('referencedStatesMembers', () => {
  it('lists the $states members an expression reads', () => {
    expect(referencedStatesMembers('$states.input.a + $f($states.result.b) ~> $g').sort()).toEqual(['input', 'result']);
    expect(referencedStatesMembers('$states.errorOutput')).toEqual(['errorOutput']);
    expect(referencedStatesMembers('$states')).toEqual([]);
    expect(referencedStatesMembers('$x.result')).toEqual([]);
    expect(referencedStatesMembers('a[')).toEqual([]);
  });
});
