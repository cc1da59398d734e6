import { describe, expect, it } from 'vitest';
import { isDefinitePath, isReferencePath, parseJsonPath } from '../../src/path/index.js';

describe('isReferencePath', () => {
  it.each(['$', '$.a', "$.a['b c'][0].d", '$[0]', '$$', '$$.Execution.Input', '$myVar', '$myVar.field[2]', '$.a[-1]'])(
    'accepts %j',
    (path) => expect(isReferencePath(path)).toBe(true),
  );

  it.each(['$.a[*]', '$..a', '$.a[0,1]', "$['a','b']", '$.a[1:2]', '$.a[?(@.b)]', '$.a.length()', '$.*', 'a.b', '$.a b', ''])(
    'rejects %j',
    (path) => expect(isReferencePath(path)).toBe(false),
  );
});

describe('isDefinitePath', () => {
  it('is true when every token names one node', () => {
    expect(isDefinitePath('$.a.b[0]')).toBe(true);
    expect(isDefinitePath("$.a['x','y']")).toBe(true); // a multi-property leaf merges into one object
    expect(isDefinitePath('$.a.length()')).toBe(true);
    expect(isDefinitePath('$$.Execution.Id')).toBe(true);
    expect(isDefinitePath(parseJsonPath('$.x'))).toBe(true);
  });

  it('is false for wildcards, slices, unions, scans and filters', () => {
    for (const p of ['$.a[*]', '$.a[1:]', '$.a[0,1]', "$['x','y'].z", '$..a', '$.a[?(@.b)]']) expect(isDefinitePath(p)).toBe(false);
  });
});
