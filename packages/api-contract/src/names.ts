/**
 * Names of state machines, executions and activities, as AWS checks them: 1 to 80 characters, none of
 * whitespace, brackets `< > { } [ ]`, wildcards `? *`, special characters `" # % \ ^ | ~ \` $ & , ; : /`,
 * or control characters (U+0000-U+001F, U+007F-U+009F). A violation is `InvalidName` "Invalid Name: '<name>'".
 * (The API checks the length first, as a shape constraint, and answers ValidationException there.)
 */
import { ApiError } from './errors.js';

export const NAME_MAX_LENGTH = 80;

const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function isValidName(name: string): boolean {
  return name.length >= 1 && name.length <= NAME_MAX_LENGTH && !FORBIDDEN.test(name);
}

/** Throws `InvalidName` unless `name` is one AWS accepts. */
export function assertValidName(name: string): void {
  if (!isValidName(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
}
