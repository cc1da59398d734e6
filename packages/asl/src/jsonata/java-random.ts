/**
 * `$random(seed)`: AWS documents "same seed returns identical number". AWS's runtime is Java; this reproduces
 * `new java.util.Random(seed).nextDouble()` (48-bit linear congruential generator, Knuth's constants), so a seeded
 * call answers what a Java `Random` seeded with the same long answers. AWS's exact seeding is not in the recorded
 * data: see the report that accompanies this module.
 */
import type { RandomSource } from '../random.js';

const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;
const LONG_MAX = (1n << 63n) - 1n;
const LONG_MIN = -(1n << 63n);

/** Java's `(long) d`: truncation towards zero, saturating at the long range, NaN to 0. */
export function javaLong(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 9.223372036854775807e18) return LONG_MAX;
  if (value <= -9.223372036854775808e18) return LONG_MIN;
  return BigInt(Math.trunc(value));
}

export class JavaRandom implements RandomSource {
  private seed: bigint;

  constructor(seed: bigint) {
    this.seed = (BigInt.asIntN(64, seed) ^ MULTIPLIER) & MASK;
  }

  private bits(count: number): bigint {
    this.seed = (this.seed * MULTIPLIER + ADDEND) & MASK;
    return this.seed >> BigInt(48 - count);
  }

  /** `Random.nextInt()`: a signed 32-bit integer. */
  nextInt(): number {
    return Number(BigInt.asIntN(32, this.bits(32)));
  }

  /** `Random.nextDouble()`: ((next(26) << 27) + next(27)) * 2^-53. */
  nextDouble(): number {
    const high = Number(this.bits(26));
    const low = Number(this.bits(27));
    return (high * 2 ** 27 + low) * 2 ** -53;
  }

  next(): number {
    return this.nextDouble();
  }
}
