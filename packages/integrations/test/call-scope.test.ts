/**
 * The call scope (call-scope.ts) of every client that shares a cached middleware stack between calls: each call's
 * abort signal must reach the request handler (the server sees its request closed), and each call keeps its own
 * response's status and headers, with calls of the same client in flight at once. The scope travels on the command
 * through the SDK's middleware: a middleware that passed on arguments without it would lose both, silently, so
 * each service's real client is checked here over HTTP. The task's trace headers travel the same way (through the
 * call's signal, trace-headers.ts), on every client.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { ClientFactory } from '../src/clients.js';
import { callSdk, type SdkClient } from '../src/sdk-call.js';
import { readsCallScope } from '../src/call-scope.js';
import { withTaskTrace } from '../src/trace-headers.js';

/** Answers every request 400 with a request id of its own, except those whose body says `hang`: never. */
let server: Server;
let endpoint: string;
const closedHangs: string[] = [];
let answered = 0;
/** The traceparent each answered request carried, by its request id. */
const traceOf = new Map<string, string | undefined>();

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      if (decodeURIComponent(body).includes('hang')) {
        res.on('close', () => closedHangs.push(req.url ?? ''));
        return;
      }
      const id = `request-${++answered}`;
      traceOf.set(id, req.headers.traceparent as string | undefined);
      res.writeHead(400, { 'Content-Type': 'application/json', 'x-amzn-RequestId': id, 'x-baton-test-id': id });
      res.end(JSON.stringify({ __type: 'ValidationException', message: 'no' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const queueUrl = 'http://127.0.0.1/123456789012/q';

const traceparent = (n: number) => `00-${String(n + 1).padStart(32, 'a')}-${String(n + 1).padStart(16, 'b')}-01`;

/** One command per scoped service; `text` goes where the server reads `hang`. */
const services = {
  lambda: (text: string) => new InvokeCommand({ FunctionName: 'f', Payload: Buffer.from(JSON.stringify({ text })) }),
  sns: (text: string) => new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: text }),
  sqs: (text: string) => new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: text }),
  ecs: (text: string) => new DescribeClustersCommand({ clusters: [text] }),
  secretsmanager: (text: string) => new GetSecretValueCommand({ SecretId: text }),
  sts: (text: string) => new AssumeRoleCommand({ RoleArn: `arn:aws:iam::123456789012:role/${text}`, RoleSessionName: 's' }),
} as const;

describe('the call scope of the clients that cache their middleware stack', () => {
  for (const [service, command] of Object.entries(services)) {
    it(`${service}: an abort reaches the request, and calls at once each keep their own response`, async () => {
      const factory = new ClientFactory({ region: 'us-east-1', endpoints: { [service]: endpoint }, credentials });
      try {
        const client = factory.get(service as keyof typeof services, 'us-east-1') as unknown as SdkClient;
        expect(readsCallScope(client)).toBe(true);
        const hangsBefore = closedHangs.length;
        const abort = new AbortController();
        const hung = callSdk(client, command('hang'), abort.signal);
        // Each call in a task call of its own, with a traceparent of its own.
        const calls = Array.from({ length: 6 }, (_, n) => withTaskTrace(
          traceparent(n), new AbortController().signal, (signal) => callSdk(client, command(`call ${n}`), signal),
        ));
        const outcomes = await Promise.all(calls);
        const ids = outcomes.map((o, n) => {
          expect(o.ok).toBe(false);
          expect(o.http?.statusCode).toBe(400);
          const id = o.http?.headers['x-baton-test-id'];
          expect(id).toMatch(/^request-\d+$/);
          expect(traceOf.get(id!)).toBe(traceparent(n));
          return id;
        });
        expect(new Set(ids).size).toBe(ids.length); // each its own response
        abort.abort(new Error('cancelled by the engine'));
        // Without the signal at the request handler the call would wait for the server: give it 5 s.
        const settled = await Promise.race([hung.then(() => 'answered', (e: Error) => e.message), delay(5_000, 'still waiting')]);
        expect(settled).toBe('cancelled by the engine');
        await expect.poll(() => closedHangs.length).toBe(hangsBefore + 1); // the request itself was ended
      } finally {
        factory.destroy();
      }
    });
  }
});

describe('task trace headers on a client that resolves its middleware per call', () => {
  it('dynamodb: each call carries its own task\'s traceparent, none outside a task call', async () => {
    const factory = new ClientFactory({ region: 'us-east-1', endpoints: { dynamodb: endpoint }, credentials });
    try {
      const client = factory.get('dynamodb', 'us-east-1') as unknown as SdkClient;
      expect(readsCallScope(client)).toBe(false);
      const get = () => new GetItemCommand({ TableName: 't', Key: { k: { S: 'x' } } });
      const outcomes = await Promise.all([0, 1, 2].map((n) => withTaskTrace(traceparent(n), new AbortController().signal, (signal) => callSdk(client, get(), signal))));
      outcomes.forEach((o, n) => expect(traceOf.get(o.http!.headers['x-baton-test-id']!)).toBe(traceparent(n)));
      const untraced = await callSdk(client, get(), new AbortController().signal);
      expect(traceOf.get(untraced.http!.headers['x-baton-test-id']!)).toBeUndefined();
    } finally {
      factory.destroy();
    }
  });

  it('an abort of the caller\'s signal reaches the task call\'s own signal', async () => {
    const outer = new AbortController();
    const seen = withTaskTrace(traceparent(0), outer.signal, (signal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason))));
    outer.abort(new Error('stopped'));
    expect(await seen).toEqual(new Error('stopped'));
    const already = await withTaskTrace(traceparent(0), outer.signal, async (signal) => signal.aborted);
    expect(already).toBe(true);
  });
});
