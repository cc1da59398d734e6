/**
 * An answer (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat) that comes after its task's time is up is
 * TaskTimedOut, also while the step that times the task out has not committed: its TimeoutSeconds or heartbeat
 * timer due and not fired yet (timers late under load), or fired and its signal not stepped yet. Accepted, it
 * would have been dropped by that step (the chaos run saw about 6% of the answers go that way) or, with the timer
 * late, have beaten a timeout already past. A heartbeat waiting to be stepped re-arms its timer: the task lives on.
 * TokenRepo.lock's `late`, case by case on real Postgres, then end to end through the engine; last, the race left:
 * an answer accepted just in time whose transaction commits after a step loaded the fired timer. That step finds
 * the token used (TokenRepo.closeTimedOut), rolls back and is taken again with the answer, which wins.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import { Engine } from '@baton/engine';
import { InProcessQueue } from '@baton/queue';
import type { PgStore } from '@baton/store';
import { createTestDatabase, migratedStore, type TestDatabase } from '../support/database.js';
import { Harness } from './support/harness.js';

describe('TokenRepo.lock: late', () => {
  let db: TestDatabase;
  let store: PgStore;
  let executionId: string;
  let n = 0;
  const NOW = Date.now();

  beforeAll(async () => {
    db = await createTestDatabase('lateanswers');
    store = await migratedStore(db, 2);
    const engine = new Engine({ store, queue: new InProcessQueue() });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'late', roleArn: 'arn:aws:iam::123456789012:role/r', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, input: '{}' });
    executionId = (await store.executions.getByArn(executionArn))!.id;
  });
  afterAll(async () => {
    await store?.close();
    await db?.drop();
  });

  /** A new task with an open token; `setup` writes its timers and signals. The token's `late` at NOW. */
  async function late(setup: (taskId: string) => Promise<void>): Promise<boolean> {
    const taskId = `k${++n}`;
    await store.tokens.insert(`hash-${taskId}`, executionId, taskId);
    await setup(taskId);
    return (await store.tokens.lock(`hash-${taskId}`, NOW))!.late;
  }
  const timer = (taskId: string, purpose: 'taskTimeout' | 'heartbeat' | 'poll', fireAt: number) =>
    store.timers.upsert({ executionId, timerId: `${purpose[0]}-${taskId}`, fireAt: new Date(fireAt), purpose, taskId });
  const fired = (taskId: string, purpose: 'taskTimeout' | 'heartbeat') =>
    store.signals.insert(executionId, { kind: 'timerFired', timerId: `${purpose[0]}-${taskId}`, taskId, purpose });
  const beat = (taskId: string) => store.signals.insert(executionId, { kind: 'taskHeartbeat', taskId });

  it('not late with no timer, timers still to come, or a poll timer due', async () => {
    expect(await late(async () => {})).toBe(false);
    expect(await late(async (k) => {
      await timer(k, 'taskTimeout', NOW + 1_000);
      await timer(k, 'heartbeat', NOW + 1_000);
    })).toBe(false);
    expect(await late((k) => timer(k, 'poll', NOW - 1_000))).toBe(false);
  });

  it('late when its TimeoutSeconds timer is due, or has fired and its signal waits; a consumed signal is past', async () => {
    expect(await late((k) => timer(k, 'taskTimeout', NOW))).toBe(true);
    expect(await late(async (k) => void (await fired(k, 'taskTimeout')))).toBe(true);
    // Another task's timer says nothing of this one.
    expect(await late(async () => void (await fired('someone-else', 'taskTimeout')))).toBe(false);
    expect(await late(async (k) => void (await store.signals.consume([await fired(k, 'taskTimeout')])))).toBe(false);
    // A heartbeat does not push back TimeoutSeconds.
    expect(await late(async (k) => {
      await beat(k);
      await fired(k, 'taskTimeout');
    })).toBe(true);
  });

  it('late when its heartbeat timer is due or fired, unless a heartbeat waits to be stepped before it', async () => {
    expect(await late((k) => timer(k, 'heartbeat', NOW - 1))).toBe(true);
    expect(await late(async (k) => {
      await timer(k, 'heartbeat', NOW - 1);
      await beat(k);
    })).toBe(false);
    expect(await late(async (k) => void (await fired(k, 'heartbeat')))).toBe(true);
    expect(await late(async (k) => {
      await beat(k);
      await fired(k, 'heartbeat');
    })).toBe(false);
    expect(await late(async (k) => {
      await fired(k, 'heartbeat');
      await beat(k);
    })).toBe(true);
  });

  it('a used or closed token is not late, whatever its timers', async () => {
    expect(await late(async (k) => {
      await timer(k, 'taskTimeout', NOW - 1);
      await store.tokens.setStatus(`hash-${k}`, 'completed');
    })).toBe(false);
  });
});

describe('through the engine', () => {
  let h: Harness;
  /** The worker, stopped and started by the tests. */
  let worker: { stop(): Promise<void> } | undefined;
  const startWorker = async () => {
    worker = await h.addWorker();
  };

  beforeAll(async () => {
    // No timer service: the test fires timers itself, when it wants to.
    h = await Harness.start({ label: 'lateansw', workers: 0, timers: 0, engine: { activityPollMs: 300 } });
    await startWorker();
  });
  afterAll(async () => {
    await worker?.stop();
    await h?.stop();
  });

  const code = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof ApiError ? e.code : String(e)));
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function taken(timeouts: object, name: string): Promise<{ arn: string; token: string }> {
    const { activityArn } = await h.api.createActivity({ name });
    const sm = await h.createStateMachine(name, { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, ...timeouts, End: true } } });
    const arn = await h.start(sm, {});
    await expect.poll(async () => (await h.types(arn)).includes('ActivityScheduled'), { timeout: 10_000, interval: 25 }).toBe(true);
    const t = await h.api.getActivityTask({ activityArn, workerName: 'w' });
    expect(t.taskToken).toBeDefined();
    return { arn, token: t.taskToken! };
  }

  it('TimeoutSeconds past, its timer not fired yet: the answer is TaskTimedOut, and the timer then fails the execution', async () => {
    const { arn, token } = await taken({ TimeoutSeconds: 1 }, 'due');
    await pause(1_200);
    expect(await code(h.api.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
    expect(await code(h.api.sendTaskHeartbeat({ taskToken: token }))).toBe('TaskTimedOut');
    expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await h.api.newTimerService().fireDue();
    expect(await h.finished(arn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(await code(h.api.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
  }, 30_000);

  it('its timer fired, the step not taken yet (no worker): the answer is TaskTimedOut, and the step then fails the execution', async () => {
    const { arn, token } = await taken({ TimeoutSeconds: 1 }, 'fired');
    await worker!.stop();
    worker = undefined;
    try {
      await pause(1_200);
      expect(await h.api.newTimerService().fireDue()).toBeGreaterThan(0);
      expect(await code(h.api.sendTaskFailure({ taskToken: token, error: 'E' }))).toBe('TaskTimedOut');
      expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    } finally {
      await startWorker();
    }
    expect(await h.finished(arn)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  }, 30_000);

  it('heartbeats keep the task alive; once they stop past HeartbeatSeconds, the answer is TaskTimedOut', async () => {
    // The heartbeat timer runs from the scheduling: margin for a loaded machine between it and the take.
    const { arn, token } = await taken({ HeartbeatSeconds: 3, TimeoutSeconds: 60 }, 'beats');
    for (let i = 0; i < 4; i++) {
      await pause(1_000);
      expect(await code(h.api.sendTaskHeartbeat({ taskToken: token }))).toBe('accepted');
    }
    await pause(3_300);
    expect(await code(h.api.sendTaskSuccess({ taskToken: token, output: '{}' }))).toBe('TaskTimedOut');
    await h.api.newTimerService().fireDue();
    expect((await h.finished(arn)).status).toBe('FAILED');
  }, 30_000);

  it('an answer in time is accepted as before', async () => {
    const { arn, token } = await taken({ TimeoutSeconds: 60, HeartbeatSeconds: 30 }, 'intime');
    expect(await code(h.api.sendTaskSuccess({ taskToken: token, output: '{"ok":1}' }))).toBe('accepted');
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":1}' });
  });

  it('an answer accepted while the step timing its task out commits: that step is taken again, with the answer, which wins', async () => {
    const { arn, token } = await taken({ TimeoutSeconds: 1 }, 'race');
    expect(token).toBeTruthy();
    const c = new pg.Client({ connectionString: h.db.url });
    await c.connect();
    try {
      const { rows: [t] } = await c.query<{ execution_id: string; task_id: string }>(
        `SELECT t.execution_id::text, t.task_id FROM task_tokens t JOIN executions e ON e.id = t.execution_id WHERE e.arn = $1 AND t.status = 'open'`, [arn]);
      // The answer's transaction, as answerTask writes it, accepted before the deadline and not committed yet.
      await c.query('BEGIN');
      await c.query(`UPDATE task_tokens SET status = 'completed' WHERE execution_id = $1 AND task_id = $2`, [t!.execution_id, t!.task_id]);
      await c.query('INSERT INTO signals (execution_id, body) VALUES ($1, $2)',
        [t!.execution_id, JSON.stringify({ kind: 'taskSucceeded', taskId: t!.task_id, output: { answered: 'just in time' } })]);
      await pause(1_200);
      // The timer fires; the worker's step loads it alone (the answer's signal is not committed) and times the task
      // out, closing its token: that waits for the answer's transaction.
      expect(await h.api.newTimerService().fireDue()).toBeGreaterThan(0);
      const waiting = async () => (await c.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_locks WHERE NOT granted')).rows[0]!.n;
      await expect.poll(waiting, { timeout: 10_000, interval: 25 }).not.toBe('0');
      await c.query('COMMIT');
    } finally {
      await c.end();
    }
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"answered":"just in time"}' });
    expect(await h.types(arn)).not.toContain('ActivityTimedOut');
  }, 30_000);
});
