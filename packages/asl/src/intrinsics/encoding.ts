/**
 * States.Base64Encode / States.Base64Decode (AWS "Intrinsics for data encoding and decoding"): UTF-8 text to and
 * from standard Base64 (RFC 4648, with padding, no line breaks); the input may have at most 10,000 characters.
 */
import type { Json } from '../json.js';
import { checkMaxLength, stringArg } from './args.js';
import { IntrinsicArgumentError } from './errors.js';

export const BASE64_MAX_INPUT_CHARS = 10_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

export function base64Encode(args: readonly Json[]): Json {
  const fn = 'States.Base64Encode';
  const text = stringArg(fn, args, 0);
  checkMaxLength(fn, text, BASE64_MAX_INPUT_CHARS);
  return Buffer.from(text, 'utf8').toString('base64');
}

export function base64Decode(args: readonly Json[]): Json {
  const fn = 'States.Base64Decode';
  const text = stringArg(fn, args, 0);
  checkMaxLength(fn, text, BASE64_MAX_INPUT_CHARS);
  if (!BASE64.test(text)) throw new IntrinsicArgumentError(`The input to ${fn} is not valid Base64: ${text}`);
  return Buffer.from(text, 'base64').toString('utf8');
}
