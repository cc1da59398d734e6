/**
 * The HTTP Task's `Transform: {RequestBodyEncoding: "URL_ENCODED", RequestEncodingOptions: {ArrayFormat}}`
 * (developer guide, "Call HTTPS APIs in Step Functions workflows", applying URL-encoding on the request body):
 * the JSON object body becomes `application/x-www-form-urlencoded` text, arrays written in one of four forms, for
 * `{"array": ["a", "b"]}`:
 *   INDICES (the default)  array[0]=a&array[1]=b
 *   REPEAT                 array=a&array=b
 *   COMMAS                 array=a,b
 *   BRACKETS               array[]=a&array[]=b
 * Nested objects use the bracket form (`a[b]=c`). Names and values are percent-encoded (RFC 3986, so the brackets
 * travel as %5B / %5D); null is an empty value. COMMAS can only join scalars: an array holding objects or arrays
 * is refused rather than flattened in a way the receiver could not read back.
 */
import { HTTP_ARRAY_FORMATS, type Json } from '@baton/asl';

export type ArrayFormat = (typeof HTTP_ARRAY_FORMATS)[number];
export const ARRAY_FORMATS: readonly ArrayFormat[] = HTTP_ARRAY_FORMATS;

export class FormEncodingError extends Error {
  override readonly name = 'FormEncodingError';
}

function scalar(v: Json): string {
  return v === null ? '' : String(v);
}

function isScalar(v: Json): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}

function encode(name: string, value: Json, format: ArrayFormat, out: string[]): void {
  if (isScalar(value)) {
    out.push(`${encodeURIComponent(name)}=${encodeURIComponent(scalar(value))}`);
    return;
  }
  if (Array.isArray(value)) {
    if (format === 'COMMAS') {
      if (!value.every(isScalar)) throw new FormEncodingError(`ArrayFormat COMMAS cannot encode the array '${name}': it holds objects or arrays`);
      out.push(`${encodeURIComponent(name)}=${value.map((v) => encodeURIComponent(scalar(v))).join(',')}`);
      return;
    }
    value.forEach((item, i) => {
      const key = format === 'INDICES' ? `${name}[${i}]` : format === 'BRACKETS' ? `${name}[]` : name;
      encode(key, item, format, out);
    });
    return;
  }
  for (const [k, v] of Object.entries(value)) encode(`${name}[${k}]`, v, format, out);
}

/** `body` must be a JSON object (the caller checks). */
export function formEncode(body: Readonly<Record<string, Json>>, format: ArrayFormat): string {
  const out: string[] = [];
  for (const [k, v] of Object.entries(body)) encode(k, v, format, out);
  return out.join('&');
}
