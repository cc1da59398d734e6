/**
 * Wait states take the same ISO-8601 extended offset date-times as Choice timestamp rules; one parser serves both.
 */
import { parseTimestamp } from '../choice/index.js';

/** Epoch milliseconds, or undefined when the text is not a valid timestamp. */
export function parseIsoTimestamp(text: string): number | undefined {
  const instant = parseTimestamp(text);
  return instant === undefined ? undefined : instant.seconds * 1000 + Math.floor(instant.nanos / 1e6);
}
