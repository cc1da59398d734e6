import { describe, expect, it } from 'vitest';
import { detail, run } from './helpers.js';

describe('States.JsonMerge', () => {
  it('merges shallowly, the second object winning', () => {
    const out = run('States.JsonMerge($.a, $.b, false)', { a: { a: { a1: 1 }, b: 2, d: 3 }, b: { a: { a3: 1 }, c: 3, d: 4 } });
    expect(JSON.stringify(out)).toBe('{"a":{"a3":1},"b":2,"d":4,"c":3}');
  });

  it('supports only false as the third argument, and objects to merge', () => {
    expect(detail('States.JsonMerge($.a, $.a, true)', { a: {} })).toBe(
      'States.JsonMerge supports only the shallow merging mode: the third argument must be false',
    );
    expect(detail("States.JsonMerge($.a, $.a, 'false')", { a: {} })).toMatch(/third argument of States.JsonMerge must be a boolean/);
    expect(detail('States.JsonMerge($.a, $.b, false)', { a: {}, b: [1] })).toMatch(/second argument of States.JsonMerge must be a JSON object/);
  });
});

describe('States.StringToJson', () => {
  it.each([
    ['', null],
    [' ', null],
    ['null', null],
    ['-0', 0],
    ['1.1', 1.1],
    ['"HelloWorld"', 'HelloWorld'],
    ['[1, 2, "x"]', [1, 2, 'x']],
    ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }],
  ])('parses %j', (text, value) => {
    expect(run('States.StringToJson($.s)', { s: text })).toEqual(value);
  });

  it('fails on text that is not JSON', () => {
    expect(detail('States.StringToJson($.s)', { s: '{oops' })).toBe('The input to States.StringToJson is not valid JSON: {oops');
    expect(detail('States.StringToJson($.n)', { n: 1 })).toMatch(/must be a string/);
  });

  it('parses a literal with unescaped braces', () => {
    expect(run(`States.JsonMerge(States.StringToJson('{"k": "false"}'), $.o, false)`, { o: { z: 1 } })).toEqual({ k: 'false', z: 1 });
  });
});

describe('States.JsonToString', () => {
  it.each([
    [null, 'null'],
    [1.1, '1.1'],
    [true, 'true'],
    ['HelloWorld', '"HelloWorld"'],
    [[1, 2, 'HelloWorld'], '[1,2,"HelloWorld"]'],
    [{ Arg1: 1, Arg2: [] }, '{"Arg1":1,"Arg2":[]}'],
  ])('prints %j compactly', (value, text) => {
    expect(run('States.JsonToString($.v)', { v: value })).toBe(text);
  });
});
