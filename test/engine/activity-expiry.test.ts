/**
 * GetActivityTask does not hand out a task past its TimeoutSeconds (activity_tasks.expires_at): that task is timed
 * out (its timer fires, late under load, or its step is on the way), and a worker given it could only be answered
 * TaskTimedOut while live tasks wait behind it. No timer service runs at first, so the expired task stays queued
 * (as behind a late timer); the live tasks queued after it are handed out, and once timers run it times out. The
 * activity backlog metric does not count it either.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ClusterStats } from '@baton/store';
import { Harness, assertWellFormedHistory } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'actexpiry', workers: 1, timers: 0, engine: { activityPollMs: 300 } });
});
afterAll(async () => {
  await h?.stop();
});

async function scheduled(arn: string): Promise<void> {
  await expect.poll(async () => (await h.types(arn)).includes('ActivityScheduled'), { timeout: 10_000, interval: 25 }).toBe(true);
}

it('hands out the live tasks queued behind one past its TimeoutSeconds, never that one, which times out when its timer fires', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'expiry' });
  const machine = (name: string, timeout: object) => h.createStateMachine(name, {
    StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, ...timeout, End: true } },
  });
  const expired = await h.start(await machine('short', { TimeoutSeconds: 1 }), { which: 'expired' });
  await scheduled(expired);
  await new Promise((r) => setTimeout(r, 1_200)); // past its TimeoutSeconds, with no timer service to fire it
  // One after the other: the worker steps two executions at once, and "oldest first" means the order in which their
  // tasks were scheduled, not the order of the starts.
  const live: string[] = [];
  for (const [name, timeout, which] of [['long', { TimeoutSeconds: 300 }, 'timeout 300'], ['none', {}, 'no timeout']] as const) {
    const arn = await h.start(await machine(name, timeout), { which });
    await scheduled(arn);
    live.push(arn);
  }
  // The activity backlog (baton_queue_backlog{kind="activity"}) counts what a poller can take: not the expired task.
  expect((await new ClusterStats(h.store.kysely).counts(60)).activityTasks).toBe(2);

  const handed: string[] = [];
  for (;;) {
    const t = await h.api.getActivityTask({ activityArn, workerName: 'w' });
    if (!t.taskToken) break;
    handed.push(JSON.parse(t.input!).which);
    await h.api.sendTaskSuccess({ taskToken: t.taskToken, output: '{"ok":true}' });
  }
  // Oldest first, as always, but not the expired one.
  expect(handed).toEqual(['timeout 300', 'no timeout']);
  for (const arn of live) expect((await h.finished(arn)).status).toBe('SUCCEEDED');
  expect((await h.api.describeExecution({ executionArn: expired })).status).toBe('RUNNING');

  const timer = h.api.newTimerService({ maxSleepMs: 200 });
  await timer.start();
  try {
    expect(await h.finished(expired)).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  } finally {
    await timer.stop();
  }
  const types = await h.types(expired);
  expect(types).toContain('ActivityTimedOut');
  expect(types).not.toContain('ActivityStarted');
  expect(assertWellFormedHistory(await h.history(expired))).toEqual([]);
}, 60_000);
