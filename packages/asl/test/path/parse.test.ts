import { describe, expect, it } from 'vitest';
import { JsonPathSyntaxError, normalizedPath, parseJsonPath } from '../../src/path/index.js';

describe('parseJsonPath', () => {
  it('splits dot and bracket notation into Jayway tokens', () => {
    expect(parseJsonPath('$.a.b').tokens).toEqual([
      { kind: 'property', names: ['a'], delimiter: "'" },
      { kind: 'property', names: ['b'], delimiter: "'" },
    ]);
    expect(parseJsonPath("$['a b']").tokens).toEqual([{ kind: 'property', names: ['a b'], delimiter: "'" }]);
    expect(parseJsonPath('$["x"]').tokens).toEqual([{ kind: 'property', names: ['x'], delimiter: '"' }]);
    expect(parseJsonPath("$['a','b']").tokens).toEqual([{ kind: 'property', names: ['a', 'b'], delimiter: "'" }]);
  });

  it('reads indexes, unions, slices, wildcards, scans and functions', () => {
    const kinds = (p: string) => parseJsonPath(p).tokens.map((t) => t.kind);
    expect(parseJsonPath('$.a[0]').tokens[1]).toEqual({ kind: 'index', indexes: [0] });
    expect(parseJsonPath('$.a[-1]').tokens[1]).toEqual({ kind: 'index', indexes: [-1] });
    expect(parseJsonPath('$.a[0, 2]').tokens[1]).toEqual({ kind: 'index', indexes: [0, 2] });
    expect(parseJsonPath('$.a[1:3]').tokens[1]).toEqual({ kind: 'slice', from: 1, to: 3 });
    expect(parseJsonPath('$.a[:2]').tokens[1]).toEqual({ kind: 'slice', from: undefined, to: 2 });
    expect(parseJsonPath('$.a[-2:]').tokens[1]).toEqual({ kind: 'slice', from: -2, to: undefined });
    expect(kinds('$.a[*]')).toEqual(['property', 'wildcard']);
    expect(kinds('$.*')).toEqual(['wildcard']);
    expect(kinds('$..name')).toEqual(['scan', 'property']);
    expect(kinds('$.a[?(@.x > 1)]')).toEqual(['property', 'filter']);
    expect(kinds('$.a.length()')).toEqual(['property', 'function']);
    expect(parseJsonPath('$').tokens).toEqual([]);
  });

  it('keeps characters other than blank, dot and bracket in dot-notation names', () => {
    expect(parseJsonPath('$.input-value').tokens[0]).toMatchObject({ names: ['input-value'] });
    expect(parseJsonPath('$.a$b').tokens[0]).toMatchObject({ names: ['a$b'] });
  });

  it('takes a bracket name as written: a backslash only protects the quote', () => {
    // AWS resolves $['Test\""Name"'] against the key Test\""Name" (recorded).
    expect(parseJsonPath(`$['Test\\""Name"']`).tokens[0]).toMatchObject({ names: ['Test\\""Name"'] });
    expect(parseJsonPath(`$['it\\'s']`).tokens[0]).toMatchObject({ names: ["it\\'s"] });
  });

  it('prints the normalised path Jayway puts in its messages', () => {
    expect(normalizedPath(parseJsonPath('$.a.b[0]'))).toBe("$['a']['b'][0]");
    expect(normalizedPath(parseJsonPath('$..x[*][1:]'))).toBe("$..['x'][*][1:]");
    expect(normalizedPath(parseJsonPath('$.a[?(@.b)]'))).toBe("$['a'][?]");
  });

  it.each([
    ['', 'empty'],
    ['a.b', 'no root'],
    ['$.', 'ends with a dot'],
    ['$..', 'ends with a scan'],
    ['$x', 'no . or [ after $'],
    ['$$.a', 'a context path is not a plain JSONPath'],
    ['$.a b', 'blank in dot notation'],
    ['$...a', 'three dots'],
    ["$['a'", 'unclosed bracket'],
    ["$['a]", 'unclosed quote'],
    ['$[1:2:3x]', 'bad slice'],
    ['$[:]', 'empty slice'],
    ['$.a.nosuch()', 'unknown function'],
    ['$.a.length().b', 'function not last'],
    ['$[?(@.a ~~ 1)]', 'unknown operator'],
    ['$[?(@.a =~ /[/)]', 'bad regex'],
  ])('rejects %j (%s)', (path) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathSyntaxError);
  });
});
