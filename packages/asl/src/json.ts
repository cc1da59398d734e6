/** A JSON value as it flows between states. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep copy through JSON; values in ASL are always plain JSON. */
export function cloneJson<T extends Json>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** UTF-8 size of the JSON text of a value, as AWS measures payloads. */
export function jsonByteLength(v: Json): number {
  return Buffer.byteLength(JSON.stringify(v) ?? 'null', 'utf8');
}
