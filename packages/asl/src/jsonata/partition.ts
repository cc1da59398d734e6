/**
 * `$partition(array, chunkSize)`: the JSONata equivalent of States.ArrayPartition. Chunks of `chunkSize`
 * elements, the last holding the remainder; `$partition([0], 1)` is `[[0]]` (recorded on AWS). An undefined or
 * empty array and a chunk size that rounds to zero give undefined; a missing chunk size gives the whole array
 * as one chunk; a negative one is a D3137 error.
 */
import { notAnArrayError, rejectSurplus, signatureError, towardsZero, valueError } from './function-arguments.js';

export function partition(...args: unknown[]): unknown {
  rejectSurplus('partition', args, 2);
  const [array, chunkSize] = args;
  if (array === undefined) return undefined;
  if (!Array.isArray(array)) throw notAnArrayError('partition', 1);
  if (array.length === 0) return undefined;
  if (chunkSize === undefined) return [[...array]];
  if (typeof chunkSize !== 'number') throw signatureError('partition', 2);
  const size = towardsZero(chunkSize);
  if (size < 0) throw valueError('Second argument must be zero or greater');
  if (size === 0) return undefined;
  const step = Math.min(size, array.length);
  const chunks: unknown[][] = [];
  for (let i = 0; i < array.length; i += step) chunks.push(array.slice(i, i + step));
  return chunks;
}
