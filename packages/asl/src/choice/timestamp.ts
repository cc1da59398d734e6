/**
 * Choice Rule timestamps: "Timestamps (for example, 2016-08-18T17:33:00Z) must conform to RFC3339 profile
 * ISO 8601, with further restrictions: An uppercase T must separate the date and time portions. An uppercase Z
 * must denote that a numeric time zone offset isn't present." (AWS developer guide, Choice workflow state).
 *
 * Accepted: `YYYY-MM-DDThh:mm:ss`, an optional fraction of 1 to 9 digits (Java's nanosecond precision), then `Z`
 * or `+hh:mm` / `-hh:mm` (at most 18:00, Java's offset range). Calendar values are checked (month length, leap
 * years, hours 00-23, no leap second). Anything else, including a space or a lowercase `t` / `z`, is not a
 * timestamp: a Timestamp* comparison against it is false and IsTimestamp is false.
 */

/** An instant: whole seconds since 1970-01-01T00:00:00Z and the nanoseconds within that second. */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

const MAX_OFFSET_SECONDS = 18 * 3600;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil); no Date involved. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Parses an AWS Choice timestamp; `undefined` when the text is not one. */
export function parseTimestamp(text: string): Instant | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetMinutes > 59) return undefined;
    offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (m[9] === '-' ? -1 : 1);
    if (Math.abs(offsetSeconds) > MAX_OFFSET_SECONDS) return undefined;
  }
  const nanos = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0'));
  const seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return { seconds, nanos };
}

export function isTimestamp(value: unknown): boolean {
  return typeof value === 'string' && parseTimestamp(value) !== undefined;
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}
