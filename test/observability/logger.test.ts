/**
 * The process logger (@baton/observability's pino logger): the same keys on every line, LOG_LEVEL, the active
 * span's trace id, and redaction of secrets and task tokens.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger, type LogLevel } from '@baton/observability';

function capture(level: LogLevel = 'info') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ role: 'worker', level, destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  return { logger, lines };
}

afterAll(() => {
  trace.disable();
  context.disable();
});

describe('process logger', () => {
  it('writes level, time, role, the fields and message on every line', () => {
    const { logger, lines } = capture();
    logger.info('started', { pid: 42 });
    logger.child({ executionId: '7' }).error('transition failed', { error: 'x' });
    expect(Object.keys(lines[0]!)).toEqual(['level', 'time', 'role', 'pid', 'message']);
    expect(lines[0]).toMatchObject({ level: 'info', role: 'worker', pid: 42, message: 'started' });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
    expect(lines[1]).toMatchObject({ level: 'error', role: 'worker', executionId: '7', error: 'x', message: 'transition failed' });
  });

  it('writes only entries at LOG_LEVEL and above', () => {
    const { logger, lines } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((l) => l.message)).toEqual(['w', 'e']);
    const silent = capture('silent');
    silent.logger.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('never writes a secret or a whole task token', () => {
    const { logger, lines } = capture();
    const token = 'AAAAtoken-0123456789abcdefghijklmnopqrstuvwxyz';
    logger.info('answer', {
      taskToken: token, authorization: 'Bearer secret-api-key-123456', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/...', cookie: 'baton_session=abc' },
      credentials: { secretAccessKey: 'wJalrXUtnFEMI' }, nested: { deeper: { password: 'hunter2' } },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of [token, 'secret-api-key-123456', 'AWS4-HMAC', 'baton_session=abc', 'wJalrXUtnFEMI', 'hunter2']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ taskToken: 'AAAAtoke…', authorization: '[redacted]', headers: { authorization: '[redacted]', cookie: '[redacted]' }, credentials: '[redacted]' });
    // A child's own fields, and objects inside arrays, are censored too; what was passed is left as it was.
    const passed = { calls: [{ token }, { apiKey: 'key-in-an-array' }] };
    logger.child({ password: 'child-secret', scope: 'x' }).warn('scoped', passed);
    const child = JSON.stringify(lines[1]);
    for (const secret of [token, 'key-in-an-array', 'child-secret']) expect(child).not.toContain(secret);
    expect(lines[1]).toMatchObject({ password: '[redacted]', scope: 'x', calls: [{ token: 'AAAAtoke…' }, { apiKey: '[redacted]' }] });
    expect(passed.calls[0]!.token).toBe(token);
  });

  it('carries the trace and span ids of the active span, and none outside one', () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new BasicTracerProvider());
    const { logger, lines } = capture();
    const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, message: 'inside' });
    expect(ids.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});
