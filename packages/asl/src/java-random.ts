/**
 * java.util.Random: the 48-bit linear congruential generator of the Java platform (Knuth's constants). AWS's
 * runtime is Java, so seeded functions use it: `$random(seed)` answers `new Random(seed).nextDouble()` and
 * `States.MathRandom(start, end, seed)` is assumed to be `new Random(seed).nextInt(end - start) + start`. AWS does
 * not document its generator; whatever it is, the same seed gives the same number on every run.
 */
import type { RandomSource } from './random.js';

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

  private next31(): number {
    return Number(BigInt.asIntN(32, this.bits(31)));
  }

  /** `Random.nextInt()` (a signed 32-bit integer), or `Random.nextInt(bound)` for bound > 0. */
  nextInt(bound?: number): number {
    if (bound === undefined) return Number(BigInt.asIntN(32, this.bits(32)));
    let r = this.next31();
    const m = bound - 1;
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n);
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next31());
    return r;
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
