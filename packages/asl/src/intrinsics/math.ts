/**
 * The math intrinsics (AWS "Intrinsics for Math operations"): States.MathAdd and States.MathRandom take integers;
 * a number with a fraction is rounded to the nearest integer (halves up: 1.5 -> 2, -1.5 -> -1), and values must fit
 * a 32-bit integer. MathRandom returns an integer from start (inclusive) to end (exclusive); with a seed the
 * number is the same on every run (see java-random.ts), without one it comes from the scope's RandomSource.
 */
import type { Json } from '../json.js';
import type { RandomSource } from '../random.js';
import { int32Arg } from './args.js';
import { IntrinsicArgumentError } from './errors.js';
import { JavaRandom } from '../java-random.js';

export function mathAdd(args: readonly Json[]): Json {
  const fn = 'States.MathAdd';
  return int32Arg(fn, args, 0) + int32Arg(fn, args, 1);
}

export function mathRandom(args: readonly Json[], random: RandomSource): Json {
  const fn = 'States.MathRandom';
  const start = int32Arg(fn, args, 0);
  const end = int32Arg(fn, args, 1);
  if (start >= end) throw new IntrinsicArgumentError(`The start number (${start}) of ${fn} must be less than the end number (${end})`);
  const bound = end - start;
  if (args.length === 3) {
    const seed = int32Arg(fn, args, 2);
    return start + new JavaRandom(BigInt(seed)).nextInt(bound);
  }
  return start + Math.min(bound - 1, Math.floor(random.next() * bound));
}
