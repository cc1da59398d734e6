import { describe, expect, it } from 'vitest';
import { JavaRandom } from '../../src/java-random.js';
import { seededRandom } from '../../src/random.js';
import { detail, fixedRandom, run } from './helpers.js';

describe('States.MathAdd', () => {
  it.each([
    [-9, 3, -6],
    [1.49, 1.5, 3],
    [1.5, 1.51, 4],
    [-1.49, -1.5, -2],
    [-1.5, -1.51, -3],
    [-0.5, 0, 0],
    [2.5, 0, 3],
    [-2.5, 0, -2],
  ])('rounds halves up before adding: %d + %d = %d', (a, b, sum) => {
    expect(run('States.MathAdd($.a, $.b)', { a, b })).toBe(sum);
  });

  it('needs numbers within the 32-bit range', () => {
    expect(run('States.MathAdd(2147483647, -1)')).toBe(2147483646);
    expect(detail('States.MathAdd(2147483648, 1)')).toMatch(/first argument of States.MathAdd must be an integer between -2147483648 and 2147483647/);
    expect(detail("States.MathAdd('1', 1)")).toBe('The first argument of States.MathAdd must be a number, but was string: "1"');
  });
});

describe('States.MathRandom', () => {
  it('draws from the scope random between start (inclusive) and end (exclusive)', () => {
    expect(run('States.MathRandom(10, 20)', {}, { random: fixedRandom(0) })).toBe(10);
    expect(run('States.MathRandom(10, 20)', {}, { random: fixedRandom(0.999999) })).toBe(19);
    expect(run('States.MathRandom(-5, -3)', {}, { random: fixedRandom(0.5) })).toBe(-4);
    const values = Array.from({ length: 200 }, () => run('States.MathRandom(12.5, 44.51)', {}, { random: seededRandom(9) }));
    for (const v of values) expect(Number.isInteger(v) && (v as number) >= 13 && (v as number) < 45).toBe(true);
  });

  it('gives the same number for the same seed, whatever the scope random', () => {
    const a = run('States.MathRandom(1, 1000, 42)', {}, { random: fixedRandom(0.1) });
    const b = run('States.MathRandom(1, 1000, 42)', {}, { random: fixedRandom(0.9) });
    expect(a).toBe(b);
    expect(a).toBe(1 + new JavaRandom(42n).nextInt(999));
  });

  it('needs start below end', () => {
    expect(detail('States.MathRandom(5, 5)')).toBe('The start number (5) of States.MathRandom must be less than the end number (5)');
  });
});

describe('JavaRandom', () => {
  it('reproduces java.util.Random', () => {
    // new java.util.Random(42).nextInt() is -1170105035; nextInt(2^31) returns its top 31 bits.
    expect(new JavaRandom(42n).nextInt(2 ** 31)).toBe(-1170105035 >>> 1);
    // new java.util.Random(0).nextInt(10) is 0, then 8.
    const r = new JavaRandom(0n);
    expect([r.nextInt(10), r.nextInt(10)]).toEqual([0, 8]);
  });
});

describe('States.UUID', () => {
  it('is a version 4 UUID drawn from the scope random', () => {
    const a = run('States.UUID()', {}, { random: seededRandom(1) }) as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(run('States.UUID()', {}, { random: seededRandom(1) })).toBe(a);
    expect(run('States.UUID()', {}, { random: seededRandom(2) })).not.toBe(a);
  });
});
