/**
 * Retry backoff (AWS "Retrying after an error"): the n-th retry (n from 1) waits
 * IntervalSeconds * BackoffRate^(n-1), capped by MaxDelaySeconds; with JitterStrategy FULL the wait is a uniform
 * random fraction of that. Randomness comes from the caller.
 */
import type { Retrier } from '../model/nodes.js';
import type { RandomSource } from '../random.js';

export function retryDelayMs(retrier: Retrier, retryNumber: number, random: RandomSource): number {
  let seconds = retrier.intervalSeconds * Math.pow(retrier.backoffRate, retryNumber - 1);
  if (retrier.maxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.maxDelaySeconds);
  if (retrier.jitter === 'FULL') seconds = random.next() * seconds;
  return Math.round(seconds * 1000);
}
