/**
 * Redis only carries work: wiping it in the middle of 100+ running executions (parked in Waits, holding
 * activity tasks, and mid-transition) loses nothing; the reconciler refills the queue from Postgres.
 * The wipe is FLUSHDB on a Redis database of this test's own (DB 7): for Baton it is FLUSHALL (every key of its
 * queue is gone), without destroying the queues of test files running in parallel.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { fn, TestInvoker } from './support/test-invoker.js';
import { REDIS_URL } from '../support/database.js';

const redisUrl = `${REDIS_URL.replace(/\/\d*$/, '')}/7`;
let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'flush', invoker: new TestInvoker(), workers: 2, timers: 1, redisUrl, concurrency: 16 });
});
afterAll(async () => {
  await h?.stop();
});

it('every execution finishes correctly after the queue is wiped', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'flush-activity' });
  const waits = await h.createStateMachine('waits', {
    StartAt: 'W', States: {
      W: { Type: 'Wait', Seconds: 5, Next: 'T' },
      T: { Type: 'Task', Resource: fn('echo'), ResultPath: '$.echo', Next: 'W2' },
      W2: { Type: 'Wait', Seconds: 1, End: true },
    },
  });
  const acts = await h.createStateMachine('activities', {
    StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, ResultPath: '$.answer', End: true } },
  });
  const arns: { arn: string; i: number; kind: 'wait' | 'activity' }[] = [];
  for (let i = 0; i < 70; i++) arns.push({ arn: await h.start(waits, { i }), i, kind: 'wait' });
  for (let i = 0; i < 40; i++) arns.push({ arn: await h.start(acts, { i }), i, kind: 'activity' });

  // Parked: timers and activity tasks are in Postgres, jobs are in Redis. (Not all 70 Waits at once: on a loaded
  // machine the first ones may have woken before the last one started.)
  await h.waitFor('executions parked', async () => {
    const { rows } = await h.store.pool.query(`SELECT (SELECT count(*) FROM timers)::int AS t, (SELECT count(*) FROM activity_tasks)::int AS a`);
    return rows[0].t >= 30 && rows[0].a >= 35 ? true : undefined;
  }, 60_000);
  // Some more start right now, so that some are mid-transition when Redis is wiped.
  for (let i = 70; i < 80; i++) arns.push({ arn: await h.start(waits, { i }), i, kind: 'wait' });
  const redis = new Redis(redisUrl);
  const before = await redis.dbsize();
  await redis.flushdb();
  expect(await redis.dbsize()).toBeLessThan(before);
  await redis.quit();

  // Answer the activities (each handed out once).
  let answered = 0;
  const done = new AbortController();
  const poll = async () => {
    while (!done.signal.aborted) {
      const t = await h.api.getActivityTask({ activityArn, workerName: 'flush' }, done.signal);
      if (!t.taskToken) continue;
      answered++;
      if (answered >= 40) done.abort();
      await h.api.sendTaskSuccess({ taskToken: t.taskToken, output: t.input! });
    }
  };
  await Promise.all([poll(), poll()]);
  expect(answered).toBe(40);

  for (const { arn, i, kind } of arns) {
    const d = await h.finished(arn, 60_000);
    expect(d.status, arn).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual(kind === 'wait' ? { i, echo: { i } } : { i, answer: { i } });
    const events = await h.history(arn);
    expect(assertWellFormedHistory(events)).toEqual([]);
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
  }
}, 240_000);
