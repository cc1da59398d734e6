/**
 * The store's transactions over pg's pipeline mode (packages/store/src/pipelined-transaction.ts), on real Postgres:
 * statements issued without awaiting each other run in issue order inside one transaction and commit together; a
 * statement that fails takes the whole transaction with it (and the caller sees that statement's own error, not
 * the 25P02 of those behind it); a transaction whose failing statement nobody awaited is reported as rolled back,
 * never as committed; the connection is reused afterwards. And a step committed in one statement (commitStep) writes
 * nothing unless its compare-and-set holds (a claim is not released, a signal not consumed, without it), and is
 * planned once per connection rather than at every step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Engine } from '@baton/engine';
import { InProcessQueue } from '@baton/queue';
import { AbortedTransaction, PgStore } from '@baton/store';
import { createTestDatabase, migratedStore, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let store: PgStore;

beforeAll(async () => {
  db = await createTestDatabase('pipelined');
  // One connection: every transaction below reuses the connection the one before it left.
  store = await migratedStore(db, 1);
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const activity = (name: string) => ({ arn: `arn:aws:states:us-east-1:123456789012:activity:${name}`, name, createdAt: new Date() });

async function names(): Promise<string[]> {
  return (await store.activities.list({ offset: 0, limit: 100 })).map((a) => a.name).sort();
}

/** A one-Pass machine `name` on `s` and an execution of it, started (its `start` signal pending): the execution's row. */
async function startedExecution(s: PgStore, name: string) {
  const engine = new Engine({ store: s, queue: new InProcessQueue() });
  const { stateMachineArn } = await engine.createStateMachine({
    name, roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
  return (await s.executions.getByArn(executionArn))!;
}

it('statements issued together run in order in one transaction and commit together', async () => {
  const seen = await store.transaction(async (tx) => {
    const inserts = ['a1', 'a2', 'a3'].map((n) => tx.activities.insert(activity(n)));
    // Issued behind the inserts, before any of them is answered: it sees them (same transaction, issue order).
    const listed = tx.activities.list({ offset: 0, limit: 100 });
    expect(await Promise.all(inserts)).toEqual([true, true, true]);
    return (await listed).map((a) => a.name).sort();
  });
  expect(seen).toEqual(['a1', 'a2', 'a3']);
  expect(await names()).toEqual(['a1', 'a2', 'a3']);
});

it('a failing statement rolls back the statements before and behind it, and its own error is the one seen', async () => {
  const failed = store.transaction(async (tx) => {
    const all = [
      tx.activities.insert(activity('b1')),
      tx.notify('', 'an empty channel name is refused by the server'),
      tx.activities.insert(activity('b2')),
    ];
    for (const p of all) p.catch(() => {});
    await Promise.all(all);
  });
  const e = await failed.then(() => undefined, (x: unknown) => x as { code?: string; message: string });
  expect(e?.code).toBe('22023'); // invalid_parameter_value: pg_notify's, not 25P02 (in failed transaction)
  expect(await names()).toEqual(['a1', 'a2', 'a3']);
});

it('an error thrown after statements were issued rolls them back', async () => {
  await expect(store.transaction(async (tx) => {
    await Promise.all([tx.activities.insert(activity('c1')), tx.activities.insert(activity('c2'))]);
    throw new Error('changed my mind');
  })).rejects.toThrow('changed my mind');
  expect(await names()).toEqual(['a1', 'a2', 'a3']);
});

it('a transaction whose failed statement nobody awaited is reported as rolled back, not committed', async () => {
  await expect(store.transaction(async (tx) => {
    await tx.activities.insert(activity('d1'));
    const unawaited = tx.notify('', 'refused');
    unawaited.catch(() => {});
    await tx.activities.insert(activity('d2')).catch(() => false); // fails behind it (25P02)
  })).rejects.toBeInstanceOf(AbortedTransaction);
  expect(await names()).toEqual(['a1', 'a2', 'a3']);
  // The one connection is still good.
  await store.transaction(async (tx) => {
    await tx.activities.insert(activity('e1'));
  });
  expect(await names()).toEqual(['a1', 'a2', 'a3', 'e1']);
});

it('transactions waiting for the one connection each get it in turn', async () => {
  await Promise.all(Array.from({ length: 8 }, (_, i) => store.transaction(async (tx) => {
    await Promise.all([tx.activities.insert(activity(`f${i}a`)), tx.activities.insert(activity(`f${i}b`))]);
  })));
  expect((await names()).filter((n) => n.startsWith('f'))).toHaveLength(16);
});

describe('a step committed in one statement (ExecutionRepo.commitStep)', () => {
  const task = (taskId: string) => ({
    kind: 'scheduleTask' as const, taskId, runId: 'r', stateName: 'T', resource: 'arn:aws:states:::lambda:invoke', family: 'lambda' as const,
    pattern: 'request-response' as const, parameters: {}, attempt: 0,
  });
  const event = (id: number) => ({ id, previousEventId: id - 1, timestamp: Date.now(), type: 'PassStateEntered', stateEnteredEventDetails: { name: `S${id}` } });
  const count = async (sql: string, id: string) => Number((await store.pool.query<{ n: string }>(sql, [id])).rows[0]!.n);

  it('writes nothing unless the compare-and-set holds: the claim stays held, the signal pending', async () => {
    const exec = await startedExecution(store, 'commit-step');
    const [start] = await store.signals.pending(exec.id);
    const patch = { doc: exec.doc, status: 'RUNNING' as const };
    const base = { id: exec.id, patch, tasks: [], continueSignal: false, finish: false };
    const lease = { owner: 'w1', leaseUntil: new Date(Date.now() + 60_000) };

    // The version moved: nothing consumed, no event.
    expect(await store.executions.commitStep({ ...base, expectedVersion: exec.version + 1, guard: { consume: [start!.id] }, events: [event(1)] }))
      .toEqual({ outcome: 'conflict' });
    expect(await store.signals.pending(exec.id)).toHaveLength(1);
    // It holds: the signal is consumed, the event appended, a claimed task and the continue signal inserted, together.
    const done = await store.executions.commitStep({
      ...base, expectedVersion: exec.version, guard: { consume: [start!.id] }, events: [event(1)], tasks: [{ request: task('t1'), claimedBy: lease }], continueSignal: true,
    });
    expect(done.outcome).toBe('done');
    const pending = await store.signals.pending(exec.id);
    expect(pending.map((p) => p.id)).toEqual([done.continueSignalId]);
    expect(await count('SELECT count(*) AS n FROM history_events WHERE execution_id = $1', exec.id)).toBe(1);
    expect((await store.pool.query('SELECT status, lease_owner, claims FROM tasks WHERE execution_id = $1', [exec.id])).rows)
      .toEqual([{ status: 'running', lease_owner: 'w1', claims: 1 }]);

    // Releasing the claim while a signal is pending (the continue): conflict, and the claim is still held.
    const v1 = exec.version + 1;
    expect(await store.executions.commitStep({ ...base, expectedVersion: v1, guard: { release: { taskId: 't1', owner: 'w1' } }, events: [event(2)] }))
      .toEqual({ outcome: 'conflict' });
    // Another owner's release: claimLost.
    expect(await store.executions.commitStep({ ...base, expectedVersion: v1, guard: { release: { taskId: 't1', owner: 'w2' } }, events: [event(2)] }))
      .toEqual({ outcome: 'claimLost' });
    // The right owner, a stale version: the claim is found (and locked) but released only with the compare-and-set,
    // which fails: it is still held, nothing else written.
    await store.signals.consume([done.continueSignalId!]);
    expect(await store.executions.commitStep({ ...base, expectedVersion: v1 - 1, guard: { release: { taskId: 't1', owner: 'w1' } }, events: [event(2)] }))
      .toEqual({ outcome: 'conflict' });
    expect(await count('SELECT count(*) AS n FROM tasks WHERE execution_id = $1', exec.id)).toBe(1);
    expect(await count('SELECT count(*) AS n FROM history_events WHERE execution_id = $1', exec.id)).toBe(1);
    // And with everything right: released, advanced, ended (finish clears what is left).
    await store.timers.upsert({ executionId: exec.id, timerId: 'w', fireAt: new Date(Date.now() + 60_000), purpose: 'wait', taskId: null });
    expect(await store.executions.commitStep({
      ...base, patch: { doc: exec.doc, status: 'SUCCEEDED', output: '{}', error: null, cause: null, stopDate: new Date() },
      expectedVersion: v1, guard: { release: { taskId: 't1', owner: 'w1' } }, events: [event(2)], finish: true,
    })).toEqual({ outcome: 'done', othersPending: false });
    expect(await count('SELECT count(*) AS n FROM tasks WHERE execution_id = $1', exec.id)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM timers WHERE execution_id = $1', exec.id)).toBe(0);
    expect(await count('SELECT count(*) AS n FROM history_events WHERE execution_id = $1', exec.id)).toBe(2);
    expect((await store.executions.get(exec.id))).toMatchObject({ status: 'SUCCEEDED', output: '{}', version: v1 + 1 });
  });
  it('records the step that carries the continue as its attempt, and tells whether other signals were pending', async () => {
    const exec = await startedExecution(store, 'commit-carry');
    const [start] = await store.signals.pending(exec.id);
    const base = { id: exec.id, patch: { doc: exec.doc, status: 'RUNNING' as const }, tasks: [], finish: false, events: [] };
    const attempts = async () => (await store.pool.query('SELECT step_attempts, step_owner FROM executions WHERE id = $1', [exec.id])).rows[0];

    // Nothing else pending: the continue is written, the carrying owner's attempt recorded.
    const first = await store.executions.commitStep({
      ...base, expectedVersion: exec.version, guard: { consume: [start!.id] }, continueSignal: true, continuedBy: 'w1/a',
    });
    expect(first).toMatchObject({ outcome: 'done', othersPending: false });
    expect(await attempts()).toEqual({ step_attempts: 1, step_owner: 'w1/a' });
    // A signal arrives before the carried step commits: the commit says so, and without a carrier the count starts over.
    await store.signals.insert(exec.id, { kind: 'taskHeartbeat', taskId: 't' });
    const second = await store.executions.commitStep({
      ...base, expectedVersion: exec.version + 1, guard: { consume: [first.continueSignalId!] }, continueSignal: true,
    });
    expect(second).toMatchObject({ outcome: 'done', othersPending: true });
    expect(await attempts()).toEqual({ step_attempts: 0, step_owner: null });
    // The owner is recorded only with a continue to carry.
    const third = await store.executions.commitStep({
      ...base, expectedVersion: exec.version + 2, guard: { consume: (await store.signals.pending(exec.id)).map((p) => p.id) }, continueSignal: false, continuedBy: 'w1/a',
    });
    expect(third).toMatchObject({ outcome: 'done', othersPending: false });
    expect(third.continueSignalId).toBeUndefined();
    expect(await attempts()).toEqual({ step_attempts: 0, step_owner: null });
  });
});

describe('the statements every step runs are prepared on the server (packages/store/src/prepared.ts)', () => {
  const prepared = async (s: PgStore) => (await s.pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).rows.map((r) => r.name);

  const started = async (s: PgStore, name: string): Promise<string> => (await startedExecution(s, name)).id;
  /** The started execution as a step loads it (its `start` signal pending). */
  const loaded = async (s: PgStore, id: string) =>
    (await s.executions.loadForStep(id, 'w1')) as Exclude<Awaited<ReturnType<PgStore['executions']['loadForStep']>>, 'leftovers' | undefined>;

  it('names the load and the commit of a step, and keeps the load working when a migration adds a column', async () => {
    const id = await started(store, 'prepared-load');
    const first = await store.executions.loadForStep(id, 'w1');
    expect(first).toMatchObject({ id, status: 'RUNNING', stepAttempts: 1 });
    // The one connection holds both by name (the commit was prepared by the test above).
    expect(await prepared(store)).toEqual(expect.arrayContaining(['baton_commit_step', 'baton_load_for_step']));
    // A migration adds a column while the statement is prepared: its result type is unchanged (it names its columns),
    // so the cached statement still runs; with `executions.*` Postgres would refuse it ("cached plan must not change
    // result type").
    await store.pool.query('ALTER TABLE executions ADD COLUMN probe_column integer');
    try {
      const again = await store.executions.loadForStep(id, 'w1');
      expect(again).toMatchObject({ id, status: 'RUNNING', stepAttempts: 1, doc: (first as { doc: unknown }).doc });
    } finally {
      await store.pool.query('ALTER TABLE executions DROP COLUMN probe_column');
    }
  });

  it('plans a step\'s commit once per connection, not at every step (a generic plan after the first few calls)', async () => {
    // Another execution holds many tasks, timers, activity tasks and tokens (a wide fan-out), and the tables are
    // analysed: the cleanup an ending step does (its execution's rows in those tables) now looks costly in a plan
    // made without the parameters' values.
    const crowd = await started(store, 'crowd');
    for (const sql of [
      `INSERT INTO tasks (execution_id, task_id, status, request) SELECT $1, 't' || i, 'scheduled', '{}' FROM generate_series(1, 2000) i`,
      `INSERT INTO timers (execution_id, timer_id, fire_at, purpose) SELECT $1, 'w' || i, now() + interval '1 day', 'wait' FROM generate_series(1, 2000) i`,
      `INSERT INTO activity_tasks (execution_id, task_id, activity_arn, input) SELECT $1, 'a' || i, 'arn', '{}' FROM generate_series(1, 2000) i`,
      `INSERT INTO task_tokens (token_hash, execution_id, task_id) SELECT 'h' || i, $1, 'a' || i FROM generate_series(1, 2000) i`,
    ]) await store.pool.query(sql, [crowd]);
    await store.pool.query('ANALYZE tasks, timers, activity_tasks, task_tokens');
    // A fresh connection: its plan counts start from zero.
    const own = new PgStore({ connectionString: db.url, maxConnections: 1 });
    try {
      const id = await started(own, 'planned-once');
      const load = await loaded(own, id);
      let version = load.version;
      let consume = load.pending.map((p) => p.id);
      // Twelve steps as a chain of local states commits them: consume the signal, write the next `continue`.
      for (let i = 0; i < 12; i++) {
        const r = await own.executions.commitStep({
          id, patch: { doc: load.doc, status: 'RUNNING' }, expectedVersion: version, guard: { consume },
          events: [{ id: i + 1, previousEventId: i, timestamp: Date.now(), type: 'PassStateEntered', stateEnteredEventDetails: { name: `S${i}` } }],
          tasks: [], continueSignal: true, finish: false,
        });
        expect(r.outcome).toBe('done');
        version++;
        consume = [(r as { continueSignalId: string }).continueSignalId];
      }
      const plans = await own.pool.query<{ generic: string; custom: string }>(
        `SELECT generic_plans AS generic, custom_plans AS custom FROM pg_prepared_statements WHERE name = 'baton_commit_step'`);
      // Postgres tries a custom plan for the first five calls, then keeps the cached generic one if it is not dearer.
      expect(plans.rows).toEqual([{ generic: '7', custom: '5' }]);
    } finally {
      await own.close();
    }
  });

  it('names the statements of an activity task\'s round: the take, the token, the answer\'s step, the next task', async () => {
    const own = new PgStore({ connectionString: db.url, maxConnections: 1 });
    try {
      const id = await started(own, 'activity-round');
      const arn = 'arn:aws:states:us-east-1:123456789012:activity:round';
      await own.activities.insert({ arn, name: 'round', createdAt: new Date(), encryptionConfiguration: null });
      await own.activities.insertTask({ executionId: id, taskId: 't1', activityArn: arn, input: '{}' });
      await own.tokens.insert('hash-1', id, 't1');
      expect(await own.activities.takeTask(arn, Date.now(), true)).toMatchObject({ executionId: id, taskId: 't1', more: false });
      expect(await own.tasks.get(id, 'nothing')).toBeUndefined();
      await own.transaction(async (tx) => {
        expect(await tx.tokens.lock('hash-1', Date.now())).toEqual({ executionId: id, taskId: 't1', status: 'open', late: false });
        await tx.tokens.setStatus('hash-1', 'completed');
        const exec = (await tx.executions.lockForStep(id))!;
        expect(exec.pending).toHaveLength(1);
        expect(await tx.executions.update(id, exec.version, { doc: exec.doc, status: 'RUNNING' })).toBe(true);
        await tx.history.append(id, [{ id: 1, previousEventId: 0, timestamp: Date.now(), type: 'PassStateEntered', stateEnteredEventDetails: { name: 'P' } }]);
        expect(await tx.tokens.completeOpen(id, 't1')).toBe(0);
        await tx.tokens.close(id, 't1', 'timedOut');
        await tx.notify('baton_probe', 'x');
      });
      const names = await prepared(own);
      expect(names).toEqual(expect.arrayContaining([
        'baton_take_activity_task', 'baton_insert_activity_task', 'baton_insert_token', 'baton_get_task', 'baton_lock_token', 'baton_set_token_status',
        'baton_lock_for_step', 'baton_pending_signals', 'baton_update_step', 'baton_append_history', 'baton_complete_tokens', 'baton_close_task_tokens',
        'baton_notify',
      ]));
    } finally {
      await own.close();
    }
  });

  it('reads a batch of starts\' machines in one named statement, whatever their number', async () => {
    const own = new PgStore({ connectionString: db.url, maxConnections: 1 });
    try {
      const now = new Date();
      const machine = (name: string) => ({
        arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`, name, type: 'STANDARD' as const, status: 'ACTIVE',
        definition: `{"StartAt":"${name}","States":{"${name}":{"Type":"Succeed"}}}`, roleArn: 'arn:aws:iam::123456789012:role/r', revision: 1,
        revisionId: null, loggingConfiguration: null, tracingConfiguration: null, encryptionConfiguration: null, createdAt: now, updatedAt: now,
        nextVersion: 1, createdWithPublish: false, createdVersionDescription: null,
      });
      const [a, b] = [machine('batch-a'), machine('batch-b')];
      for (const m of [a, b]) expect(await own.stateMachines.insert(m)).toBe(true);
      const two = await own.stateMachines.getMany([b.arn, `${a.arn}-missing`, a.arn]);
      expect(two.map((m) => [m.arn, m.definition]).sort()).toEqual([[a.arn, a.definition], [b.arn, b.definition]]);
      expect(await own.stateMachines.getMany([a.arn])).toEqual([expect.objectContaining({ arn: a.arn, name: 'batch-a', revision: 1 })]);
      expect((await prepared(own)).filter((n) => n === 'baton_state_machines_by_arn')).toHaveLength(1);
    } finally {
      await own.close();
    }
  });

  it('appends a history of any length in statements of one text (the events as arrays)', async () => {
    const id = await started(store, 'long-history');
    const t0 = Date.parse('2026-12-06T10:00:00.000Z');
    const events = Array.from({ length: 2_345 }, (_, i) => ({
      id: i + 1, previousEventId: i, timestamp: t0 + i, type: i % 2 ? 'PassStateExited' : 'PassStateEntered', stateEnteredEventDetails: { name: `S${i}`, input: `{"i":${i}}` },
    }));
    await store.history.append(id, events);
    const back = await store.history.range(id, 1, 3_000);
    expect(back).toEqual(events);
  });

  it('prepares nothing when turned off (a pooler that cannot keep named statements)', async () => {
    const off = new PgStore({ connectionString: db.url, maxConnections: 1, preparedStatements: false });
    try {
      const id = await started(off, 'unprepared');
      const exec = await loaded(off, id);
      const [start] = exec.pending;
      const done = await off.executions.commitStep({
        id, patch: { doc: exec.doc, status: 'RUNNING' }, expectedVersion: exec.version, guard: { consume: [start!.id] },
        events: [], tasks: [], continueSignal: false, finish: false,
      });
      expect(done.outcome).toBe('done');
      expect(await prepared(off)).toEqual([]);
    } finally {
      await off.close();
    }
  });
});

describe('lockForStep: the signals it returns are those pending once it holds the row', () => {
  // A step that commits just before lockForStep takes the row: Postgres hands over the row as that commit left it,
  // while a subquery of the same statement reads the signals as they were when the statement began, the consumed
  // ones still pending. The answer stepped there would apply them a second time (caught by the consume count, which
  // failed SendTaskSuccess with "pending signals changed under its row lock"). Two connections race for a while; each
  // row lockForStep returns must come with exactly the signals its transaction can consume.
  it('never returns a signal that a step committed before it took the row had consumed', async () => {
    const racing = new PgStore({ connectionString: db.url, maxConnections: 2 });
    const stepper = new pg.Client({ connectionString: db.url });
    await stepper.connect();
    try {
      const id = (await startedExecution(racing, 'lock-race')).id;
      const heartbeat = { kind: 'taskHeartbeat', taskId: 't' } as const;
      for (let i = 0; i < 3; i++) await racing.signals.insert(id, heartbeat);
      const until = Date.now() + 4_000;
      let stepped = 0;
      // Another process's steps: lock the row, consume the oldest pending signal, add one, advance the version.
      const steps = (async () => {
        while (Date.now() < until) {
          await stepper.query('BEGIN');
          await stepper.query('SELECT id FROM executions WHERE id = $1 FOR NO KEY UPDATE', [id]);
          await stepper.query(`UPDATE signals SET consumed_at = now() WHERE id = (
            SELECT min(id) FROM signals WHERE execution_id = $1 AND consumed_at IS NULL)`, [id]);
          await stepper.query('INSERT INTO signals (execution_id, body) VALUES ($1, $2)', [id, JSON.stringify(heartbeat)]);
          await stepper.query('UPDATE executions SET version = version + 1 WHERE id = $1', [id]);
          await stepper.query('COMMIT');
          stepped++;
        }
      })();
      let locked = 0;
      const stale: string[] = [];
      const rollBack = new Error('roll back');
      while (Date.now() < until) {
        await racing.transaction(async (tx) => {
          const exec = await tx.executions.lockForStep(id);
          if (!exec) return;
          locked++;
          const ids = exec.pending.map((p) => p.id);
          const consumed = await tx.signals.consume(ids);
          if (consumed !== ids.length) stale.push(`version ${exec.version}: ${ids.length} pending, ${consumed} consumable`);
          throw rollBack;
        }).catch((e: unknown) => {
          if (e !== rollBack) throw e;
        });
      }
      await steps;
      expect(stepped).toBeGreaterThan(50);
      expect(locked).toBeGreaterThan(50);
      expect(stale).toEqual([]);
    } finally {
      await stepper.end();
      await racing.close();
    }
  }, 20_000);
});
