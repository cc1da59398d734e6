/**
 * The array intrinsics (AWS "Intrinsics for arrays"): States.Array, States.ArrayPartition (chunk size rounded to
 * the nearest integer, must be positive), States.ArrayContains, States.ArrayRange (integers, non-zero step, at
 * most 1000 items), States.ArrayGetItem (zero-based index inside the array), States.ArrayLength, States.ArrayUnique.
 */
import type { Json } from '../json.js';
import { jsonEqual } from '../path/json-equal.js';
import { jsonText } from '../path/json-text.js';
import { arrayArg, integerArg, invalid, roundedArg } from './args.js';
import { IntrinsicArgumentError } from './errors.js';

/** The most items States.ArrayRange may produce. */
export const ARRAY_RANGE_MAX_ITEMS = 1000;

export function statesArray(args: readonly Json[]): Json {
  return [...args];
}

export function arrayPartition(args: readonly Json[]): Json {
  const fn = 'States.ArrayPartition';
  const array = arrayArg(fn, args, 0);
  const size = roundedArg(fn, args, 1);
  if (size <= 0) invalid(fn, 1, 'a positive integer (the chunk size)', args[1]!);
  const chunks: Json[] = [];
  for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
  return chunks;
}

export function arrayContains(args: readonly Json[]): Json {
  const array = arrayArg('States.ArrayContains', args, 0);
  return array.some((item) => jsonEqual(item, args[1]!));
}

export function arrayRange(args: readonly Json[]): Json {
  const fn = 'States.ArrayRange';
  const start = integerArg(fn, args, 0);
  const end = integerArg(fn, args, 1);
  const step = integerArg(fn, args, 2);
  if (step === 0) invalid(fn, 2, 'a non-zero integer (the step)', step);
  const count = step > 0 ? (start <= end ? Math.floor((end - start) / step) + 1 : 0) : start >= end ? Math.floor((start - end) / -step) + 1 : 0;
  if (count > ARRAY_RANGE_MAX_ITEMS) {
    throw new IntrinsicArgumentError(`${fn} can create at most ${ARRAY_RANGE_MAX_ITEMS} items, but the arguments would create ${count}`);
  }
  return Array.from({ length: count }, (_, i) => start + i * step);
}

export function arrayGetItem(args: readonly Json[]): Json {
  const fn = 'States.ArrayGetItem';
  const array = arrayArg(fn, args, 0);
  const index = integerArg(fn, args, 1);
  if (index < 0 || index >= array.length) {
    throw new IntrinsicArgumentError(`The index ${index} is out of bounds for an array of length ${array.length}: ${jsonText(array)}`);
  }
  return array[index]!;
}

export function arrayLength(args: readonly Json[]): Json {
  return arrayArg('States.ArrayLength', args, 0).length;
}

export function arrayUnique(args: readonly Json[]): Json {
  const unique: Json[] = [];
  for (const item of arrayArg('States.ArrayUnique', args, 0)) {
    if (!unique.some((seen) => jsonEqual(seen, item))) unique.push(item);
  }
  return unique;
}
