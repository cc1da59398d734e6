/**
 * Converting between ASL JSON and SDK v3 values. Step Functions spells every parameter and result key in
 * PascalCase ("Parameters in Step Functions are expressed in PascalCase, even if the native service API is in
 * camelCase"); the SDK clients of camelCase APIs (ECS, Step Functions) want camelCase members.
 */
import type { Json } from '@baton/asl';

/** SDK output -> JSON: drops `$metadata` and undefined members, blobs become UTF-8 text (or base64 when not valid
 * UTF-8). Dates become epoch milliseconds in the optimized integrations (as the Java SDK they use renders them) and
 * ISO-8601 text in the `aws-sdk:*` ones (AWS recorded `aws-sdk:sfn:startExecution` with an ISO `StartDate`). */
export function sdkToJson(value: unknown, keyCase: 'keep' | 'pascal' = 'keep', dates: 'epoch-ms' | 'iso' = 'epoch-ms'): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return dates === 'iso' ? value.toISOString() : value.getTime();
  if (value instanceof Uint8Array) return blobText(value);
  if (Array.isArray(value)) return value.map((v) => sdkToJson(v, keyCase, dates));
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k === '$metadata' || v === undefined) continue;
      out[keyCase === 'pascal' ? upperFirst(k) : k] = sdkToJson(v, keyCase, dates);
    }
    return out;
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

export function blobText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('base64');
  }
}

/** JSON parameters -> SDK input, renaming keys PascalCase -> camelCase for camelCase APIs. */
export function jsonToCamel(value: Json): unknown {
  if (Array.isArray(value)) return value.map(jsonToCamel);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[lowerFirst(k)] = jsonToCamel(v);
    return out;
  }
  return value;
}

export function upperFirst(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

export function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

/** A message body or payload: strings go as they are, any other JSON value as its JSON text (as AWS does). */
export function asText(value: Json | undefined): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parses JSON text when it is JSON, else keeps the text (Lambda payloads, execution outputs). */
export function parseMaybeJson(text: string): Json {
  if (text === '') return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}
