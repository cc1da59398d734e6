/** The weighted choice an alias makes per StartExecution, over a seeded random source. */
import { describe, expect, it } from 'vitest';
import { pickRoute } from '../src/actions/aliases.js';

/** A small seeded generator (mulberry32), uniform in [0, 1): the same seed gives the same draws. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('pickRoute', () => {
  const routes = [{ version: 1, weight: 70 }, { version: 2, weight: 30 }];

  it('maps a draw d to d * 100 against the cumulative weights, in routing order', () => {
    expect([0, 0.5, 0.6999, 0.7, 0.85, 0.99999].map((d) => pickRoute(routes, d).version)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(pickRoute([{ version: 3, weight: 100 }], 0.99999).version).toBe(3);
  });

  it('never picks a route of weight 0', () => {
    const zero = [{ version: 1, weight: 100 }, { version: 2, weight: 0 }];
    const next = seeded(7);
    for (let i = 0; i < 10_000; i++) expect(pickRoute(zero, next()).version).toBe(1);
    expect(pickRoute([{ version: 1, weight: 0 }, { version: 2, weight: 100 }], 0).version).toBe(2);
  });

  it('splits executions by the weights over many draws', () => {
    for (const seed of [1, 42, 2024]) {
      const next = seeded(seed);
      let first = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) if (pickRoute(routes, next()).version === 1) first++;
      // 70% of 20,000 with a standard deviation of about 65: five of them either side.
      expect(Math.abs(first - 0.7 * n)).toBeLessThan(5 * Math.sqrt(n * 0.7 * 0.3));
    }
  });
});
