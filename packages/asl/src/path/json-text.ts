/**
 * JSON and Java text of values as the AWS service (Java, Jackson) prints them: compact JSON with keys in order
 * (States.JsonToString, error causes), and Java's `toString` (States.Format: `{a=1, b=[x, y]}`).
 * A number with a fraction prints as Java's Double.toString (`1.1`, `1.0E-5`, `1.2345678E7`); an integral number
 * prints as an integer. (The parsed value no longer says whether the text was `2` or `2.0`; AWS keeps that.)
 */
import type { Json } from '../json.js';

const TWO_POW_63 = 9223372036854775808;

/** Java's Double.toString for a finite double. */
export function javaDoubleText(d: number): string {
  if (Object.is(d, -0)) return '-0.0';
  if (d === 0) return '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${Number(exponent)}`;
}

/** A number as Jackson writes it: integral values as integers, the rest as Java doubles. */
export function javaNumberText(n: number): string {
  if (!Number.isFinite(n)) return JSON.stringify(null);
  if (Number.isInteger(n) && Math.abs(n) < TWO_POW_63) {
    return Math.abs(n) <= Number.MAX_SAFE_INTEGER ? String(Object.is(n, -0) ? 0 : n) : BigInt(n).toString();
  }
  return javaDoubleText(n);
}

/** Compact JSON text, as Jackson serialises a node (key order kept, Java number text). */
export function jsonText(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return javaNumberText(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
    .join(',')}}`;
}

/** Java's `String.valueOf` of the value once mapped to Map / List / String / Number: States.Format's rendering. */
export function javaText(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return javaNumberText(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${k}=${javaText(v)}`)
    .join(', ')}}`;
}
