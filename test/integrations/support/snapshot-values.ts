/**
 * Puts a run's values in the form the recordings store them, for the rules the corpus's checker does not apply
 * itself (README "How the snapshot library stores values"):
 * - a string that starts with `{` is stored as the object it parses to (applies to causes; outputs are parsed by
 *   the checker);
 * - the HTTP metadata of optimized integrations went through LocalStack's SFN key-value transformers, which replace
 *   per-request values by the header's name: `x-amzn-RequestId`, `X-Amzn-Trace-Id` and `x-amz-crc32` (as visible in
 *   every recorded `SdkHttpMetadata`), `Date` by `date`, and `SdkResponseMetadata.RequestId` by `RequestId`.
 *   Every other header (names, spelling, Content-Length, Content-Type, Connection) is compared as recorded.
 */
import type { CaseResult } from '../../support/conformance.js';

const BY_NAME = new Set(['x-amzn-RequestId', 'X-Amzn-Trace-Id', 'x-amz-crc32']);

function headers(h: unknown): unknown {
  if (!h || typeof h !== 'object' || Array.isArray(h)) return h;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) out[k] = BY_NAME.has(k) ? k : k === 'Date' ? 'date' : v;
  return out;
}

function walk(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(walk);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'SdkHttpMetadata' && x && typeof x === 'object') {
      const m = x as Record<string, unknown>;
      out[k] = { ...m, AllHttpHeaders: headers(m.AllHttpHeaders), HttpHeaders: headers(m.HttpHeaders) };
    } else if (k === 'SdkResponseMetadata' && x && typeof x === 'object' && 'RequestId' in x) {
      out[k] = { ...x, RequestId: 'RequestId' };
    } else {
      out[k] = walk(x);
    }
  }
  return out;
}

/** An execution output (JSON text) with its HTTP metadata normalised as recorded. */
export function snapshotOutput(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.stringify(walk(JSON.parse(text)));
  } catch {
    return text;
  }
}

/** A cause as recorded: parsed when it is a JSON object's text (CaseResult types causes as text; the checker
 * compares any JSON value). */
export function snapshotCause(text: string | null | undefined): CaseResult['cause'] {
  if (text === null || text === undefined) return null;
  if (!text.startsWith('{')) return text;
  try {
    return walk(JSON.parse(text)) as unknown as CaseResult['cause'];
  } catch {
    return text;
  }
}
