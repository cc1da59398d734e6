/**
 * States.Hash (AWS "Intrinsic for hash calculation"): the lowercase hex digest of a string of at most 10,000
 * characters, with one of MD5, SHA-1, SHA-256, SHA-384, SHA-512 (written exactly so).
 */
import { createHash } from 'node:crypto';
import type { Json } from '../json.js';
import { checkMaxLength, invalid, stringArg } from './args.js';

export const HASH_MAX_INPUT_CHARS = 10_000;

const ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function hash(args: readonly Json[]): Json {
  const fn = 'States.Hash';
  const data = stringArg(fn, args, 0);
  const algorithm = stringArg(fn, args, 1);
  const nodeName = ALGORITHMS[algorithm];
  if (!nodeName) invalid(fn, 1, `one of ${Object.keys(ALGORITHMS).join(', ')}`, algorithm);
  checkMaxLength(fn, data, HASH_MAX_INPUT_CHARS);
  return createHash(nodeName).update(data, 'utf8').digest('hex');
}
