/**
 * `$random()` / `$random(seed)`: the JSONata equivalent of States.MathRandom, a number n with 0 <= n < 1.
 * Without a seed it draws from the execution's random source; with a seed it answers what
 * `new java.util.Random(seed).nextDouble()` answers, so the same seed always returns the same number.
 * `$uuid()`: a version 4 UUID from the execution's random source; it takes no arguments.
 */
import type { RandomSource } from '../random.js';
import { randomUuid } from '../random.js';
import { JavaRandom, javaLong } from '../java-random.js';
import { rejectSurplus, signatureError } from './function-arguments.js';

export function randomFunction(source: RandomSource) {
  return (...args: unknown[]): unknown => {
    rejectSurplus('random', args, 1);
    const [seed] = args;
    if (seed === undefined) return source.next();
    if (typeof seed !== 'number') throw signatureError('random', 1);
    return new JavaRandom(javaLong(seed)).nextDouble();
  };
}

export function uuidFunction(source: RandomSource) {
  return (...args: unknown[]): unknown => {
    rejectSurplus('uuid', args, 0);
    return randomUuid(source);
  };
}

/** JSONata's own `$shuffle` (inside-out Fisher-Yates), drawing from the execution's random source, never from the host's. */
export function shuffleFunction(source: RandomSource) {
  return (array: unknown): unknown => {
    if (array === undefined) return undefined;
    const items = Array.isArray(array) ? array : [array];
    if (items.length <= 1) return items;
    const result: unknown[] = new Array<unknown>(items.length);
    for (let i = 0; i < items.length; i++) {
      const j = Math.floor(source.next() * (i + 1));
      if (i !== j) result[i] = result[j];
      result[j] = items[i];
    }
    return result;
  };
}
