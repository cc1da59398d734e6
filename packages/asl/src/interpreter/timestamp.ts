/**
 * When a Wait state ends. Its timestamps are the same ISO-8601 extended offset date-times as Choice timestamp
 * rules (one parser serves both), and its delay is a 32-bit count of seconds: AWS rejects a longer one with
 * States.Runtime "Wait state delay is too long." in both query languages.
 */
import { parseTimestamp } from '../choice/index.js';
import { StatesError } from '../errors.js';

/** Longest delay a Wait state takes, in seconds. */
const MAX_WAIT_SECONDS = 2_147_483_647;

/** Epoch milliseconds, or undefined when the text is not a valid timestamp. */
export function parseIsoTimestamp(text: string): number | undefined {
  const instant = parseTimestamp(text);
  return instant === undefined ? undefined : instant.seconds * 1000 + Math.floor(instant.nanos / 1e6);
}

export function checkWaitDelay(fireAt: number, now: number): void {
  if ((fireAt - now) / 1000 > MAX_WAIT_SECONDS) throw new StatesError('States.Runtime', 'Wait state delay is too long.');
}
