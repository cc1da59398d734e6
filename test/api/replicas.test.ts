/**
 * Page tokens on several API replicas with no setting: two API servers, each with its own engine and store on one
 * Postgres database (as two `baton api` processes are), started at once so that both generate the signing key in
 * the same instant. A token one replica issued pages on the other, for every listing, and one key is kept.
 * `BATON_PAGINATION_KEY` (the engine's `paginationKey`) still overrides the stored key. On the embedded default
 * (PGlite), a token issued before a restart pages after it. An activity long poll on one replica gets the task
 * another replica schedules. Real `@aws-sdk/client-sfn` clients throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, EngineWorker } from '@baton/engine';
import { InProcessQueue } from '@baton/queue';
import { PgliteStore, type PgStore } from '@baton/store';
import { ApiServer, parseAccessKeys } from '../../apps/api/src/index.js';
import { createTestDatabase, migratedStore, type TestDatabase } from '../support/database.js';

const ROLE = 'arn:aws:iam::123456789012:role/replicas';
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const WAIT = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });

interface Replica {
  sfn: S.SFNClient;
  close(): Promise<void>;
}

/** One API replica: its own store (pool), engine and server, as a separate `baton api` process has. */
async function replica(store: PgStore | PgliteStore, paginationKey?: string, withWorker = false): Promise<Replica> {
  const queue = new InProcessQueue();
  const engine = new Engine({ store, queue, ...(paginationKey !== undefined ? { paginationKey } : {}) });
  const worker = withWorker ? new EngineWorker(engine, { concurrency: 2, reconcileIntervalMs: 500 }) : undefined;
  await worker?.start();
  const embedded = store instanceof PgliteStore;
  const server = new ApiServer({
    backend: engine,
    ...(embedded ? { auth: { mode: 'off' as const }, developerMode: true } : { auth: { mode: 'sigv4' as const, accessKeys: parseAccessKeys('AKIDREPLICA:replica-secret') } }),
  });
  const { url } = await server.listen(0, '127.0.0.1');
  const sfn = new S.SFNClient({
    endpoint: url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDREPLICA', secretAccessKey: 'replica-secret' },
  });
  return {
    sfn,
    async close() {
      sfn.destroy();
      await server.close();
      await worker?.stop();
      await engine.close();
      await queue.close();
    },
  };
}

/** Every page of a listing, each page asked of the next replica in turn; the names in order. */
async function pageAcross<T>(replicas: Replica[], fetch: (sfn: S.SFNClient, nextToken?: string) => Promise<{ items: T[]; nextToken?: string }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  let i = 0;
  do {
    const page = await fetch(replicas[i++ % replicas.length]!.sfn, token);
    all.push(...page.items);
    token = page.nextToken;
  } while (token !== undefined && i < 50);
  return all;
}

describe('page tokens on two replicas of one Postgres database', () => {
  let db: TestDatabase;
  const stores: PgStore[] = [];
  let a: Replica, b: Replica;
  let machine = '';
  let execution = '';

  beforeAll(async () => {
    db = await createTestDatabase('replicas');
    stores.push(await migratedStore(db, 3), await migratedStore(db, 3));
    [a, b] = await Promise.all([replica(stores[0]!), replica(stores[1]!)]);
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    for (const s of stores) await s.close().catch(() => {});
    await db?.drop();
  }, 60_000);

  it('both replicas, started at once, agree on one generated key', async () => {
    for (const name of ['k1', 'k2']) await a.sfn.send(new S.CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
    // The first token each replica issues needs the key: both at the same instant, on an empty table.
    const first = await Promise.all([a, b].map((r) => r.sfn.send(new S.ListStateMachinesCommand({ maxResults: 1 }))));
    const second = await Promise.all([b, a].map((r, i) => r.sfn.send(new S.ListStateMachinesCommand({ maxResults: 1, nextToken: first[i]!.nextToken }))));
    expect(second.map((p) => p.stateMachines!.map((m) => m.name))).toEqual([['k2'], ['k2']]);
    for (const name of ['k1', 'k2']) {
      await b.sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}` }));
    }
    const keys = await stores[0]!.pool.query<{ purpose: string; key: string }>('SELECT purpose, key FROM signing_keys');
    expect(keys.rows.map((r) => r.purpose)).toEqual(['page-tokens']);
    expect(Buffer.from(keys.rows[0]!.key, 'base64url')).toHaveLength(32);
  });

  it('a token one replica issued pages on the other, for every listing', async () => {
    const names = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const name of names) await a.sfn.send(new S.CreateStateMachineCommand({ name, definition: name === 'm1' ? WAIT : PASS, roleArn: ROLE }));
    machine = `arn:aws:states:us-east-1:123456789012:stateMachine:m1`;
    const machines = await pageAcross([a, b], async (sfn, nextToken) => {
      const out = await sfn.send(new S.ListStateMachinesCommand({ maxResults: 2, nextToken }));
      return { items: out.stateMachines!.map((m) => m.name!), nextToken: out.nextToken };
    });
    expect(machines).toEqual(names);

    for (const name of ['x1', 'x2', 'x3']) await b.sfn.send(new S.CreateActivityCommand({ name }));
    const activities = await pageAcross([b, a], async (sfn, nextToken) => {
      const out = await sfn.send(new S.ListActivitiesCommand({ maxResults: 1, nextToken }));
      return { items: out.activities!.map((x) => x.name!), nextToken: out.nextToken };
    });
    expect(activities).toEqual(['x1', 'x2', 'x3']);

    for (const name of ['e1', 'e2', 'e3']) {
      const started = await a.sfn.send(new S.StartExecutionCommand({ stateMachineArn: machine, name }));
      execution ||= started.executionArn!;
    }
    const executions = await pageAcross([a, b], async (sfn, nextToken) => {
      const out = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: machine, maxResults: 1, nextToken }));
      return { items: out.executions!.map((x) => x.name!), nextToken: out.nextToken };
    });
    expect([...executions].sort()).toEqual(['e1', 'e2', 'e3']);

    // The history of a started execution holds at least ExecutionStarted; one event per page, alternating.
    const direct = await a.sfn.send(new S.GetExecutionHistoryCommand({ executionArn: execution, maxResults: 1000 }));
    const events = await pageAcross([b, a], async (sfn, nextToken) => {
      const out = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: execution, maxResults: 1, nextToken }));
      return { items: out.events!.map((e) => e.type!), nextToken: out.nextToken };
    });
    expect(events).toEqual(direct.events!.map((e) => e.type));
  });

  // Not a page token, but the other thing a replica could keep to itself: an activity long poll waiting on one
  // replica is woken by a task another replica's worker schedules (LISTEN/NOTIFY), and its token answers anywhere.
  it('a GetActivityTask long poll on one replica receives the task scheduled through another', async () => {
    const w = await replica(stores[0]!, undefined, true);
    try {
      const { activityArn } = await b.sfn.send(new S.CreateActivityCommand({ name: 'across' }));
      const sm = await w.sfn.send(new S.CreateStateMachineCommand({
        name: 'asks', roleArn: ROLE,
        definition: JSON.stringify({ StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: activityArn, End: true } } }),
      }));
      const polling = b.sfn.send(new S.GetActivityTaskCommand({ activityArn, workerName: 'on-b' }));
      const { executionArn } = await w.sfn.send(new S.StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"q":1}' }));
      const task = await polling;
      expect(task.input).toBe('{"q":1}');
      await a.sfn.send(new S.SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"a":2}' }));
      let status = 'RUNNING';
      for (let i = 0; i < 400 && status === 'RUNNING'; i++) {
        status = (await b.sfn.send(new S.DescribeExecutionCommand({ executionArn }))).status!;
        if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe('SUCCEEDED');
    } finally {
      await w.close();
    }
  }, 90_000);

  it('BATON_PAGINATION_KEY overrides the stored key: its tokens page where the same key is set, nowhere else', async () => {
    const [c, d] = [await replica(stores[0]!, 'operator-chosen-key'), await replica(stores[1]!, 'operator-chosen-key')];
    try {
      const fromC = await c.sfn.send(new S.ListStateMachinesCommand({ maxResults: 2 }));
      const onD = await d.sfn.send(new S.ListStateMachinesCommand({ maxResults: 2, nextToken: fromC.nextToken }));
      expect(onD.stateMachines!.map((m) => m.name)).toEqual(['m3', 'm4']);
      await expect(a.sfn.send(new S.ListStateMachinesCommand({ nextToken: fromC.nextToken }))).rejects.toThrow(S.InvalidToken);
      const fromA = await a.sfn.send(new S.ListStateMachinesCommand({ maxResults: 2 }));
      await expect(c.sfn.send(new S.ListStateMachinesCommand({ nextToken: fromA.nextToken }))).rejects.toThrow(S.InvalidToken);
    } finally {
      await c.close();
      await d.close();
    }
  });
});

describe('page tokens on the embedded default (PGlite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-replicas-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a token issued before a restart pages after it', async () => {
    let store = await PgliteStore.open({ dataDir });
    await store.migrate();
    let r = await replica(store);
    let token: string | undefined;
    try {
      for (const name of ['p1', 'p2', 'p3']) await r.sfn.send(new S.CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE }));
      const first = await r.sfn.send(new S.ListStateMachinesCommand({ maxResults: 2 }));
      expect(first.stateMachines!.map((m) => m.name)).toEqual(['p1', 'p2']);
      token = first.nextToken;
    } finally {
      await r.close();
      await store.close();
    }
    store = await PgliteStore.open({ dataDir });
    r = await replica(store);
    try {
      const next = await r.sfn.send(new S.ListStateMachinesCommand({ maxResults: 2, nextToken: token }));
      expect(next.stateMachines!.map((m) => m.name)).toEqual(['p3']);
      expect(next.nextToken).toBeUndefined();
    } finally {
      await r.close();
      await store.close();
    }
  }, 60_000);
});
