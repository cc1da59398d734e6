/**
 * `$hash(value, algorithm)`: the JSONata equivalent of States.Hash. Supported algorithms (AWS): "MD5", "SHA-1",
 * "SHA-256", "SHA-384", "SHA-512", case-sensitive; the digest of the UTF-8 bytes as lowercase hex.
 */
import { createHash } from 'node:crypto';
import { rejectSurplus, signatureError, valueError } from './function-arguments.js';

const ALGORITHMS: Readonly<Record<string, string>> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

export function hash(...args: unknown[]): unknown {
  rejectSurplus('hash', args, 2);
  const [value, algorithm] = args;
  if (typeof value !== 'string') throw signatureError('hash', 1);
  if (algorithm === undefined) return undefined;
  if (typeof algorithm !== 'string') throw signatureError('hash', 2);
  const nodeName = Object.hasOwn(ALGORITHMS, algorithm) ? ALGORITHMS[algorithm] : undefined;
  if (nodeName === undefined) {
    throw valueError(`Hash algorithm '${algorithm}' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5`);
  }
  return createHash(nodeName).update(value, 'utf8').digest('hex');
}
