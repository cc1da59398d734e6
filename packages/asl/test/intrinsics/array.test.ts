import { describe, expect, it } from 'vitest';
import { detail, run } from './helpers.js';

describe('States.Array', () => {
  it('collects its arguments in order', () => {
    expect(run('States.Array()')).toEqual([]);
    expect(run("States.Array('a', 1, null, $.o)", { o: { k: [] } })).toEqual(['a', 1, null, { k: [] }]);
  });
});

describe('States.ArrayPartition', () => {
  it('splits into chunks, the last one shorter', () => {
    expect(run('States.ArrayPartition($.a, 2)', { a: [1, 2, 3, 4, 5] })).toEqual([[1, 2], [3, 4], [5]]);
    expect(run('States.ArrayPartition($.a, 4)', { a: [] })).toEqual([]);
    expect(run('States.ArrayPartition($.a, 9)', { a: [0, 1] })).toEqual([[0, 1]]);
  });

  it('rounds a fractional chunk size and rejects a non-positive one', () => {
    expect(run('States.ArrayPartition($.a, 1.5)', { a: [1, 2, 3] })).toEqual([[1, 2], [3]]);
    expect(detail('States.ArrayPartition($.a, 0)', { a: [1] })).toMatch(/second argument of States.ArrayPartition must be a positive integer/);
    expect(detail('States.ArrayPartition($.a, -2)', { a: [1] })).toMatch(/positive integer/);
    expect(detail("States.ArrayPartition('x', 2)")).toBe('The first argument of States.ArrayPartition must be an array, but was string: "x"');
  });
});

describe('States.ArrayContains', () => {
  it('compares by JSON value', () => {
    expect(run('States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: [1, 2, 3] })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [{ x: 1, y: [] }], v: { y: [], x: 1 } })).toBe(true);
    expect(run('States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: null })).toBe(false);
    expect(run('States.ArrayContains($.a, false)', { a: [true, false] })).toBe(true);
    expect(run('States.ArrayContains($.a, 1)', { a: ['1'] })).toBe(false);
  });
});

describe('States.ArrayRange', () => {
  it('counts from start to end by step, end included when reached', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(run('States.ArrayRange(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(run('States.ArrayRange(1, 9, 9)')).toEqual([1]);
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayRange(5, 1, 1)')).toEqual([]);
  });

  it('needs integers, a non-zero step, and at most 1000 items', () => {
    expect(run('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(detail('States.ArrayRange(0, 1000, 1)')).toBe('States.ArrayRange can create at most 1000 items, but the arguments would create 1001');
    expect(detail('States.ArrayRange(1, 5, 0)')).toMatch(/third argument of States.ArrayRange must be a non-zero integer/);
    expect(detail('States.ArrayRange(1.5, 5, 1)')).toMatch(/first argument of States.ArrayRange must be an integer/);
  });
});

describe('States.ArrayGetItem', () => {
  it('reads a zero-based index', () => {
    expect(run('States.ArrayGetItem($.a, $.i)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9], i: 5 })).toBe(6);
    expect(run('States.ArrayGetItem($.a, 0)', { a: [{ k: 1 }] })).toEqual({ k: 1 });
  });

  it('fails outside the array or for a non-integer index', () => {
    expect(detail('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] })).toBe('The index 3 is out of bounds for an array of length 3: [1,2,3]');
    expect(detail('States.ArrayGetItem($.a, -1)', { a: [1, 2, 3] })).toMatch(/out of bounds/);
    expect(detail('States.ArrayGetItem($.a, 1.5)', { a: [1, 2, 3] })).toMatch(/second argument of States.ArrayGetItem must be an integer/);
  });
});

describe('States.ArrayLength and States.ArrayUnique', () => {
  it('count and de-duplicate by value, keeping first occurrences', () => {
    expect(run('States.ArrayLength($)', [null, 1, 'x'])).toBe(3);
    expect(run('States.ArrayUnique($.a)', { a: [1, 2, 2, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run('States.ArrayUnique($.a)', { a: [null, null, [], [], { a: 1 }, { a: 1 }, '1', 1] })).toEqual([null, [], { a: 1 }, '1', 1]);
    expect(detail('States.ArrayLength($.o)', { o: {} })).toBe('The first argument of States.ArrayLength must be an array, but was object: {}');
  });
});
