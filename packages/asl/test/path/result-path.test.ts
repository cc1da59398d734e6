import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import type { Json } from '../../src/json.js';
import { applyResultPath } from '../../src/path/index.js';

function failure(input: Json, path: string, result: Json): StatesError {
  try {
    applyResultPath(input, path, result);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('applyResultPath', () => {
  const input = { comment: 'test', details: { a: 1 } };

  it('keeps the input for null and replaces it for "$" or no ResultPath', () => {
    expect(applyResultPath(input, null, 'r')).toBe(input);
    expect(applyResultPath(input, '$', 'r')).toBe('r');
    expect(applyResultPath(input, undefined, { r: 1 })).toEqual({ r: 1 });
  });

  it('adds or replaces a field, keeping key order and the input untouched', () => {
    const out = applyResultPath(input, '$.comment', 'new');
    expect(JSON.stringify(out)).toBe('{"comment":"new","details":{"a":1}}');
    expect(JSON.stringify(applyResultPath(input, '$.taskresult', 'Hello'))).toBe('{"comment":"test","details":{"a":1},"taskresult":"Hello"}');
    expect(input).toEqual({ comment: 'test', details: { a: 1 } });
  });

  it('creates the missing objects on the way', () => {
    expect(applyResultPath(input, '$.x.y.z', 7)).toEqual({ ...input, x: { y: { z: 7 } } });
    expect(applyResultPath(input, "$.details['b c']", true)).toEqual({ comment: 'test', details: { a: 1, 'b c': true } });
  });

  it('writes into an existing array element', () => {
    expect(applyResultPath({ l: [{ a: 1 }, { a: 2 }] }, '$.l[1].b', 3)).toEqual({ l: [{ a: 1 }, { a: 2, b: 3 }] });
  });

  it('fails with States.ResultPathMatchFailure when the input cannot hold the node', () => {
    const e = failure('a string', '$.x', 1);
    expect(e.error).toBe('States.ResultPathMatchFailure');
    expect(e.cause).toBe('Unable to apply ReferencePath $.x to input "a string"');
    expect(failure({ a: 'text' }, '$.a.b', 1).cause).toBe('Unable to apply ReferencePath $.a.b to input {"a":"text"}');
    expect(failure([1, 2], '$.x', 1).error).toBe('States.ResultPathMatchFailure');
    expect(failure({ l: [1] }, '$.l[3]', 1).error).toBe('States.ResultPathMatchFailure');
    expect(failure({}, '$.a[*]', 1).error).toBe('States.ResultPathMatchFailure');
  });
});
