/**
 * Redis away, for real: a redis-server of this test's own on a free port, killed and started again. A role
 * starts and serves HTTP without it (/readyz 503 naming Redis, on the API port and a worker's probe port),
 * StartExecution commits to Postgres and returns without waiting for the queue, and the executions run to the
 * end once Redis is back (empty: the reconciler hands the pending work to the queue again). Then the same with
 * Redis dying under a running server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startRole, type Role } from './support/scrape.js';

const SECRET = 'outage-secret-0123456789abcdef';
/** The test runs its own redis-server (installed where the suite's services run locally, as in CI). */
const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;
if (!HAS_REDIS_SERVER) console.warn('redis-outage.test: skipped, no redis-server binary on PATH');
let db: TestDatabase;
let redisPort: number;
let redis: ChildProcess | undefined;
let server: Role | undefined;
let worker: Role | undefined;
let sfn: S.SFNClient;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts redis-server (no persistence: it comes back empty, as after a crash without AOF) and waits for PING. */
async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const { Redis } = await import('ioredis');
  await expect.poll(async () => {
    const c = new Redis(redisPort, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => {});
    try {
      await c.connect();
      return await c.ping();
    } catch {
      return 'down';
    } finally {
      c.disconnect();
    }
  }, { timeout: 10_000, interval: 100 }).toBe('PONG');
}

async function killRedis(): Promise<void> {
  const r = redis;
  redis = undefined;
  if (!r || r.exitCode !== null) return;
  const exited = new Promise((resolve) => r.once('exit', resolve));
  r.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  if (!HAS_REDIS_SERVER && process.env.CI !== 'true') return;
  db = await createTestDatabase('redis_outage');
  redisPort = await freePort();
});

afterAll(async () => {
  sfn?.destroy();
  await server?.stop();
  await worker?.stop();
  await killRedis();
  await db?.drop();
});

/** StartExecution, failing the test if it does not return (it used to wait for Redis for ~110 s). */
const start = async (stateMachineArn: string): Promise<string> =>
  (await sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: '{}' }), { abortSignal: AbortSignal.timeout(15_000) })).executionArn!;
const status = async (executionArn: string): Promise<string> => (await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).status!;

describe.skipIf(!HAS_REDIS_SERVER && process.env.CI !== 'true')('with Redis down', () => {
  const env = () => ({
    DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${redisPort}`, BATON_QUEUE_PREFIX: 'outage', BATON_ACCESS_KEYS: `AKIDOUTAGE:${SECRET}`,
    BATON_RECONCILE_GRACE_MS: '500', BATON_RECONCILE_INTERVAL_MS: '250',
  });
  let machineArn = '';

  it('a role starts and serves HTTP; /readyz answers 503 naming Redis on the API port and the probe port', async () => {
    server = startRole('server', { ...env(), BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0' });
    const url = String((await server.line('listening')).url);
    expect(server.lines().some((l) => l.level === 'warn' && String(l.message).includes('Redis does not answer'))).toBe(true);
    worker = startRole('worker', { ...env(), BATON_PROBE_PORT: '0', BATON_PROBE_HOST: '127.0.0.1' });
    const probe = String((await worker.line('probes listening')).url);
    for (const base of [url, probe]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      const body = await ready.json() as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe('not ready');
      expect(body.checks.postgres).toEqual({ ok: true });
      expect(body.checks.redis!.ok).toBe(false);
      expect(body.checks.redis!.detail).toBeTruthy();
    }
    await worker.stop();
    worker = undefined;
    sfn = new S.SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDOUTAGE', secretAccessKey: SECRET }, maxAttempts: 1 });
    machineArn = (await sfn.send(new S.CreateStateMachineCommand({
      name: 'outage', roleArn: 'arn:aws:iam::123456789012:role/demo',
      definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 1, Next: 'B' }, B: { Type: 'Pass', End: true } } }),
    }))).stateMachineArn!;
  }, 60_000);

  it('StartExecution commits and returns; the executions run once Redis is back', async () => {
    const arns = [await start(machineArn), await start(machineArn), await start(machineArn)];
    // Durable in Postgres, visible at once, and waiting: no worker can take the work without the queue.
    for (const arn of arns) expect(await status(arn)).toBe('RUNNING');
    await startRedis();
    for (const arn of arns) await expect.poll(() => status(arn), { timeout: 60_000, interval: 200 }).toBe('SUCCEEDED');
    const url = String(server!.lines().find((l) => l.message === 'listening')!.url);
    await expect.poll(async () => (await fetch(`${url}/readyz`)).status, { timeout: 10_000, interval: 200 }).toBe(200);
  }, 90_000);

  it('Redis dying under a running server: starts still return, and the work finishes when it is back', async () => {
    await killRedis();
    const arns = [await start(machineArn), await start(machineArn)];
    for (const arn of arns) expect(await status(arn)).toBe('RUNNING');
    await startRedis();
    for (const arn of arns) await expect.poll(() => status(arn), { timeout: 60_000, interval: 200 }).toBe('SUCCEEDED');
  }, 90_000);
});
