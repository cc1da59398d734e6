/**
 * The graceful drain, with real processes: `baton worker` (and `baton server`) receives SIGTERM while task calls
 * are in flight against a wire-level Lambda stand-in that answers slowly. The calls finish and commit within
 * BATON_SHUTDOWN_GRACE_MS, so a restarted worker does not make them again (10 executions, 10 calls, not 20);
 * a call that outlasts the grace is handed back and made again after the restart, and its execution succeeds;
 * a second signal during the drain hands back the call in flight at once, long before the grace is over (the
 * stand-in never answers it), and the execution completes on the next worker.
 * Needs the build (`npm test` runs `tsc -b` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';

let h: Harness;
let lambda: Server;
/** Calls received per function name, and calls whose answer is still pending. */
const calls = new Map<string, number>();
let inFlight = 0;
/** `held`: its first call is never answered (only given up by the caller); later calls are answered at once. */
let heldGivenUp = 0;
const children: ChildProcess[] = [];
/** How long the stand-in takes to answer, per function. */
const DELAY_MS: Record<string, number> = { slow: 2_000, slower: 8_000 };

beforeAll(async () => {
  // Lambda's Invoke API (POST /2015-03-31/functions/<name>/invocations): answers with the payload, late.
  lambda = createServer((req, res) => {
    // The SDK sends the function's ARN, URL-encoded: the name is its last part.
    const name = decodeURIComponent(/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1] ?? '?').split(':').pop()!;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      if (name === 'held' && calls.get(name) === 1) {
        res.once('close', () => heldGivenUp++); // only the caller closes it: it is never answered
        return;
      }
      inFlight++;
      setTimeout(() => {
        inFlight--;
        if (res.destroyed) return; // the caller gave up (handed back)
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        res.end(Buffer.concat(chunks).toString() || '{}');
      }, DELAY_MS[name] ?? 0);
    });
  });
  lambda.listen(0, '127.0.0.1');
  await once(lambda, 'listening');
  h = await Harness.start({ label: 'drain', workers: 0, timers: 1 });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  lambda?.close();
  await h?.stop();
});

function spawnRole(role: 'worker' | 'server', id: string, graceMs: number): ChildProcess & { stderrText: () => string } {
  const port = (lambda.address() as { port: number }).port;
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), role], {
    env: {
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_TASK_LEASE_MS: '3000', BATON_RECONCILE_GRACE_MS: '1000', BATON_RECONCILE_INTERVAL_MS: '300',
      BATON_WORKER_CONCURRENCY: '16', BATON_WORKER_ID: id, BATON_SHUTDOWN_GRACE_MS: String(graceMs),
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
      ...(role === 'server' ? { BATON_DEV_MODE: 'true', PORT: '0' } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  children.push(child);
  return Object.assign(child, { stderrText: () => err });
}

async function waitStarted(child: ChildProcess & { stderrText: () => string }): Promise<void> {
  await expect.poll(() => child.stderrText().includes('"message":"started"'), { timeout: 30_000, interval: 50 }).toBe(true);
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

function taskMachine(name: string, fn: string): Promise<string> {
  return h.createStateMachine(name, {
    StartAt: 'Call', States: { Call: { Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:${fn}`, End: true } },
  });
}

describe.each(['worker', 'server'] as const)('baton %s on SIGTERM', (role) => {
  it('lets the calls in flight finish and commit: 10 executions, 10 calls after a restart', async () => {
    calls.clear();
    const sm = await taskMachine(`drain-${role}`, 'slow');
    const first = spawnRole(role, `${role}-a`, 20_000);
    await waitStarted(first);
    const arns = await Promise.all(Array.from({ length: 10 }, (_, i) => h.start(sm, { i })));
    await expect.poll(() => inFlight, { timeout: 30_000, interval: 20 }).toBe(10);
    first.kill('SIGTERM');
    // A replacement starts while the first one drains, as a rolling restart does.
    const second = spawnRole(role, `${role}-b`, 20_000);
    expect(await exitCode(first), first.stderrText()).toBe(0);
    for (const [i, arn] of arns.entries()) {
      const d = await h.finished(arn, 60_000);
      expect(d.status, arn).toBe('SUCCEEDED');
      expect(JSON.parse(d.output!)).toEqual({ i });
    }
    expect(calls.get('slow')).toBe(10);
    expect(first.stderrText()).toContain('"message":"stopped"');
    // Before its signal handlers are installed a SIGTERM would kill it outright (exit code null).
    await waitStarted(second);
    second.kill('SIGTERM');
    expect(await exitCode(second)).toBe(0);
  }, 120_000);
});

it('hands back a call that outlasts the grace; it is made again after the restart and its execution succeeds', async () => {
  calls.clear();
  const sm = await taskMachine('drain-outlast', 'slower');
  const first = spawnRole('worker', 'worker-c', 1_000);
  await waitStarted(first);
  const arn = await h.start(sm, { n: 1 });
  await expect.poll(() => calls.get('slower') ?? 0, { timeout: 30_000, interval: 20 }).toBe(1);
  first.kill('SIGTERM');
  expect(await exitCode(first), first.stderrText()).toBe(0);
  expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
  const second = spawnRole('worker', 'worker-d', 20_000);
  const d = await h.finished(arn, 60_000);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual({ n: 1 });
  expect(calls.get('slower')).toBe(2);
  // Handed back, not failed: the history shows one scheduled call and no failed attempt.
  const types = await h.types(arn);
  expect(types.filter((t) => t === 'LambdaFunctionFailed')).toEqual([]);
  expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(1);
  second.kill('SIGTERM');
  expect(await exitCode(second)).toBe(0);
}, 120_000);

it.each(['SIGTERM', 'SIGINT'] as const)('a second signal (%s) during the drain hands back the call in flight at once; the execution completes on the next worker', async (second) => {
  calls.clear();
  heldGivenUp = 0;
  const sm = await taskMachine(`drain-hurry-${second}`, 'held');
  // A grace far longer than this test may run: only the second signal can end the drain of a call never answered.
  const first = spawnRole('worker', `worker-hurry-${second}`, 600_000);
  await waitStarted(first);
  const arn = await h.start(sm, { second });
  await expect.poll(() => calls.get('held') ?? 0, { timeout: 30_000, interval: 20 }).toBe(1);
  first.kill('SIGTERM');
  await expect.poll(() => first.stderrText(), { timeout: 10_000, interval: 20 }).toContain('"message":"stopping"');
  expect(first.exitCode).toBeNull(); // draining: waiting for the call
  first.kill(second);
  expect(await exitCode(first), first.stderrText()).toBe(0);
  expect(first.stderrText()).toContain('"message":"second signal: ending the drain now');
  expect(heldGivenUp).toBe(1); // the call was aborted, not answered
  // Handed back: still running, its task claimable again by any worker.
  expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
  const next = spawnRole('worker', `worker-after-${second}`, 20_000);
  const d = await h.finished(arn, 60_000);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual({ second });
  expect(calls.get('held')).toBe(2);
  const types = await h.types(arn);
  expect(types.filter((t) => t === 'LambdaFunctionFailed')).toEqual([]);
  expect(types.filter((t) => t === 'LambdaFunctionScheduled')).toHaveLength(1);
  await waitStarted(next);
  next.kill('SIGTERM');
  expect(await exitCode(next)).toBe(0);
}, 120_000);
