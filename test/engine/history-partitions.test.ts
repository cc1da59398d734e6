/**
 * History partitioned by execution id range (migration 0012) on real Postgres: a history written before the
 * migration reads the same after it (the old table is the first partition); partitions are created ahead of the
 * identity; an execution whose id lies past the last partition still runs (its rows land in the default
 * partition, and move into their partition when it is created); one execution's read touches one partition; the
 * sweep drops a sealed partition once its executions are gone and never one that still has an execution, nor
 * one a transaction is still writing into (it waits for the lock, gives up for the round, and then sees it).
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine, EngineWorker } from '@baton/engine';
import { InProcessQueue } from '@baton/queue';
import { HISTORY_PARTITION_WIDTH, loadMigrations, MIGRATIONS_DIR, PgStore } from '@baton/store';
import { assertWellFormedHistory, Harness } from './support/harness.js';
import { createTestDatabase } from '../support/database.js';

let h: Harness;
let db: pg.Client;

beforeAll(async () => {
  h = await Harness.start({ label: 'hparts', workers: 1, timers: 1 });
  db = new pg.Client({ connectionString: h.db.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await h?.stop();
});

const W = Number(HISTORY_PARTITION_WIDTH);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function idOf(arn: string): Promise<number> {
  const r = await db.query<{ id: string }>('SELECT id::text FROM executions WHERE arn = $1', [arn]);
  return Number(r.rows[0]!.id);
}

/** The partitions an execution's history rows are in. */
async function partitionsOf(id: number): Promise<string[]> {
  const r = await db.query<{ t: string }>('SELECT DISTINCT tableoid::regclass::text AS t FROM history_events WHERE execution_id = $1', [id]);
  return r.rows.map((x) => x.t);
}

async function partitionNames(): Promise<string[]> {
  return (await h.store.retention.partitions.list()).map((p) => p.name);
}

const nextIdsFrom = (id: number) => db.query(`ALTER TABLE executions ALTER COLUMN id RESTART WITH ${id}`);

it('a history written before migration 0012 reads the same after it, from the first partition', async () => {
  const tdb = await createTestDatabase('hparts_conv');
  const dir = mkdtempSync(join(tmpdir(), 'baton-migrations-'));
  const store = new PgStore({ connectionString: tdb.url });
  const queue = new InProcessQueue();
  const engine = new Engine({ store, queue });
  const worker = new EngineWorker(engine, { concurrency: 2 });
  try {
    for (const m of loadMigrations()) if (m.version < 12) symlinkSync(join(MIGRATIONS_DIR, m.name), join(dir, m.name));
    expect((await store.migrate(dir)).at(-1)).toBe('0011_map_run_error_location.sql');
    await worker.start();
    const sm = await engine.createStateMachine({
      name: 'before', roleArn: 'arn:aws:iam::123456789012:role/test',
      definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: { x: 1 }, Next: 'B' }, B: { Type: 'Pass', End: true } } }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn: sm.stateMachineArn, input: '{"k":"v"}' });
    for (let i = 0; i < 400 && (await engine.describeExecution({ executionArn })).status === 'RUNNING'; i++) await sleep(50);
    expect((await engine.describeExecution({ executionArn })).status).toBe('SUCCEEDED');
    const before = (await engine.getExecutionHistory({ executionArn, maxResults: 1000 })).events;
    const reversed = (await engine.getExecutionHistory({ executionArn, maxResults: 2, reverseOrder: true })).events;
    expect(before.map((e) => e.type)).toContain('ExecutionSucceeded');
    await worker.stop();

    expect(await store.migrate()).toEqual(loadMigrations().filter((m) => m.version >= 12).map((m) => m.name));
    expect(await engine.getExecutionHistory({ executionArn, maxResults: 1000 }).then((r) => r.events)).toEqual(before);
    expect(await engine.getExecutionHistory({ executionArn, maxResults: 2, reverseOrder: true }).then((r) => r.events)).toEqual(reversed);
    const c = new pg.Client({ connectionString: tdb.url });
    await c.connect();
    try {
      const where = await c.query<{ t: string; n: string }>(
        `SELECT tableoid::regclass::text AS t, count(*)::text AS n FROM history_events GROUP BY 1`);
      expect(where.rows).toEqual([{ t: 'history_events_p0', n: String(before.length) }]);
      const kind = await c.query<{ relkind: string }>(`SELECT relkind FROM pg_class WHERE relname = 'history_events'`);
      expect(kind.rows[0]!.relkind).toBe('p');
      // The first partition is the old table and ends at a multiple of the width; the next is created ahead.
      expect(await store.retention.partitions.list()).toEqual([
        { name: 'history_events_p0', from: undefined, to: HISTORY_PARTITION_WIDTH },
        { name: 'history_events_p1', from: HISTORY_PARTITION_WIDTH, to: 2n * HISTORY_PARTITION_WIDTH },
      ]);
    } finally {
      await c.end();
    }
  } finally {
    await worker.stop().catch(() => {});
    await engine.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    await tdb.drop();
  }
}, 60_000);

it('one execution\'s history reads touch one partition (the plan prunes the others)', async () => {
  await nextIdsFrom(1);
  const sm = await h.createStateMachine('plan', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const arn = await h.start(sm);
  await h.finished(arn);
  const id = await idOf(arn);
  const scanned = async (q: string): Promise<string[]> => {
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${q}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
    return [...new Set(plan.match(/history_events_\w+/g) ?? [])].filter((n) => !n.endsWith('_pkey')).sort();
  };
  expect(await scanned(`SELECT * FROM history_events WHERE execution_id = ${id} ORDER BY event_id LIMIT 100`)).toEqual(['history_events_p0']);
  expect(await scanned(`SELECT event_id FROM history_events WHERE execution_id = ${id} ORDER BY event_id DESC LIMIT 1`)).toEqual(['history_events_p0']);
  // A generic plan (a prepared statement reused) prunes when it runs instead: the others show as removed.
  await db.query(`PREPARE read_one(bigint) AS SELECT * FROM history_events WHERE execution_id = $1 ORDER BY event_id LIMIT 100`);
  await db.query(`SET plan_cache_mode = force_generic_plan`);
  try {
    const plan = (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE read_one(${id})`)).rows
      .map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Subplans Removed: 2/);
    expect([...new Set(plan.match(/on history_events_\w+/g))].filter((n) => !n.endsWith('_pkey'))).toEqual(['on history_events_p0']);
  } finally {
    await db.query('RESET plan_cache_mode');
    await db.query('DEALLOCATE read_one');
  }
}, 60_000);

it('partitions are created ahead; an id past the last one still runs (default partition) and moves into its partition', async () => {
  expect(await partitionNames()).toEqual(['history_events_p0', 'history_events_p1']);
  const sm = await h.createStateMachine('far', { StartAt: 'P', States: { P: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 0, End: true } } });
  await nextIdsFrom(7 * W + 5);
  const arn = await h.start(sm, { far: true });
  expect((await h.finished(arn)).status).toBe('SUCCEEDED');
  const id = await idOf(arn);
  expect(id).toBeGreaterThanOrEqual(7 * W);
  expect(await partitionsOf(id)).toEqual(['history_events_default']);
  const events = await h.history(arn);
  expect(assertWellFormedHistory(events)).toEqual([]);
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['ExecutionStarted', 'WaitStateExited', 'ExecutionSucceeded']));

  // With retention off the sweeper still keeps the partitions: from the last one up to one ahead of the identity.
  const upkeep = h.api.newRetentionSweeper({ retentionMs: undefined });
  expect(await upkeep.sweepOnce()).toBe(0);
  // Not the ranges the identity jumped over (no id falls there any more); p1, sealed and empty, goes.
  expect(await upkeep.maintainPartitions()).toEqual({ created: ['history_events_p7', 'history_events_p8'], dropped: ['history_events_p1'] });
  expect(await partitionsOf(id)).toEqual(['history_events_p7']);
  expect(await h.history(arn)).toEqual(events);
  const stray = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM history_events_default');
  expect(stray.rows[0]!.n).toBe('0');
  expect(await upkeep.maintainPartitions()).toEqual({ created: [], dropped: [] });
  expect(await partitionNames()).toEqual(['history_events_p0', 'history_events_p7', 'history_events_p8']);
}, 60_000);

it('the sweep drops a sealed partition once its executions are gone, never one with an execution left', async () => {
  const pass = await h.createStateMachine('drop-pass', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const hold = await h.createStateMachine('drop-hold', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
  const sweeper = h.api.newRetentionSweeper({ retentionMs: 1 });
  // p10: closed executions only. p11: one closed, one running. p12: where the identity allocates now (open).
  // The upkeep runs after each jump, as the timer role's would every minute while ids pass.
  await nextIdsFrom(10 * W);
  await sweeper.maintainPartitions();
  const inP10 = await Promise.all([1, 2, 3].map((i) => h.start(pass, { i })));
  await nextIdsFrom(11 * W);
  await sweeper.maintainPartitions();
  const closedP11 = await h.start(pass, { p11: true });
  const running = await h.start(hold);
  await nextIdsFrom(12 * W);
  await sweeper.maintainPartitions();
  const open = await h.start(pass, { open: true });
  for (const arn of [...inP10, closedP11, open]) expect((await h.finished(arn)).status).toBe('SUCCEEDED');
  await h.waitFor('the held execution to wait', async () => ((await h.types(running)).includes('WaitStateEntered') ? true : undefined));
  expect(await partitionNames()).toEqual(expect.arrayContaining(['history_events_p10', 'history_events_p11', 'history_events_p12', 'history_events_p13']));
  for (const arn of inP10) expect(await partitionsOf(await idOf(arn))).toEqual(['history_events_p10']);
  expect(await partitionsOf(await idOf(running))).toEqual(['history_events_p11']);
  const openId = await idOf(open);
  const p11Id = await idOf(closedP11);

  await sleep(20);
  expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(5);
  // The open partition's rows are deleted with their execution; a sealed partition's wait for the partition.
  expect(await partitionsOf(openId)).toEqual([]);
  expect(await partitionsOf(p11Id)).toEqual(['history_events_p11']);
  const { dropped } = await sweeper.maintainPartitions();
  expect(dropped).toContain('history_events_p10');
  expect(dropped).not.toContain('history_events_p11');
  expect(dropped).not.toContain('history_events_p12');
  const names = await partitionNames();
  expect(names).not.toContain('history_events_p10');
  expect(names).toEqual(expect.arrayContaining(['history_events_p11', 'history_events_p12', 'history_events_p13']));
  // The running execution's history is untouched, and it still moves on.
  expect(await h.types(running)).toEqual(['ExecutionStarted', 'WaitStateEntered']);
  await h.api.stopExecution({ executionArn: running });
  expect(await h.types(running)).toContain('ExecutionAborted');

  await sleep(20);
  expect(await sweeper.sweepOnce()).toBe(1);
  expect((await sweeper.maintainPartitions()).dropped).toContain('history_events_p11');
  expect(await partitionNames()).not.toContain('history_events_p11');
  const left = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM history_events WHERE execution_id >= $1 AND execution_id < $2', [10 * W, 12 * W]);
  expect(left.rows[0]!.n).toBe('0');
}, 60_000);

it('never drops a partition under a transaction still writing into it: waits, gives up for the round, then sees its execution', async () => {
  const sweeper = h.api.newRetentionSweeper({ retentionMs: 1 });
  await nextIdsFrom(14 * W);
  // Took its id (in p13) before the jump and has not committed yet: neither its execution nor its history is visible.
  const holder = new pg.Client({ connectionString: h.db.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query(
      `INSERT INTO executions (id, arn, state_machine_arn, state_machine_revision, name, status, input, start_date, doc)
       OVERRIDING SYSTEM VALUE VALUES ($1, 'arn:late', 'arn:sm', 1, 'late', 'RUNNING', '{}', now(), '{}')`, [13 * W + 1]);
    await holder.query(`INSERT INTO history_events VALUES ($1, 1, 0, 'ExecutionStarted', now(), '{}')`, [13 * W + 1]);
    // p12 (its executions swept) and p13 look empty and are sealed; the DROP's lock waits for the holder and gives up.
    expect(await sweeper.maintainPartitions()).toEqual({ created: ['history_events_p14', 'history_events_p15'], dropped: [] });
    await holder.query('COMMIT');
  } finally {
    await holder.end();
  }
  expect((await sweeper.maintainPartitions()).dropped).toEqual(['history_events_p12']);
  const names = await partitionNames();
  expect(names).toContain('history_events_p13');
  expect(await partitionsOf(13 * W + 1)).toEqual(['history_events_p13']);
}, 60_000);
