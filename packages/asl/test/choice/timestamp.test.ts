import { describe, expect, it } from 'vitest';
import { compareInstants, isTimestamp, parseTimestamp } from '../../src/choice/index.js';

function epochMillis(text: string): number {
  const instant = parseTimestamp(text);
  if (!instant) throw new Error(`not a timestamp: ${text}`);
  return instant.seconds * 1000 + Math.floor(instant.nanos / 1e6);
}

describe('parseTimestamp', () => {
  it('accepts RFC 3339 with Z or a numeric offset, and fractions up to nanoseconds', () => {
    for (const ok of [
      '2016-08-18T17:33:00Z',
      '2012-10-09T19:00:55+01:00',
      '2012-10-09T19:00:55-05:30',
      '2016-03-05T21:29:29.243167252Z',
      '2016-03-05T21:29:29.5+00:00',
      '2024-02-29T00:00:00Z',
      '2000-02-29T23:59:59Z',
    ]) {
      expect(isTimestamp(ok), ok).toBe(true);
    }
  });

  it('rejects what the AWS profile excludes', () => {
    for (const bad of [
      '2012-10-09T19:00:55', // no Z or offset
      '2012-10-09 19:00:55Z', // space instead of T
      '2012-10-09t19:00:55Z', // lowercase t
      '2012-10-09T19:00:55z', // lowercase z
      '2023-02-24', // date only
      '2023-02-24 12:15:56.832957',
      '2016-13-05T21:29:29Z', // month 13
      '2016-12-05T25:29:29Z', // hour 25
      '2023-02-29T00:00:00Z', // not a leap year
      '1900-02-29T00:00:00Z', // century, not a leap year
      '2016-04-31T00:00:00Z', // April has 30 days
      '2016-12-05T21:60:00Z',
      '2016-12-05T21:29:60Z', // leap second
      '2016-12-05T21:29:29.Z', // empty fraction
      '2016-12-05T21:29:29.1234567891Z', // 10 fraction digits
      '2016-12-05T21:29:29+0100', // offset without colon
      '2016-12-05T21:29:29+01', // hour-only offset
      '2016-12-05T21:29:29+19:00', // beyond Java's +18:00
      '05-12-2016T21:29:29Z',
      ' 2016-12-05T21:29:29Z',
      '',
    ]) {
      expect(isTimestamp(bad), bad).toBe(false);
    }
    expect(isTimestamp(20161205)).toBe(false);
    expect(isTimestamp(null)).toBe(false);
  });

  it('computes the same instant as Date for ordinary timestamps', () => {
    for (const text of ['1970-01-01T00:00:00Z', '2016-08-18T17:33:00Z', '2012-10-09T19:00:55+01:00', '1969-07-20T20:17:40.5-04:00']) {
      expect(epochMillis(text), text).toBe(Date.parse(text));
    }
    expect(epochMillis('0001-01-01T00:00:00Z')).toBe(Date.UTC(2001, 0, 1) - 2000 * 365.2425 * 86400000);
  });

  it('orders by instant, including offsets and nanoseconds', () => {
    const at = (t: string) => parseTimestamp(t)!;
    expect(compareInstants(at('2012-10-09T20:00:55+01:00'), at('2012-10-09T19:00:55Z'))).toBe(0);
    expect(compareInstants(at('2012-10-09T19:00:55.000000001Z'), at('2012-10-09T19:00:55Z'))).toBeGreaterThan(0);
    expect(compareInstants(at('2012-10-09T19:00:55.1Z'), at('2012-10-09T19:00:55.100000000Z'))).toBe(0);
    expect(compareInstants(at('2012-10-10T00:30:00+05:00'), at('2012-10-09T19:31:00Z'))).toBeLessThan(0);
  });
});
