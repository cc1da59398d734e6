/**
 * The string intrinsics: States.StringSplit (every character of the second argument is a delimiter and empty
 * pieces are dropped, as AWS splits "a,,b" into ["a","b"]) and States.Format (each unescaped `{}` takes the next
 * argument; `\{`, `\}`, `\'`, `\\` are literal characters; the number of `{}` must equal the number of
 * arguments). Format prints strings as they are and other values as Java does (`{a=1, b=[x, y]}`).
 */
import type { Json } from '../json.js';
import { javaText } from '../path/json-text.js';
import { invalid, stringArg } from './args.js';
import { IntrinsicArgumentError } from './errors.js';

export function stringSplit(args: readonly Json[]): Json {
  const fn = 'States.StringSplit';
  const text = stringArg(fn, args, 0);
  const delimiters = new Set(Array.from(stringArg(fn, args, 1)));
  const pieces: string[] = [];
  let current = '';
  for (const ch of text) {
    if (delimiters.has(ch)) {
      if (current) pieces.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/** The template split at its unescaped `{}` placeholders, escapes resolved. */
export function formatPieces(template: string): string[] {
  const pieces: string[] = [];
  let current = '';
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (ch === '\\' && i + 1 < template.length) {
      current += template[++i];
    } else if (ch === '{' && template[i + 1] === '}') {
      pieces.push(current);
      current = '';
      i++;
    } else {
      current += ch;
    }
  }
  pieces.push(current);
  return pieces;
}

/** `template` is the format string with its escapes still in place (the literal's raw text, or a path's value). */
export function format(template: Json, values: readonly Json[]): Json {
  const fn = 'States.Format';
  if (typeof template !== 'string') invalid(fn, 0, 'a string', template);
  const pieces = formatPieces(template);
  const placeholders = pieces.length - 1;
  if (placeholders !== values.length) {
    throw new IntrinsicArgumentError(
      `The number of arguments (${values.length}) does not match the number of placeholders {} (${placeholders}) in the format string`,
    );
  }
  return pieces.reduce((out, piece, i) => out + piece + (i < values.length ? javaText(values[i]!) : ''), '');
}
