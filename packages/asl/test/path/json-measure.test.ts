import { describe, expect, it } from 'vitest';
import { jsonByteLength, jsonLargerThan, measureJson, nestingBeyond, type Json } from '../../src/index.js';

/** A value `depth` levels deep: arrays, objects in turn. */
function nested(depth: number): Json {
  let v: Json = 'leaf';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
  return v;
}

describe('measureJson: the depth and size check of a state output in one walk', () => {
  const values: Json[] = [
    null, 0, -1.5, true, '', 'é✓', [], {}, [1, 'two', null, { three: [3] }], { a: { b: { c: 'd' } }, e: [[], {}] },
    { 'ünïcode key': 'välue', n: 12345678.5 }, nested(999), nested(1000),
  ];

  it('finds the same depth past the limit as nestingBeyond', () => {
    for (const v of [...values, nested(1001), nested(1500)]) {
      expect(measureJson(v).depthBeyond).toBe(nestingBeyond(v));
    }
    expect(measureJson(nested(1001)).depthBeyond).toBe(1001);
    expect(measureJson(nested(5), 3).depthBeyond).toBe(4);
  });

  it('gives a lower bound of the UTF-8 size that is exact for ASCII strings and one-digit numbers', () => {
    for (const v of values) expect(measureJson(v).lowerBound).toBeLessThanOrEqual(jsonByteLength(v));
    for (const v of [{ a: 'b', c: [1, 2] }, ['x', [], {}], 'plain']) expect(measureJson(v).lowerBound).toBe(jsonByteLength(v));
  });

  it('bounds a value built of many references to one string without serialising it', () => {
    const long = 'x'.repeat(1000);
    const shared: Json = Array.from({ length: 10_000 }, () => long); // ten megabytes of text from one string
    const m = measureJson(shared);
    expect(m.lowerBound).toBeGreaterThan(10_000_000);
    expect(jsonLargerThan(shared, 262_144)).toBe(true);
  });
});
