/**
 * Real worker processes (`node apps/cli/bin/baton.js worker`) killed with SIGKILL under load: the executions
 * finish on the survivors, and a task whose worker died mid-call is a failed attempt (retried by the state's
 * Retry), never silently lost. Tasks are Lambda functions served by a local HTTP stand-in that takes its time.
 * Needs the build (`npm test` runs `tsc -b` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { workerLostCause } from '@baton/engine';
import { Harness } from './support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';

let h: Harness;
let lambda: Server;
let inFlight = 0;
let calls = 0;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // The stand-in for Lambda's Invoke API: answers with the payload after 400 ms.
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      inFlight++;
      calls++;
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        res.end(Buffer.concat(chunks).toString() || '{}');
      }, 400);
    });
  });
  lambda.listen(0, '127.0.0.1');
  await once(lambda, 'listening');
  h = await Harness.start({ label: 'sigkill', workers: 0, timers: 1 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  lambda?.close();
  await h?.stop();
});

function spawnWorker(id: string): ChildProcess {
  const port = (lambda.address() as { port: number }).port;
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), 'worker'], {
    env: {
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_TASK_LEASE_MS: '1500', BATON_RECONCILE_GRACE_MS: '1000', BATON_RECONCILE_INTERVAL_MS: '300',
      BATON_WORKER_CONCURRENCY: '8', BATON_WORKER_ID: id, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.on('exit', (code, sig) => {
    if (code !== 0 && sig !== 'SIGKILL' && sig !== 'SIGTERM') console.error(`worker ${id} exited ${code ?? sig}:\n${err}`);
  });
  children.push(child);
  return child;
}

it('executions survive killed workers; lost tasks are retried failures', async () => {
  const f = 'arn:aws:lambda:us-east-1:123456789012:function:slow';
  const retry = [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 5, BackoffRate: 1 }];
  const sm = await h.createStateMachine('killable', {
    StartAt: 'T1', States: {
      T1: { Type: 'Task', Resource: f, Retry: retry, ResultPath: '$.one', Next: 'T2' },
      T2: { Type: 'Task', Resource: f, Retry: retry, ResultPath: '$.two', Next: 'T3' },
      T3: { Type: 'Task', Resource: f, Retry: retry, ResultPath: '$.three', End: true },
    },
  });
  const [a, b, c] = [spawnWorker('w-a'), spawnWorker('w-b'), spawnWorker('w-c')];
  const arns = await Promise.all(Array.from({ length: 40 }, (_, i) => h.start(sm, { i })));
  await h.waitFor('calls in flight', async () => (inFlight >= 6 ? true : undefined), 30_000);
  a.kill('SIGKILL');
  await h.waitFor('more calls in flight', async () => (inFlight >= 3 && calls > 60 ? true : undefined), 30_000);
  b.kill('SIGKILL');
  // A fresh worker joins later, as an orchestrator would restart one.
  await new Promise((r) => setTimeout(r, 1500));
  spawnWorker('w-d');
  let lost = 0;
  for (const [i, arn] of arns.entries()) {
    const d = await h.finished(arn, 90_000);
    expect(d.status, arn).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toMatchObject({ i, one: { i }, two: { i, one: { i } } });
    const events = await h.history(arn);
    lost += events.filter((e) => e.type === 'LambdaFunctionFailed'
      && (e.lambdaFunctionFailedEventDetails as { cause?: string }).cause?.includes('was lost')).length;
  }
  expect(lost, 'some task was running on a killed worker and came back as a failed attempt').toBeGreaterThan(0);
  expect(workerLostCause('w-a')).toContain('was lost');
  c.kill('SIGTERM');
  const [code] = (await once(c, 'exit')) as [number | null];
  expect(code).toBe(0); // graceful shutdown
}, 150_000);
