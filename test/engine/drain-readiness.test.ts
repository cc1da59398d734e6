/**
 * `/readyz` while a role drains, with real processes: after SIGTERM, for as long as the role finishes its work in
 * progress (BATON_SHUTDOWN_GRACE_MS), `/readyz` answers 503 naming the drain and `/healthz` stays 200, on the API
 * port (`baton api`, `baton server`) or on BATON_PROBE_PORT (`baton worker`, `baton timer`); an API role answers
 * new API requests 503 ServiceUnavailable meanwhile. The work in progress is held on purpose: a Lambda call (or a
 * synchronous Express execution calling it) against a wire-level stand-in that answers when the test says so,
 * and for the timer a retention round waiting on the partition upkeep's advisory lock, which the test holds.
 * A second signal ends an API's drain at once: the request still in progress is cut (the worker's side of this is
 * worker-drain.test.ts). The roles that take steps have started an evaluation host once they are ready, before any
 * work reaches them; the timer has none.
 * Needs the build (`npm test` runs `tsc -b` first).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness } from './support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';

let h: Harness;
let lambda: Server;
/** Lambda calls received and not answered yet: answered by `release()`. */
const held: { res: ServerResponse; body: string }[] = [];
const children: ChildProcess[] = [];
const KEYS = { accessKeyId: 'AKIDDRAIN', secretAccessKey: 'drain-secret-0123456789' };

beforeAll(async () => {
  // Lambda's Invoke API (POST /2015-03-31/functions/<name>/invocations): holds each call until released.
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => held.push({ res, body: Buffer.concat(chunks).toString() || '{}' }));
  });
  lambda.listen(0, '127.0.0.1');
  await once(lambda, 'listening');
  h = await Harness.start({ label: 'drainready', workers: 0, timers: 0 });
});

afterAll(async () => {
  release();
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  lambda?.close();
  await h?.stop();
});

/** Answers every held call with its own payload. */
function release(): void {
  for (const { res, body } of held.splice(0)) {
    if (res.destroyed) continue;
    res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
    res.end(body);
  }
}

type Role = 'api' | 'worker' | 'timer' | 'server';
type Child = ChildProcess & { stderrText: () => string };

function spawnRole(role: Role, env: Record<string, string> = {}): Child {
  const port = (lambda.address() as { port: number }).port;
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), role], {
    env: {
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_SHUTDOWN_GRACE_MS: '30000', BATON_RETENTION_SWEEP_INTERVAL_MS: '200',
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
      ...(role === 'api' || role === 'server'
        ? { BATON_ACCESS_KEYS: `${KEYS.accessKeyId}:${KEYS.secretAccessKey}`, BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0' }
        : { BATON_PROBE_PORT: '0', BATON_PROBE_HOST: '127.0.0.1' }),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  children.push(child);
  return Object.assign(child, { stderrText: () => err });
}

/** The URL the role serves its probes on, from its log line ("listening" for the API, "probes listening"). */
async function probeUrl(child: Child): Promise<string> {
  const find = () => child.stderrText().split('\n').filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { message?: string; url?: string })
    .find((l) => l.message === 'listening' || l.message === 'probes listening')?.url;
  await expect.poll(() => child.stderrText().includes('"message":"started"') && find() !== undefined, { timeout: 30_000, interval: 50 }).toBe(true);
  return find()!;
}

/** The evaluation hosts (child processes running the host script) a role has started. */
function evaluationHosts(child: ChildProcess): number {
  try {
    return execFileSync('pgrep', ['-P', String(child.pid), '-f', 'step-process'], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when none matches
  }
}

/** A role that takes steps has started one evaluation host by the time it is ready, before any work reaches it. */
async function startedOneHost(child: Child): Promise<void> {
  await expect.poll(() => evaluationHosts(child), { timeout: 10_000, interval: 50 }).toBe(1);
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: await r.text() };
};

/** SIGTERM, then /readyz must say 503 (draining) and /healthz 200 while the work is held. */
async function drainsNotReady(child: Child, url: string): Promise<void> {
  expect(await get(`${url}/readyz`)).toMatchObject({ status: 200 });
  child.kill('SIGTERM');
  await expect.poll(() => child.stderrText(), { timeout: 10_000, interval: 20 }).toContain('"message":"stopping"');
  const ready = await get(`${url}/readyz`);
  expect(ready.status, child.stderrText()).toBe(503);
  expect(JSON.parse(ready.body)).toMatchObject({ status: 'not ready', checks: { draining: { ok: false } } });
  expect(JSON.parse(ready.body).checks.draining.detail).toContain('SIGTERM');
  expect(await get(`${url}/healthz`)).toMatchObject({ status: 200 });
  expect(child.exitCode).toBeNull();
}

const lambdaMachine = (name: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') => h.createStateMachine(name, {
  StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:held', End: true } },
}, type);

it.each(['worker', 'server'] as const)('baton %s answers /readyz 503 while a Lambda call drains, then finishes it and exits 0', async (role) => {
  const sm = await lambdaMachine(`ready-${role}`);
  const child = spawnRole(role);
  const url = await probeUrl(child);
  await startedOneHost(child);
  const arn = await h.start(sm, { role });
  await expect.poll(() => held.length, { timeout: 30_000, interval: 20 }).toBe(1);
  await drainsNotReady(child, url);
  if (role === 'server') {
    // New API work is refused while draining (the SDK retries it elsewhere); the probes are still served.
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AWSStepFunctions.ListStateMachines' }, body: '{}' });
    expect(r.status).toBe(503);
    expect(r.headers.get('x-amzn-errortype')).toBe('ServiceUnavailable');
  }
  release();
  expect(await exitCode(child), child.stderrText()).toBe(0);
  const d = await h.finished(arn, 30_000);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual({ role });
}, 90_000);

it('baton api answers /readyz 503 while a synchronous Express execution is in progress, answers it, and exits 0', async () => {
  const sm = await lambdaMachine('ready-api', 'EXPRESS');
  const child = spawnRole('api');
  const url = await probeUrl(child);
  await startedOneHost(child);
  // StartSyncExecution goes to the `sync-` host on AWS; here the one endpoint serves it.
  const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: KEYS, maxAttempts: 1, disableHostPrefix: true });
  try {
    const sync = sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm, input: '{"sync":true}' }));
    sync.catch(() => {}); // awaited below; a failure before then must not be an unhandled rejection
    await expect.poll(() => held.length, { timeout: 30_000, interval: 20 }).toBe(1);
    await drainsNotReady(child, url);
    release();
    const out = await sync;
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output!)).toEqual({ sync: true });
    expect(await exitCode(child), child.stderrText()).toBe(0);
  } finally {
    sfn.destroy();
  }
}, 90_000);

it.each(['SIGTERM', 'SIGINT'] as const)('a second signal (%s) cuts a baton api request still in progress, and the API exits 0 long before its grace', async (second) => {
  const sm = await lambdaMachine(`hurry-api-${second}`, 'EXPRESS');
  // A grace far longer than this test may run: only the second signal can end the drain of a request never answered.
  const child = spawnRole('api', { BATON_SHUTDOWN_GRACE_MS: '600000' });
  const url = await probeUrl(child);
  const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: KEYS, maxAttempts: 1, disableHostPrefix: true });
  try {
    const outcome = sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm, input: '{}' }))
      .then((o) => `answered ${o.status}`, (e: Error) => `failed ${e.name}: ${e.message}`);
    await expect.poll(() => held.length, { timeout: 30_000, interval: 20 }).toBe(1);
    await drainsNotReady(child, url);
    child.kill(second);
    // The connection was closed under the request: no answer, an error on the client (which the SDK would retry).
    expect(await outcome).toMatch(/^failed /);
    expect(await exitCode(child), child.stderrText()).toBe(0);
    expect(child.stderrText()).toContain('"message":"second signal: ending the drain now');
  } finally {
    release();
    sfn.destroy();
  }
}, 90_000);

it('baton timer answers /readyz 503 while its round in progress finishes, and exits 0', async () => {
  // The round's partition upkeep waits for this lock (HistoryPartitions' MAINTENANCE_LOCK), as it would for
  // another replica's: the round is in progress for as long as the test holds it.
  const holder = new pg.Client({ connectionString: h.db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [0x62687074]);
    const child = spawnRole('timer');
    const url = await probeUrl(child);
    expect(evaluationHosts(child)).toBe(0); // a timer takes no steps
    const waiting = async () => (await holder.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`, [0x62687074])).rows[0]!.n;
    await expect.poll(waiting, { timeout: 30_000, interval: 50 }).toBe('1');
    await drainsNotReady(child, url);
    await holder.query('COMMIT');
    expect(await exitCode(child), child.stderrText()).toBe(0);
  } finally {
    await holder.end();
  }
}, 90_000);
