/**
 * Trace context for executions that outlive any process: W3C `traceparent` and X-Ray `X-Amzn-Trace-Id` parsing and
 * formatting, an id generator that can emit a span with ids drawn earlier (the execution's root span is emitted
 * when the execution ends, with the ids stored at its start), and the trace headers of the API request being
 * served (so StartExecution can continue the caller's trace without the SDK being started).
 *
 * Depends on `@opentelemetry/api` only: the id generator satisfies the SDK's `IdGenerator` structurally.
 */
import { randomFillSync } from 'node:crypto';
import { ROOT_CONTEXT, trace, TraceFlags, type Context, type Span, type SpanContext } from '@opentelemetry/api';

export interface TraceIds {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero. */
  spanId: string;
  sampled: boolean;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZEROS = /^0+$/;

/** A W3C `traceparent` (version 00, or a later version read as 00 allows); undefined when malformed. */
export function parseTraceparent(value: string | undefined): TraceIds | undefined {
  const m = value === undefined ? null : TRACEPARENT.exec(value.trim().toLowerCase());
  if (!m || m[1] === 'ff' || ZEROS.test(m[2]!) || ZEROS.test(m[3]!)) return undefined;
  if (m[1] === '00' && m[5] !== undefined) return undefined;
  return { traceId: m[2]!, spanId: m[3]!, sampled: (parseInt(m[4]!, 16) & 1) === 1 };
}

export function formatTraceparent(ids: TraceIds): string {
  return `00-${ids.traceId}-${ids.spanId}-${ids.sampled ? '01' : '00'}`;
}

/**
 * An X-Ray trace header (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`, the
 * `traceHeader` member of StartExecution and the `X-Amzn-Trace-Id` HTTP header). X-Ray's trace id is a W3C trace id
 * once its version and dashes are removed. Without `Parent` there is no span to continue: undefined spanId.
 */
export function parseXRayTraceHeader(value: string | undefined): (Omit<TraceIds, 'spanId'> & { spanId: string | undefined }) | undefined {
  if (value === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim().toLowerCase());
  }
  const root = /^1-([0-9a-f]{8})-([0-9a-f]{24})$/.exec(fields.get('root') ?? '');
  if (!root || ZEROS.test(root[1]! + root[2]!)) return undefined;
  const parent = fields.get('parent');
  const spanId = parent !== undefined && /^[0-9a-f]{16}$/.test(parent) && !ZEROS.test(parent) ? parent : undefined;
  return { traceId: root[1]! + root[2]!, spanId, sampled: fields.get('sampled') !== '0' };
}

export function formatXRayTraceHeader(ids: TraceIds): string {
  return `Root=1-${ids.traceId.slice(0, 8)}-${ids.traceId.slice(8)};Parent=${ids.spanId};Sampled=${ids.sampled ? 1 : 0}`;
}

/**
 * Random bytes for ids (which are not secrets: task tokens have their own generator) come from a pool filled 4 KiB
 * at a time. A `randomBytes` call per id cost 5 µs per StartExecution (a trace id and a span id) on a quiet 2-core
 * machine and 26 µs in a CPU profile of the starts bench; the pool takes 0.3 µs.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomHex(bytes: number): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES));
      poolAt = 0;
    }
    const hex = pool.toString('hex', poolAt, poolAt + bytes);
    poolAt += bytes;
    if (!ZEROS.test(hex)) return hex;
  }
}

export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);

// ------------------------------------------------------------------------------------ pinned ids

let pinned: { traceId: string; spanId: string } | undefined;

/**
 * The SDK's id generator for Baton's roles (apps/cli passes it to the tracer provider): random ids, except inside
 * `withSpanIds`, where the span started gets the ids given. An execution's root span is emitted that way when the
 * execution ends, with the ids drawn when it started, so the spans every worker emitted meanwhile have their parent.
 */
export class BatonIdGenerator {
  generateTraceId(): string {
    return pinned?.traceId ?? newTraceId();
  }

  generateSpanId(): string {
    return pinned?.spanId ?? newSpanId();
  }
}

/**
 * Runs `start` (a synchronous `tracer.startSpan`) with the ids pinned: the span gets `spanId`, and `traceId` when it
 * has no parent (with a parent the SDK takes the parent's). Under another id generator the ids are random.
 */
export function withSpanIds<T>(ids: { traceId: string; spanId: string }, start: () => T): T {
  const before = pinned;
  pinned = ids;
  try {
    return start();
  } finally {
    pinned = before;
  }
}

// ------------------------------------------------------------------------------------ contexts

/** The context whose (remote) parent is the span `ids` names. */
export function contextWithParent(ids: TraceIds, base: Context = ROOT_CONTEXT): Context {
  const parent: SpanContext = {
    traceId: ids.traceId, spanId: ids.spanId, traceFlags: ids.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true,
  };
  return trace.setSpanContext(base, parent);
}

/** The ids of a span (a recording one, or the parent a non-recording span carries); undefined when invalid. */
export function spanIds(span: Span): TraceIds | undefined {
  const c = span.spanContext();
  if (!trace.isSpanContextValid(c)) return undefined;
  return { traceId: c.traceId, spanId: c.spanId, sampled: (c.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED };
}

// ------------------------------------------------------------------------------------ the request being served

/** Trace headers of the API request being served: `traceparent` (W3C) and `X-Amzn-Trace-Id` (X-Ray). */
export interface IncomingTraceHeaders {
  traceparent?: string;
  amznTraceId?: string;
}

/**
 * Where an action's input carries them (a symbol: not a member of the request). Not an AsyncLocalStorage scope: on
 * Node 20 and 22 the first `run` makes every promise of the process dearer for good, and one instrumented client
 * would do that to the whole API (packages/integrations/src/call-scope.ts has the figures).
 */
const INCOMING = Symbol('baton.incomingTraceHeaders');

/** Gives an action's input the request's trace headers, for `incomingTraceHeadersOf` (the API does this); returns it. */
export function withIncomingTraceHeaders<T extends object>(input: T, headers: Record<string, string | string[] | undefined>): T {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const traceparent = one(headers.traceparent);
  const amznTraceId = one(headers['x-amzn-trace-id']);
  if (traceparent === undefined && amznTraceId === undefined) return input;
  const found: IncomingTraceHeaders = { ...(traceparent !== undefined ? { traceparent } : {}), ...(amznTraceId !== undefined ? { amznTraceId } : {}) };
  Object.defineProperty(input, INCOMING, { value: found, enumerable: false });
  return input;
}

/** The trace headers of the request whose input this is (none when it came otherwise). */
export function incomingTraceHeadersOf(input: object): IncomingTraceHeaders | undefined {
  return (input as { [INCOMING]?: IncomingTraceHeaders })[INCOMING];
}
