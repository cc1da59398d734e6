import { describe, expect, it } from 'vitest';
import { javaNumberText, javaText, jsonText } from '../../src/path/index.js';

describe('jsonText', () => {
  it('is compact JSON with keys in order', () => {
    expect(jsonText({ b: 1, a: [1, 2, 'x'], c: { d: null, e: true } })).toBe('{"b":1,"a":[1,2,"x"],"c":{"d":null,"e":true}}');
    expect(jsonText('He said "hi"\n')).toBe('"He said \\"hi\\"\\n"');
  });

  it('prints numbers as Jackson does', () => {
    expect(javaNumberText(3)).toBe('3');
    expect(javaNumberText(-0)).toBe('0');
    expect(javaNumberText(1.1)).toBe('1.1');
    expect(javaNumberText(0.00001)).toBe('1.0E-5');
    expect(javaNumberText(12345678.5)).toBe('1.23456785E7');
    expect(javaNumberText(0.001)).toBe('0.001');
  });
});

describe('javaText (States.Format rendering)', () => {
  it('prints maps and lists as Java does', () => {
    expect(javaText({ Arg1: 1, Arg2: [] })).toBe('{Arg1=1, Arg2=[]}');
    expect(javaText([1, 'a', null, { x: [true] }])).toBe('[1, a, null, {x=[true]}]');
    expect(javaText('plain')).toBe('plain');
    expect(javaText(null)).toBe('null');
  });
});
