/**
 * The embedded store (PGlite in a data folder) runs the same migrations and repositories as Postgres: the
 * migrated schema is the committed dump, records come back in the same shapes, transactions are atomic and
 * never interleave on the one session, NOTIFY reaches listeners on commit only, and one process owns a folder.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DataDirectoryInUseError, dumpSchema, loadMigrations, MIGRATIONS_DIR, PgliteStore } from '@baton/store';

const dataDir = mkdtempSync(join(tmpdir(), 'baton-pglite-store-'));
let store: PgliteStore;

beforeAll(async () => {
  store = await PgliteStore.open({ dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const execution = (name: string) => ({
  arn: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
  stateMachineRevision: 1, name, status: 'RUNNING' as const, input: '{"z":1,"a":2}', output: null, error: null, cause: null,
  startDate: new Date('2024-05-01T10:00:00.123Z'), stopDate: null, doc: { z: 1, a: [2, { y: true, b: null }] } as never,
});

it('applies the same migrations as Postgres and ends with the committed schema', async () => {
  expect(await store.migrate()).toEqual(loadMigrations().map((m) => m.name));
  expect(await store.migrate()).toEqual([]);
  expect(await dumpSchema(store.kysely)).toBe(readFileSync(join(MIGRATIONS_DIR, 'schema.sql'), 'utf8'));
});

it('returns records in the shapes node-pg gives: bigint ids as strings, dates, json with its key order', async () => {
  const row = (await store.executions.insert(execution('shapes')))!;
  expect(typeof row.id).toBe('string');
  expect(row.startDate).toEqual(new Date('2024-05-01T10:00:00.123Z'));
  expect(JSON.stringify(row.doc)).toBe('{"z":1,"a":[2,{"y":true,"b":null}]}');
  expect(await store.executions.insert(execution('shapes'))).toBeUndefined();
  // Compare-and-set on the version: the second writer with the same expectation loses.
  expect(await store.executions.update(row.id, 0, { doc: row.doc, status: 'RUNNING' })).toBe(true);
  expect(await store.executions.update(row.id, 0, { doc: row.doc, status: 'RUNNING' })).toBe(false);
  const signalId = await store.signals.insert(row.id, { kind: 'start', input: {} });
  expect(await store.signals.pending(row.id)).toEqual([{ id: signalId, signal: { kind: 'start', input: {} } }]);
  expect(await store.signals.consume([signalId])).toBe(1);
  expect(await store.signals.consume([signalId])).toBe(0);
});

it('rolls a failed transaction back and reports unique violations with their SQLSTATE', async () => {
  const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:tagged';
  const failure = await store.transaction(async (tx) => {
    await tx.tags.put(arn, [{ key: 'kept', value: 'no' }]);
    await tx.executions.insert(execution('dup'));
    await tx.executions.insert(execution('dup')); // ON CONFLICT DO NOTHING: fine
    await tx.history.append('1', [{ id: 1, previousEventId: 0, timestamp: 0, type: 'ExecutionStarted' } as never]);
    await tx.history.append('1', [{ id: 1, previousEventId: 0, timestamp: 0, type: 'ExecutionStarted' } as never]);
  }).then(() => undefined, (e: unknown) => e as { code?: string });
  expect(failure?.code).toBe('23505');
  expect(await store.tags.list(arn)).toEqual([]);
  expect(await store.executions.getByArn(execution('dup').arn)).toBeUndefined();
});

it('runs concurrent transactions one after another on the single session', async () => {
  const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:counter';
  // Each transaction reads the count and writes the next key: interleaved statements would write a key twice.
  await Promise.all(Array.from({ length: 20 }, () => store.transaction(async (tx) => {
    const n = await tx.tags.count(arn);
    await new Promise((r) => setTimeout(r, 1));
    await tx.tags.put(arn, [{ key: `k${String(n).padStart(2, '0')}`, value: String(n) }]);
  })));
  expect((await store.tags.list(arn)).map((t) => t.value)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
});

it('delivers NOTIFY to listeners when the transaction commits, never when it rolls back', async () => {
  const got: string[] = [];
  const stop = await store.listen('baton_test_channel', (p) => got.push(p));
  await store.transaction(async (tx) => {
    await tx.notify('baton_test_channel', 'committed');
    expect(got).toEqual([]);
  });
  await store.transaction(async (tx) => {
    await tx.notify('baton_test_channel', 'rolled back');
    throw new Error('abort');
  }).catch(() => {});
  await store.notify('baton_test_channel', 'outside');
  expect(got).toEqual(['committed', 'outside']);
  await stop();
  await store.notify('baton_test_channel', 'after stop');
  expect(got).toEqual(['committed', 'outside']);
});

it('throws instead of hanging when a transaction queries the store itself rather than its own session', async () => {
  const attempt = store.transaction(async () => store.tags.list('x'));
  await expect(attempt).rejects.toThrow(/one session/);
  expect(await store.tags.list('x')).toEqual([]); // the session was released
});

it('lets one process at a time open a data folder, and keeps the data across a reopen', async () => {
  await expect(PgliteStore.open({ dataDir })).rejects.toBeInstanceOf(DataDirectoryInUseError);
  await store.close();
  store = await PgliteStore.open({ dataDir });
  expect(await store.migrate()).toEqual([]);
  expect((await store.executions.getByArn(execution('shapes').arn))?.version).toBe(1);
});

it('keeps the history partitions the same way: one ahead of the identity, a late id in the default, sealed empty ones dropped', async () => {
  const names = async () => (await store.retention.partitions.list()).map((p) => p.name);
  expect(await names()).toEqual(['history_events_p0', 'history_events_p1']);
  await sql`ALTER TABLE executions ALTER COLUMN id RESTART WITH 3000007`.execute(store.kysely);
  const row = (await store.executions.insert(execution('far')))!;
  expect(row.id).toBe('3000007');
  await store.history.append(row.id, [{ id: 1, previousEventId: 0, timestamp: 0, type: 'ExecutionStarted' } as never]);
  const where = () => sql<{ t: string }>`SELECT tableoid::regclass::text AS t FROM history_events WHERE execution_id = 3000007`.execute(store.kysely);
  expect((await where()).rows).toEqual([{ t: 'history_events_default' }]);
  // p0 still has the executions of the tests above; p1 is sealed (below the identity's partition) and empty.
  expect(await store.retention.maintainHistoryPartitions()).toEqual({ created: ['history_events_p3', 'history_events_p4'], dropped: ['history_events_p1'] });
  expect((await where()).rows).toEqual([{ t: 'history_events_p3' }]);
  expect((await store.history.list(row.id, { offset: 0, limit: 10, reverse: false })).map((e) => e.type)).toEqual(['ExecutionStarted']);
  expect(await names()).toEqual(['history_events_p0', 'history_events_p3', 'history_events_p4']);
});

it('converts a history written before migration 0012 in place: the same events read back from the first partition', async () => {
  const oldDir = mkdtempSync(join(tmpdir(), 'baton-pglite-0011-'));
  const migrations = mkdtempSync(join(tmpdir(), 'baton-migrations-0011-'));
  const old = await PgliteStore.open({ dataDir: oldDir });
  try {
    for (const m of loadMigrations()) if (m.version < 12) symlinkSync(join(MIGRATIONS_DIR, m.name), join(migrations, m.name));
    expect((await old.migrate(migrations)).at(-1)).toBe('0011_map_run_error_location.sql');
    const row = (await old.executions.insert(execution('before-0012')))!;
    const events = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, previousEventId: i, timestamp: 1_700_000_000_000 + i, type: `E${i}`, detail: { i } }));
    await old.history.append(row.id, events as never);
    const before = await old.history.list(row.id, { offset: 0, limit: 10, reverse: false });
    expect(before).toHaveLength(5);
    expect(await old.migrate()).toEqual(loadMigrations().filter((m) => m.version >= 12).map((m) => m.name));
    expect(await old.history.list(row.id, { offset: 0, limit: 10, reverse: false })).toEqual(before);
    expect(await old.history.lastEventId(row.id)).toBe(5);
    const where = await sql<{ t: string }>`SELECT DISTINCT tableoid::regclass::text AS t FROM history_events`.execute(old.kysely);
    expect(where.rows).toEqual([{ t: 'history_events_p0' }]);
  } finally {
    await old.close();
    rmSync(oldDir, { recursive: true, force: true });
    rmSync(migrations, { recursive: true, force: true });
  }
});
