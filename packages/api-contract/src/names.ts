/**
 * Names of state machines, executions and activities, as AWS checks them: 1 to 80 characters, none of
 * whitespace, brackets `< > { } [ ]`, wildcards `? *`, special characters `" # % \ ^ | ~ \` $ & , ; : /`,
 * or control characters (U+0000-U+001F, U+007F-U+009F). A violation is `InvalidName` "Invalid Name: '<name>'".
 * (The API checks the length first, as a shape constraint, and answers ValidationException there.)
 * A name must also be well-formed Unicode: a lone UTF-16 surrogate (a JSON escape such as `\ud800` with no
 * partner) cannot be stored as UTF-8, and Postgres would keep U+FFFD in its place, so two different names would
 * become one.
 */
import { ApiError } from './errors.js';

export const NAME_MAX_LENGTH = 80;

const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= NAME_MAX_LENGTH && !FORBIDDEN.test(name) && isWellFormedUnicode(name);
}

/** Whether `text` is well-formed UTF-16 (no lone surrogate), so that it has a UTF-8 form. */
export function isWellFormedUnicode(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** With the `u` flag a surrogate pair is one code point, so only an unpaired surrogate matches. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Throws `InvalidName` unless `name` is one AWS accepts. */
export function assertValidName(name: string): void {
  if (!isValidName(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
}
