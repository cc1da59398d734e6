/**
 * Retention on real Postgres: closed executions past the retention are deleted with everything hanging off them
 * (history, signals, tasks, timers, task tokens, activity tasks, Map Runs and their child executions), batch by
 * batch; running and recently closed executions stay; a Distributed Map's children go with their parent and not
 * before; two sweepers side by side share the work (SKIP LOCKED); and `baton timer` runs the sweep on its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness } from './support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';

let h: Harness;
let db: pg.Client;
const children: ChildProcess[] = [];

/** Every table that hangs off an execution, with how its rows name the execution. */
const TABLES = ['history_events', 'signals', 'tasks', 'timers', 'task_tokens', 'activity_tasks', 'map_runs'];

beforeAll(async () => {
  h = await Harness.start({ label: 'retention', workers: 1, timers: 1, concurrency: 16, engine: { mapRunPollMs: 20 } });
  db = new pg.Client({ connectionString: h.db.url });
  await db.connect();
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await db?.end();
  await h?.stop();
});

async function idOf(arn: string): Promise<string> {
  const r = await db.query<{ id: string }>('SELECT id::text FROM executions WHERE arn = $1', [arn]);
  return r.rows[0]!.id;
}

/** Rows per table that belong to these executions (map_run_children through their Map Runs or as children). */
async function rowsOf(ids: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['executions', ...TABLES]) {
    const column = t === 'executions' ? 'id' : 'execution_id';
    const r = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${t} WHERE ${column} = ANY($1::bigint[])`, [ids]);
    out[t] = Number(r.rows[0]!.n);
  }
  const c = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM map_run_children c JOIN map_runs m ON m.id = c.map_run_id
     WHERE m.execution_id = ANY($1::bigint[]) OR c.execution_id = ANY($1::bigint[])`, [ids]);
  out.map_run_children = Number(c.rows[0]!.n);
  return out;
}

const exists = async (arn: string): Promise<boolean> =>
  h.api.describeExecution({ executionArn: arn }).then(() => true, (e: { code?: string }) => {
    if (e.code === 'ExecutionDoesNotExist') return false;
    throw e;
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sweeper whose cutoff is `since` (epoch ms): everything closed before it is past the retention. */
const sweeperUntil = (since: number, batchSize = 500) => h.api.newRetentionSweeper({ retentionMs: Date.now() - since, batchSize });

it('deletes closed executions past the retention with every row hanging off them; keeps running and recent ones', async () => {
  const pass = await h.createStateMachine('ret-pass', { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 0, End: true } } });
  const hold = await h.createStateMachine('ret-hold', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
  const old = await Promise.all(Array.from({ length: 5 }, (_, i) => h.start(pass, { i })));
  for (const arn of old) expect((await h.finished(arn)).status).toBe('SUCCEEDED');
  const running = await h.start(hold);
  await sleep(100);
  const cutoff = Date.now();
  await sleep(100);
  const recent = await h.start(pass, { recent: true });
  expect((await h.finished(recent)).status).toBe('SUCCEEDED');
  const oldIds: string[] = [];
  for (const arn of old) oldIds.push(await idOf(arn));
  const before = await rowsOf(oldIds);
  expect(before).toMatchObject({ executions: 5 });
  expect(before.history_events).toBeGreaterThan(5 * 4);
  expect(before.signals).toBeGreaterThan(0);

  const deleted = await sweeperUntil(cutoff, 2).sweepOnce(); // three batches of at most 2
  expect(deleted).toBe(5);
  for (const arn of old) expect(await exists(arn), arn).toBe(false);
  expect(Object.values(await rowsOf(oldIds)).every((n) => n === 0), JSON.stringify(await rowsOf(oldIds))).toBe(true);
  expect(await exists(recent)).toBe(true);
  expect(await exists(running)).toBe(true);
  expect((await rowsOf([await idOf(recent)])).history_events).toBeGreaterThan(0);
  await h.api.stopExecution({ executionArn: running });
}, 60_000);

it("deletes a Distributed Map's child executions with their parent, never while the parent is kept", async () => {
  const sm = await h.createStateMachine('ret-map', {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map', ItemsPath: '$.items', Next: 'Hold',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      },
      Hold: { Type: 'Wait', Seconds: 3600, End: true },
    },
  });
  const parent = await h.start(sm, { items: [1, 2, 3] });
  await h.waitFor('the parent to reach Hold', async () => ((await h.types(parent)).includes('WaitStateEntered') ? true : undefined));
  const parentId = await idOf(parent);
  const childIds = (await db.query<{ id: string }>(
    `SELECT c.execution_id::text AS id FROM map_run_children c JOIN map_runs m ON m.id = c.map_run_id WHERE m.execution_id = $1`, [parentId],
  )).rows.map((r) => r.id);
  expect(childIds).toHaveLength(3);
  const closed = await db.query(`SELECT 1 FROM executions WHERE id = ANY($1::bigint[]) AND status = 'SUCCEEDED'`, [childIds]);
  expect(closed.rowCount).toBe(3);

  // The children closed long enough ago, but their parent runs: they stay.
  await sleep(50);
  await sweeperUntil(Date.now()).sweepOnce();
  expect((await rowsOf(childIds)).executions).toBe(3);

  await h.api.stopExecution({ executionArn: parent });
  await sleep(50);
  const cutoff = Date.now();
  // Closed, but after the cutoff: parent and children stay.
  await sweeperUntil(cutoff - 10_000).sweepOnce();
  expect((await rowsOf([parentId, ...childIds])).executions).toBe(4);

  const deleted = await sweeperUntil(cutoff).sweepOnce();
  expect(deleted).toBeGreaterThanOrEqual(4);
  const after = await rowsOf([parentId, ...childIds]);
  expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true);
  expect(await exists(parent)).toBe(false);
}, 60_000);

it('two sweepers side by side share the work: each execution is deleted once, none is left', async () => {
  const sm = await h.createStateMachine('ret-many', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const arns = await Promise.all(Array.from({ length: 60 }, (_, i) => h.start(sm, { i })));
  for (const arn of arns) await h.finished(arn);
  await sleep(50);
  const cutoff = Date.now();
  const due = await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM executions WHERE status <> 'RUNNING' AND stop_date < to_timestamp($1 / 1000.0)`, [cutoff]);
  const expected = Number(due.rows[0]!.n);
  expect(expected).toBeGreaterThanOrEqual(60);
  const [a, b] = [sweeperUntil(cutoff, 5), sweeperUntil(cutoff, 5)];
  const [na, nb] = await Promise.all([a.sweepOnce(), b.sweepOnce()]);
  expect(na + nb).toBe(expected);
  for (const arn of arns) expect(await exists(arn)).toBe(false);
}, 60_000);

it('`baton timer` sweeps on its own with BATON_HISTORY_RETENTION_DAYS (decimals), and stops on SIGTERM', async () => {
  const sm = await h.createStateMachine('ret-timer', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const arns = await Promise.all(Array.from({ length: 3 }, (_, i) => h.start(sm, { i })));
  for (const arn of arns) await h.finished(arn);
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), 'timer'], {
    env: {
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_HISTORY_RETENTION_DAYS: '0.00002', // 1.7 s
      BATON_RETENTION_SWEEP_INTERVAL_MS: '200',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  for (const arn of arns) await expect.poll(() => exists(arn), { timeout: 30_000, interval: 100 }).toBe(false);
  await expect.poll(() => err, { timeout: 5_000 }).toContain('"message":"retention sweep"');
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, err).toBe(0);
}, 60_000);

it('a sweeper that vacuums (the embedded database has no autovacuum) deletes, then VACUUMs the swept tables (history: its partitions)', async () => {
  const sm = await h.createStateMachine('ret-vacuum', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const arn = await h.start(sm);
  await h.finished(arn);
  await sleep(20);
  const before = await db.query<{ n: string }>(`SELECT coalesce(max(vacuum_count), 0)::text AS n FROM pg_stat_user_tables WHERE relname LIKE 'history\_events\_%'`);
  const sweeper = h.api.newRetentionSweeper({ retentionMs: 10, intervalMs: 100, vacuum: true });
  sweeper.start();
  try {
    await expect.poll(() => exists(arn), { timeout: 20_000 }).toBe(false);
    await expect.poll(async () => {
      const r = await db.query<{ n: string }>(`SELECT coalesce(max(vacuum_count), 0)::text AS n FROM pg_stat_user_tables WHERE relname LIKE 'history\_events\_%'`);
      return Number(r.rows[0]!.n);
    }, { timeout: 20_000 }).toBeGreaterThan(Number(before.rows[0]!.n));
  } finally {
    await sweeper.stop();
  }
}, 60_000);
