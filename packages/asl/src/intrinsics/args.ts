/**
 * Argument checks shared by the intrinsic functions ("Input validation" in each function's AWS documentation).
 * Each failure becomes "The function '...' had the following error: <detail>".
 */
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { jsonText } from '../path/json-text.js';
import { IntrinsicArgumentError } from './errors.js';

/** Largest and smallest 32-bit integers, the range AWS gives for the math functions. */
export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

const ORDINALS = ['first', 'second', 'third', 'fourth'];

export function typeName(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isJsonObject(v)) return 'object';
  return typeof v;
}

function ordinal(index: number): string {
  return ORDINALS[index] ?? `#${index + 1}`;
}

export function invalid(fn: string, index: number, expected: string, value: Json): never {
  throw new IntrinsicArgumentError(
    `The ${ordinal(index)} argument of ${fn} must be ${expected}, but was ${typeName(value)}: ${jsonText(value)}`,
  );
}

export function arrayArg(fn: string, args: readonly Json[], index: number): Json[] {
  const v = args[index]!;
  if (!Array.isArray(v)) invalid(fn, index, 'an array', v);
  return v;
}

export function objectArg(fn: string, args: readonly Json[], index: number): JsonObject {
  const v = args[index]!;
  if (!isJsonObject(v)) invalid(fn, index, 'a JSON object', v);
  return v;
}

export function stringArg(fn: string, args: readonly Json[], index: number): string {
  const v = args[index]!;
  if (typeof v !== 'string') invalid(fn, index, 'a string', v);
  return v;
}

export function numberArg(fn: string, args: readonly Json[], index: number): number {
  const v = args[index]!;
  if (typeof v !== 'number') invalid(fn, index, 'a number', v);
  return v;
}

/** An integer argument; a number with a fraction is an error. */
export function integerArg(fn: string, args: readonly Json[], index: number): number {
  const v = args[index]!;
  if (typeof v !== 'number' || !Number.isInteger(v)) invalid(fn, index, 'an integer', v);
  return v;
}

/** A number rounded to the nearest integer, halves up (Java Math.round), as AWS does for MathAdd / MathRandom. */
export function roundedArg(fn: string, args: readonly Json[], index: number): number {
  return Math.round(numberArg(fn, args, index));
}

/** A rounded number inside the 32-bit integer range. */
export function int32Arg(fn: string, args: readonly Json[], index: number): number {
  const n = roundedArg(fn, args, index);
  if (n < INT_MIN || n > INT_MAX) invalid(fn, index, `an integer between ${INT_MIN} and ${INT_MAX}`, args[index]!);
  return n;
}

/** Characters as Java counts them (UTF-16 code units). */
export function checkMaxLength(fn: string, value: string, max: number): void {
  if (value.length > max) {
    throw new IntrinsicArgumentError(`The input to ${fn} must be at most ${max} characters long, but was ${value.length} characters long`);
  }
}
