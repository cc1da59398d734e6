import { describe, expect, it } from 'vitest';
import { JavaRandom, javaLong } from '../../src/java-random.js';

// Reference values of OpenJDK's java.util.Random.
describe('JavaRandom', () => {
  it('reproduces java.util.Random', () => {
    expect(new JavaRandom(42n).nextInt()).toBe(-1170105035);
    expect(new JavaRandom(0n).nextInt()).toBe(-1155484576);
    expect(new JavaRandom(0n).nextDouble()).toBe(0.730967787376657);
    const r = new JavaRandom(42n);
    expect([r.nextDouble(), r.nextDouble()]).toEqual([0.7275636800328681, 0.6832234717598454]);
  });

  it("converts a seed like Java's (long) cast", () => {
    expect(javaLong(-1.7)).toBe(-1n);
    expect(javaLong(2.9)).toBe(2n);
    expect(javaLong(Number.NaN)).toBe(0n);
    expect(javaLong(1e30)).toBe(9223372036854775807n);
    expect(javaLong(-1e30)).toBe(-9223372036854775808n);
  });
});
