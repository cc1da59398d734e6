/**
 * Answers stepped where they are taken (activity-poller.ts, task-callbacks.ts, TransitionRunner.stepAnswer):
 * GetActivityTask commits ActivityStarted with the take, SendTaskSuccess the answer with the transition it leads to,
 * in the transaction that uses the token, with no transition job between them; answers arriving together for one execution (Parallel branches) each count once, those that find its row
 * busy taking the ordinary path (a signal and a job); a used token stays used.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import type { Job, WorkQueue } from '@baton/engine';
import { Harness, assertWellFormedHistory } from './support/harness.js';

const jobs = { transition: 0, task: 0, mapRun: 0 } as Record<Job['kind'], number>;
const counted = (q: WorkQueue): WorkQueue => ({
  async enqueue(job, options) {
    jobs[job.kind]++;
    await q.enqueue(job, options);
  },
  process: (handler, options) => q.process(handler, options),
  close: () => q.close(),
});

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'answers', workers: 1, timers: 1, wrapQueue: counted });
});
afterAll(async () => {
  await h?.stop();
});

async function until<T>(what: string, f: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await f();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const started = (arn: string, n = 1) => until('ActivityStarted', async () => ((await h.types(arn)).filter((t) => t === 'ActivityStarted').length >= n ? true : undefined));

it('GetActivityTask and SendTaskSuccess commit the transitions they lead to: the execution has advanced when they return, and no job was enqueued', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'inline' });
  const sm = await h.createStateMachine('inline', {
    StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, Next: 'P' }, P: { Type: 'Pass', End: true } },
  });
  // The first answer for a revision in a process takes the ordinary path while the process loads its program.
  const warm = await h.start(sm, { x: 0 });
  const w = await until('a task', async () => (await h.api.getActivityTask({ activityArn, workerName: 'w' })).taskToken);
  await h.api.sendTaskSuccess({ taskToken: w, output: '{}' });
  await h.finished(warm);
  const arn = await h.start(sm, { x: 1 });
  await until('ActivityScheduled', async () => ((await h.types(arn)).includes('ActivityScheduled') ? true : undefined));
  const before = { ...jobs };
  const t = (await h.api.getActivityTask({ activityArn, workerName: 'w' })).taskToken!;
  // The task's start is in the history when GetActivityTask returns: committed with the take.
  expect((await h.types(arn)).slice(-1)).toEqual(['ActivityStarted']);
  await h.api.sendTaskSuccess({ taskToken: t, output: '{"done":true}' });
  expect(await h.api.describeExecution({ executionArn: arn })).toMatchObject({ status: 'SUCCEEDED', output: '{"done":true}' });
  expect(jobs).toEqual(before);
  expect(await h.types(arn)).toEqual([
    'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited',
    'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
  ]);
  expect(assertWellFormedHistory(await h.history(arn))).toEqual([]);
  const again = await h.api.sendTaskSuccess({ taskToken: t, output: '{}' }).catch((e: unknown) => e);
  expect(again instanceof ApiError && again.code).toBe('TaskDoesNotExist');
});

it('answers arriving together for one execution each count once; failures and heartbeats too', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'branches' });
  const n = 6;
  const sm = await h.createStateMachine('branches', {
    StartAt: 'Par', States: {
      Par: {
        Type: 'Parallel', End: true,
        Branches: Array.from({ length: n }, (_, i) => ({
          StartAt: `A${i}`, States: { [`A${i}`]: { Type: 'Task', Resource: activityArn, Parameters: { b: i }, HeartbeatSeconds: 60, Catch: [{ ErrorEquals: ['States.ALL'], Next: `F${i}` }], End: true }, [`F${i}`]: { Type: 'Pass', Result: 'caught', End: true } },
        })),
      },
    },
  });
  const arn = await h.start(sm, {});
  // The branches' tasks are scheduled by one step, in one transaction: they share a created_at, so the order they
  // are handed out in is not branch order. Each token goes to its branch's place, from the task's input.
  const tokens: string[] = [];
  for (let got = 0; got < n;) {
    const t = await h.api.getActivityTask({ activityArn, workerName: `w${got}` });
    if (!t.taskToken) continue;
    tokens[(JSON.parse(t.input!) as { b: number }).b] = t.taskToken;
    got++;
  }
  expect(Object.keys(tokens)).toHaveLength(n);
  await started(arn, n);
  await Promise.all(tokens.map((taskToken) => h.api.sendTaskHeartbeat({ taskToken })));
  const answers = await Promise.allSettled(tokens.flatMap((taskToken, i) => [
    i % 2 === 0 ? h.api.sendTaskSuccess({ taskToken, output: String(i) }) : h.api.sendTaskFailure({ taskToken, error: 'E', cause: String(i) }),
    h.api.sendTaskSuccess({ taskToken, output: '"twice"' }),
  ]));
  // Of the two answers to each token exactly one was taken; the other found it used.
  for (let i = 0; i < n; i++) {
    const pair = answers.slice(2 * i, 2 * i + 2);
    expect(pair.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = pair.find((a): a is PromiseRejectedResult => a.status === 'rejected')!;
    expect(refused.reason instanceof ApiError && refused.reason.code).toBe('TaskDoesNotExist');
  }
  const d = await h.finished(arn);
  expect(d.status).toBe('SUCCEEDED');
  const out = JSON.parse(d.output!) as unknown[];
  expect(out).toHaveLength(n);
  out.forEach((o, i) => {
    expect(o).toEqual(answers[2 * i]!.status === 'fulfilled' ? (i % 2 === 0 ? i : 'caught') : 'twice');
  });
  const events = await h.history(arn);
  expect(assertWellFormedHistory(events)).toEqual([]);
  const ended = events.filter((e) => e.type === 'ActivitySucceeded' || e.type === 'ActivityFailed');
  expect(ended).toHaveLength(n);
}, 60_000);

it('more pollers than pool connections, on a revision no poller has seen: every task is taken and answered once', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'crowd' });
  const sm = await h.createStateMachine('crowd', { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } });
  const n = 30; // the test store's pool has 10 connections
  const arns = await Promise.all(Array.from({ length: n }, (_, i) => h.start(sm, { i })));
  await Promise.all(arns.map((arn) => until('ActivityScheduled', async () => ((await h.types(arn)).includes('ActivityScheduled') ? true : undefined))));
  const got = await Promise.all(Array.from({ length: n }, () => until('a task', async () => (await h.api.getActivityTask({ activityArn })).taskToken)));
  await Promise.all(got.map((taskToken, i) => h.api.sendTaskSuccess({ taskToken, output: String(i) })));
  for (const arn of arns) {
    expect((await h.finished(arn)).status).toBe('SUCCEEDED');
    expect(assertWellFormedHistory(await h.history(arn))).toEqual([]);
  }
}, 60_000);

it('GetActivityTask on an activity that does not exist is ActivityDoesNotExist, and takes nothing', async () => {
  const { activityArn } = await h.api.createActivity({ name: 'deleted' });
  const sm = await h.createStateMachine('deleted', { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } });
  const arn = await h.start(sm, {});
  await until('ActivityScheduled', async () => ((await h.types(arn)).includes('ActivityScheduled') ? true : undefined));
  await h.api.deleteActivity({ activityArn });
  for (const a of [activityArn, activityArn.replace(/:deleted$/, ':never-created')]) {
    const e = await h.api.getActivityTask({ activityArn: a }).catch((x: unknown) => x);
    expect(e instanceof ApiError && [e.code, e.message]).toEqual(['ActivityDoesNotExist', `Activity Does Not Exist: '${a}'`]);
  }
  const { rows } = await h.store.pool.query('SELECT count(*)::int AS n FROM activity_tasks WHERE activity_arn = $1', [activityArn]);
  expect(rows[0].n).toBe(1);
});
