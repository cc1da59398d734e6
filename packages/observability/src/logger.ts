/**
 * The one process logger of every role (pino): a JSON line per entry on stderr with the same keys everywhere —
 * `time` (ISO 8601), `level` (`debug`, `info`, `warn`, `error`), `role`, `message`, then the entry's fields, and
 * `trace_id` / `span_id` when an OpenTelemetry span is active (the trace the line belongs to).
 *
 * Secrets never reach the output: fields named like credentials (authorization, password, secret, api keys, ...)
 * are replaced by `[redacted]`, and task tokens keep only their first 8 characters (enough to tell two apart in
 * a log, useless to answer a task). Callers still pass no secrets on purpose; this is the safety net.
 */
import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The shape the engine, the API and the roles write to (message first, structured fields second). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** The same logger with these fields on every line (scoping: an execution, a component). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  /** The role on every line (`api`, `worker`, `timer`, `server`, ...). */
  role: string;
  level?: LogLevel;
  /** Where lines go (default: stderr, written synchronously so that nothing is lost at exit). */
  destination?: DestinationStream;
}

/** Field names whose values are never written. */
const SECRET_KEYS = [
  'authorization', 'Authorization', 'password', 'secret', 'secretAccessKey', 'SecretAccessKey', 'sessionToken',
  'apiKey', 'apiKeys', 'accessKey', 'cookie', 'Cookie', 'credentials',
];
/** Field names holding task tokens: shortened, not removed. */
const TOKEN_KEYS = ['taskToken', 'TaskToken', 'token'];
const CENSORED = new Set([...SECRET_KEYS, ...TOKEN_KEYS]);
/** How deep fields are searched: the entry's own fields and two levels below (`k`, `*.k`, `*.*.k`). */
const REDACT_DEPTH = 3;

/** The first characters of a token, marked as cut. */
export function shortToken(token: string): string {
  return token.length <= 8 ? '[redacted]' : `${token.slice(0, 8)}…`;
}

export function createLogger(options: LoggerOptions): Logger {
  const p = pino(
    {
      level: options.level ?? 'info',
      base: { role: options.role },
      messageKey: 'message',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin: traceFields,
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
  return wrap(p);
}

/** A logger that writes nothing (libraries' default). */
export const silentLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child: () => silentLogger,
};

function wrap(p: Pino): Logger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: Record<string, unknown>) => {
    if (!p.isLevelEnabled(level)) return;
    if (fields) p[level](redacted(fields, REDACT_DEPTH) as Record<string, unknown>, message);
    else p[level](message);
  };
  return {
    debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'),
    child: (fields) => wrap(p.child(redacted(fields, REDACT_DEPTH) as Record<string, unknown>)),
  };
}

/**
 * `value` with the fields named like secrets censored and task tokens shortened, down to `depth` levels; the same
 * object when there is nothing to censor (nothing is copied). Hand-written in place of pino's `redact` option: its
 * wildcard paths (`*.k`, `*.*.k`) cost about 30 µs per entry, a tenth of the API's CPU per request at a
 * thousand requests a second (the API logs every request); this walk costs about a microsecond.
 */
function redacted(value: unknown, depth: number): unknown {
  if (depth === 0 || value === null || typeof value !== 'object' || value instanceof Error || value instanceof Date) return value;
  const source = value as Record<string, unknown>;
  let out: Record<string, unknown> | unknown[] | undefined;
  for (const key of Object.keys(source)) {
    const v = source[key];
    const next = CENSORED.has(key)
      ? (TOKEN_KEYS.includes(key) && typeof v === 'string' ? shortToken(v) : '[redacted]')
      : redacted(v, depth - 1);
    if (next !== v) {
      out ??= Array.isArray(source) ? [...(source as unknown[])] : { ...source };
      (out as Record<string, unknown>)[key] = next;
    }
  }
  return out ?? value;
}

/** The active span's ids, when there is one. */
function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const ctx = span.spanContext();
  return isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : {};
}
