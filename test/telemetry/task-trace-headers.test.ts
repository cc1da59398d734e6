/**
 * Task calls carry the task attempt's trace context: the HTTP Task's sender adds `traceparent` and
 * `X-Amzn-Trace-Id` (the SDK clients' middleware is exercised against a Lambda stand-in in
 * execution-trace.test.ts), leaves headers the definition set alone, and adds nothing outside a task call.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { taskTraceHeaders, withTaskTrace } from '@baton/integrations';
import { sendHttp } from '../../packages/integrations/src/http/http-client.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
let server: Server;
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (headers: Record<string, string>, signal = new AbortController().signal) => sendHttp(
  { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/x`), method: 'GET', headers, body: undefined },
  { timeoutMs: 5_000, maxBytes: 1_000 }, signal,
);
const outside = new AbortController().signal;

it('adds traceparent and X-Amzn-Trace-Id to the HTTP Task\'s request inside a task call', async () => {
  await withTaskTrace(TRACEPARENT, outside, (signal) => send({ 'User-Agent': 'test' }, signal));
  expect(seen.at(-1)).toMatchObject({
    traceparent: TRACEPARENT,
    'x-amzn-trace-id': 'Root=1-4bf92f35-77b34da6a3ce929d0e0e4736;Parent=00f067aa0ba902b7;Sampled=1',
  });
});

it('keeps a traceparent the definition\'s Headers set, and adds nothing outside a task call', async () => {
  const own = '00-11111111111111111111111111111111-2222222222222222-01';
  await withTaskTrace(TRACEPARENT, outside, (signal) => send({ TraceParent: own }, signal));
  expect(seen.at(-1)!.traceparent).toBe(own);
  await send({});
  expect(seen.at(-1)!.traceparent).toBeUndefined();
  expect(seen.at(-1)!['x-amzn-trace-id']).toBeUndefined();
  expect(taskTraceHeaders(outside)).toEqual({});
  expect(await withTaskTrace('not a traceparent', outside, async (signal) => taskTraceHeaders(signal))).toEqual({});
});
