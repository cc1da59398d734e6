/**
 * Eager task execution (packages/engine/src/eager-tasks.ts): the worker that schedules a task calls it itself and
 * commits its outcome with the next transition. The histories are identical to those of the queued path (eager
 * execution off), including inside Parallel branches and Map iterations; no task job is enqueued while the worker
 * has room; an execution stopped during an eager call drops the late outcome.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Job, WorkQueue } from '@baton/engine';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { fn, TestInvoker } from './support/test-invoker.js';
import { comparable, MIXED } from './support/definitions.js';

const counted = (counts: Record<Job['kind'], number>) => (q: WorkQueue): WorkQueue => ({
  async enqueue(job, options) {
    counts[job.kind]++;
    await q.enqueue(job, options);
  },
  process: (handler, options) => q.process(handler, options),
  close: () => q.close(),
});

const eagerJobs = { transition: 0, task: 0, mapRun: 0 } as Record<Job['kind'], number>;
const queuedJobs = { transition: 0, task: 0, mapRun: 0 } as Record<Job['kind'], number>;
const eagerInvoker = new TestInvoker();
let eager: Harness;
let queued: Harness;

const DEFINITIONS: Record<string, object> = {
  ...MIXED,
  fiveTasks: {
    StartAt: 'T0',
    States: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`T${i}`, {
      Type: 'Task', Resource: fn('echo'), Parameters: { 'i.$': '$.i', step: i }, ResultPath: `$.t${i}`, ...(i < 4 ? { Next: `T${i + 1}` } : { End: true }),
    }])),
  },
  parallelTasks: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', End: true,
        Branches: [0, 1, 2].map((b) => ({
          StartAt: `S${b}`, States: {
            [`S${b}`]: { Type: 'Task', Resource: fn('sleep'), Parameters: { ms: 30 * (3 - b), b }, Next: `E${b}` },
            [`E${b}`]: { Type: 'Task', Resource: fn('echo'), End: true },
          },
        })),
      },
    },
  },
  mapTasks: {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 0, End: true,
        ItemProcessor: {
          StartAt: 'S', States: {
            S: { Type: 'Task', Resource: fn('sleep'), Parameters: { 'ms.$': '$' }, Next: 'F' },
            F: { Type: 'Task', Resource: fn('flaky'), Parameters: { failures: 1, 'v.$': '$.ms' }, Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true },
          },
        },
      },
    },
  },
};

const RACY = new Set(['parallelTasks', 'mapTasks']);

beforeAll(async () => {
  [eager, queued] = await Promise.all([
    // Room for every call of this file at once: then no task may go through the queue.
    Harness.start({ label: 'eager', invoker: eagerInvoker, workers: 1, timers: 1, concurrency: 8, eagerTasks: 200, wrapQueue: counted(eagerJobs) }),
    Harness.start({ label: 'queued', invoker: new TestInvoker(), workers: 1, timers: 1, concurrency: 8, eagerTasks: 0, wrapQueue: counted(queuedJobs) }),
  ]);
});
afterAll(async () => {
  await eager?.stop();
  await queued?.stop();
});

it('eager and queued task execution write the same histories; eager enqueues no task job', async () => {
  const runs: { name: string; a: string; b: string }[] = [];
  for (const [name, def] of Object.entries(DEFINITIONS)) {
    const [ma, mb] = [await eager.createStateMachine(name, def), await queued.createStateMachine(name, def)];
    for (const [i, input] of [[1, 2, 3], { i: 7, items: [40, 10, 20, 0] }].entries()) {
      runs.push({ name, a: await eager.start(ma, input, `e${i}`), b: await queued.start(mb, input, `e${i}`) });
    }
  }
  for (const r of runs) {
    const [da, db] = [await eager.finished(r.a, 60_000), await queued.finished(r.b, 60_000)];
    expect(da.status, r.name).toBe(db.status);
    expect(da.output, r.name).toBe(db.output);
    const [ha, hb] = [await eager.history(r.a), await queued.history(r.b)];
    expect(assertWellFormedHistory(ha)).toEqual([]);
    // Concurrent branches and iterations interleave as their calls happen to end: compare what they did.
    if (RACY.has(r.name)) expect(ha.map((e) => e.type).sort(), r.name).toEqual(hb.map((e) => e.type).sort());
    else expect(comparable(ha), r.name).toEqual(comparable(hb));
  }
  expect(queuedJobs.task, 'the queued path enqueues task jobs').toBeGreaterThan(20);
  expect(eagerJobs.task, 'every task ran eagerly').toBe(0);
  // Nothing left behind: no claimed row, no pending signal.
  const { rows } = await eager.store.pool.query(
    `SELECT (SELECT count(*) FROM tasks)::int AS t, (SELECT count(*) FROM signals WHERE consumed_at IS NULL)::int AS s`);
  expect(rows[0]).toEqual({ t: 0, s: 0 });
}, 120_000);

it('an execution stopped during an eager call drops the late outcome', async () => {
  const sm = await eager.createStateMachine('stopped', {
    StartAt: 'S', States: { S: { Type: 'Task', Resource: fn('sleep'), Parameters: { ms: 1500 }, Next: 'After' }, After: { Type: 'Pass', End: true } },
  });
  const before = eagerInvoker.calls.length;
  const arn = await eager.start(sm, {});
  await eager.waitFor('the eager call', async () => (eagerInvoker.calls.length > before ? true : undefined));
  await eager.api.stopExecution({ executionArn: arn, error: 'Test.Stop' });
  expect((await eager.api.describeExecution({ executionArn: arn })).status).toBe('ABORTED');
  await new Promise((r) => setTimeout(r, 2_000)); // the call returns meanwhile
  const types = await eager.types(arn);
  expect(types).not.toContain('TaskSucceeded');
  expect(types).not.toContain('LambdaFunctionSucceeded');
  expect(types.at(-1)).toBe('ExecutionAborted');
  expect(assertWellFormedHistory(await eager.history(arn))).toEqual([]);
  const { rows } = await eager.store.pool.query('SELECT count(*)::int AS n FROM tasks');
  expect(rows[0].n).toBe(0);
}, 30_000);

it('an outcome whose commit fails on a database error is recorded as signals, not failed as a lost worker', async () => {
  const sm = await eager.createStateMachine('commit-fails', {
    StartAt: 'S', States: { S: { Type: 'Task', Resource: fn('echo'), Next: 'After' }, After: { Type: 'Pass', End: true } },
  });
  const executions = eager.replicas[0]!.store.executions;
  const commitStep = executions.commitStep.bind(executions);
  let refused = 0;
  executions.commitStep = async (c) => {
    if ('release' in c.guard && refused === 0) {
      refused++;
      throw Object.assign(new Error('sorry, too many clients already'), { code: '53300' });
    }
    return commitStep(c);
  };
  try {
    const arn = await eager.start(sm, { v: 1 });
    const d = await eager.finished(arn);
    expect(refused).toBe(1);
    expect(d.status).toBe('SUCCEEDED');
    const types = await eager.types(arn);
    expect(types).toContain('LambdaFunctionSucceeded');
    expect(types).not.toContain('LambdaFunctionFailed');
    expect(assertWellFormedHistory(await eager.history(arn))).toEqual([]);
  } finally {
    executions.commitStep = commitStep;
  }
}, 30_000);
