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

/**
 * Step Functions reads every document with Jackson, whose default nesting limit (1,000 levels) its answers quote:
 * "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)".
 * Baton holds values to the same depth, so no document is too deep for the host to copy or serialise.
 */
export const MAX_NESTING_DEPTH = 1000;

export function nestingDepthMessage(depth: number, limit = MAX_NESTING_DEPTH): string {
  return `Document nesting depth (${depth}) exceeds the maximum allowed (${limit}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;
}

/**
 * The first nesting depth past `limit` that the value reaches (limit + 1), or undefined when it stays within it.
 * Arrays and objects each open a level (`[]` is depth 1, a scalar 0). Walked with an explicit stack, never by
 * recursion, so any value the host could build is measured safely.
 */
export function nestingBeyond(value: unknown, limit = MAX_NESTING_DEPTH): number | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return depth;
    const members = Array.isArray(v) ? v : Object.values(v as object);
    for (const m of members) if (typeof m === 'object' && m !== null) stack.push([m, depth + 1]);
  }
  return undefined;
}

/** What one walk of a value finds: how deep it nests past a limit, and a lower bound on the size of its JSON text. */
export interface JsonMeasure {
  /** As `nestingBeyond`: the first depth past the limit (limit + 1), or undefined when the value stays within it. */
  depthBeyond: number | undefined;
  /** At most the UTF-8 size of the value's JSON text (strings counted by UTF-16 units, numbers as one byte). */
  lowerBound: number;
}

/**
 * The depth and size lower bound of a value in one walk (explicit stack, never recursion), for the check every state
 * output and task result goes through: the depth is measured over the whole value (a value too deep fails for that,
 * whatever its size), so a caller can then serialise it once, for its size and its event. `stopAbove`: stop as soon
 * as the bound passes it, for a caller that only asks whether the value is larger (jsonLargerThan).
 * (`nestingBeyond` walks the containers only, for callers that need the depth alone.)
 */
export function measureJson(value: unknown, limit = MAX_NESTING_DEPTH, stopAbove = Infinity): JsonMeasure {
  let lowerBound = 0;
  let depthBeyond: number | undefined;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0 && lowerBound <= stopAbove) {
    const [x, depth] = stack.pop()!;
    if (typeof x === 'string') lowerBound += x.length + 2;
    else if (typeof x === 'object' && x !== null) {
      if (depth + 1 > limit) {
        depthBeyond = depth + 1;
        break;
      }
      const isArray = Array.isArray(x);
      const entries = isArray ? x : Object.entries(x);
      lowerBound += 2 + Math.max(0, entries.length - 1); // brackets and commas
      if (isArray) for (const m of x as unknown[]) stack.push([m, depth + 1]);
      else for (const [k, m] of entries as [string, unknown][]) {
        lowerBound += k.length + 3; // "key":
        stack.push([m, depth + 1]);
      }
    } else lowerBound += 1;
  }
  return { depthBeyond, lowerBound };
}

/**
 * Whether the JSON text of `v` is over `maxBytes` UTF-8 bytes, decided without building text that could be far
 * larger than the limit (many references to one long string would make JSON.stringify allocate gigabytes): a
 * lower bound on the size is summed first, and the text is only built once that bound is within the limit.
 */
export function jsonLargerThan(v: Json, maxBytes: number): boolean {
  return measureJson(v, Infinity, maxBytes).lowerBound > maxBytes || jsonByteLength(v) > maxBytes;
}
