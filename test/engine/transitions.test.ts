/**
 * Every state type through the durable engine (Postgres + BullMQ, real timer service): Wait and Retry timers,
 * task timeout and heartbeat timeout, execution timeout, StopExecution, callbacks with task tokens, `.sync`
 * polling, and activities with two concurrent pollers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { fn, TestInvoker } from './support/test-invoker.js';

const invoker = new TestInvoker();
let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'transitions', invoker, workers: 1, timers: 1 });
});
afterAll(async () => {
  await h?.stop();
});

async function run(name: string, definition: object, input: unknown = {}) {
  const sm = await h.createStateMachine(name, definition);
  const arn = await h.start(sm, input);
  const d = await h.finished(arn);
  const events = await h.history(arn);
  expect(assertWellFormedHistory(events)).toEqual([]);
  return { d, events, types: events.map((e) => e.type), arn };
}

describe('state types', () => {
  it('Pass, Choice, Succeed', async () => {
    const { d, types } = await run('pass-choice', {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', Result: { n: 3 }, ResultPath: '$.r', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Variable: '$.r.n', NumericGreaterThan: 2, Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Succeed' },
        Small: { Type: 'Fail', Error: 'Small' },
      },
    }, { b: 1, a: 2 });
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('{"b":1,"a":2,"r":{"n":3}}'); // key order preserved through Postgres
    expect(types).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited',
      'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('Fail', async () => {
    const { d } = await run('fail', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'because' } } });
    expect(d).toMatchObject({ status: 'FAILED', error: 'E', cause: 'because' });
  });

  it('Wait fires from a durable timer', async () => {
    const started = Date.now();
    const { d, types } = await run('wait', {
      StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, Next: 'D' }, D: { Type: 'Pass', End: true } },
    }, { x: 1 });
    expect(d.status).toBe('SUCCEEDED');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(types).toContain('WaitStateExited');
  });

  it('Task, with Retry backoff timers', async () => {
    const { d, types } = await run('retry', {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('flaky'), Parameters: { failures: 2 }, Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, BackoffRate: 1, MaxAttempts: 3 }], End: true },
      },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ attempt: 2, failures: 2 });
    expect(types.filter((t) => t === 'LambdaFunctionFailed')).toHaveLength(2);
    expect(types.filter((t) => t === 'LambdaFunctionStarted')).toHaveLength(3);
  });

  it('Task failure caught', async () => {
    const { d } = await run('catch', {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('fail'), Parameters: { error: 'Boom', cause: 'c' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true },
        H: { Type: 'Pass', End: true },
      },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ Error: 'Boom', Cause: 'c' });
  });

  it('Parallel and Map (with MaxConcurrency) join in order', async () => {
    const { d } = await run('parallel-map', {
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel', Next: 'M',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Task', Resource: fn('sleep'), Parameters: { ms: 50, v: 'a' }, End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
        },
        M: {
          Type: 'Map', ItemsPath: '$', MaxConcurrency: 1, End: true,
          ItemProcessor: { StartAt: 'E', States: { E: { Type: 'Task', Resource: fn('echo'), End: true } } },
          ItemSelector: { 'i.$': '$$.Map.Item.Index' },
        },
      },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual([{ i: 0 }, { i: 1 }]);
  });

  it('.sync task polls through durable timers', async () => {
    const { d, types } = await run('sync', {
      StartAt: 'S', States: { S: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: 'x', polls: 3 }, End: true } },
    });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ polled: 3 });
    expect(types).toEqual(expect.arrayContaining(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']));
  });
});

describe('time limits', () => {
  it('task TimeoutSeconds -> States.Timeout', async () => {
    const { d, types } = await run('task-timeout', {
      StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('hang'), TimeoutSeconds: 1, End: true } },
    });
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(types).toContain('LambdaFunctionTimedOut');
  });

  it('HeartbeatSeconds without heartbeats -> States.Timeout (service integration, as AWS records); heartbeats keep it alive', async () => {
    const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', HeartbeatSeconds: 1, Parameters: { 'token.$': '$$.Task.Token' }, End: true } } };
    const { d } = await run('heartbeat-timeout', def);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });

    // Heartbeats every 400 ms for 3.2 s keep alive a task allowed 2 s between them: the margin (1.6 s) lets a
    // heartbeat come late on a busy machine (the suite runs files side by side), and the task outlives its
    // HeartbeatSeconds only thanks to them.
    const kept = { ...def, States: { T: { ...def.States.T, HeartbeatSeconds: 2 } } };
    const sm = await h.createStateMachine('heartbeat-kept', kept);
    const arn = await h.start(sm);
    const token = await h.waitFor('token', async () => invoker.tokens.find((t) => t.request.executionArn === arn)?.token);
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 400));
      await h.api.sendTaskHeartbeat({ taskToken: token });
    }
    await h.api.sendTaskSuccess({ taskToken: token, output: '{"ok":true}' });
    const done = await h.finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('{"ok":true}');
  });

  it('execution TimeoutSeconds -> TIMED_OUT', async () => {
    const { d, types } = await run('exec-timeout', {
      TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } },
    });
    expect(d.status).toBe('TIMED_OUT');
    expect(types.at(-1)).toBe('ExecutionTimedOut');
  });
});

describe('StopExecution and callbacks', () => {
  it('stops a waiting execution at once; its timer is gone', async () => {
    const sm = await h.createStateMachine('stop', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const arn = await h.start(sm);
    await h.waitFor('wait entered', async () => ((await h.types(arn)).includes('WaitStateEntered') ? true : undefined));
    await h.api.stopExecution({ executionArn: arn, error: 'Stopped', cause: 'by test' });
    const d = await h.api.describeExecution({ executionArn: arn });
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by test' });
    expect((await h.types(arn)).at(-1)).toBe('ExecutionAborted');
    const { rows } = await h.store.pool.query('SELECT count(*)::int AS n FROM timers t JOIN executions e ON e.id = t.execution_id WHERE e.arn = $1', [arn]);
    expect(rows[0].n).toBe(0);
  });

  it('task tokens: success once, reuse refused, malformed refused, timed out refused', async () => {
    const sm = await h.createStateMachine('callback', {
      StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
    });
    const arn = await h.start(sm);
    const token = await h.waitFor('token', async () => invoker.tokens.find((t) => t.request.executionArn === arn)?.token);
    await expect(h.api.sendTaskSuccess({ taskToken: 'nope', output: '{}' })).rejects.toMatchObject({ code: 'InvalidToken' });
    await h.api.sendTaskSuccess({ taskToken: token, output: '{"v":1}' });
    await expect(h.api.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
    const d = await h.finished(arn);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"v":1}' });
    expect(await h.types(arn)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);

    const arn2 = await h.start(sm);
    const token2 = await h.waitFor('token', async () => invoker.tokens.find((t) => t.request.executionArn === arn2)?.token);
    await h.api.stopExecution({ executionArn: arn2 });
    const e = await h.api.sendTaskFailure({ taskToken: token2, error: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('TaskTimedOut');
  });

  it('SendTaskFailure fails the task with the given error', async () => {
    const sm = await h.createStateMachine('callback-fail', {
      StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
    });
    const arn = await h.start(sm);
    const token = await h.waitFor('token', async () => invoker.tokens.find((t) => t.request.executionArn === arn)?.token);
    await h.api.sendTaskFailure({ taskToken: token, error: 'My.Error', cause: 'mine' });
    expect(await h.finished(arn)).toMatchObject({ status: 'FAILED', error: 'My.Error', cause: 'mine' });
  });
});

describe('activities', () => {
  it('two concurrent pollers: each task handed out exactly once', async () => {
    const { activityArn } = await h.api.createActivity({ name: 'work' });
    const sm = await h.createStateMachine('activity', {
      StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, TimeoutSeconds: 60, End: true } },
    });
    const n = 12;
    const arns = await Promise.all(Array.from({ length: n }, (_, i) => h.start(sm, { i })));
    const seen: number[] = [];
    const done = new AbortController();
    const poller = async (worker: string) => {
      while (!done.signal.aborted) {
        const t = await h.api.getActivityTask({ activityArn, workerName: worker }, done.signal);
        if (!t.taskToken) continue;
        const input = JSON.parse(t.input!) as { i: number };
        seen.push(input.i);
        if (seen.length >= n) done.abort();
        await h.api.sendTaskSuccess({ taskToken: t.taskToken, output: JSON.stringify({ by: worker, i: input.i }) });
      }
    };
    await Promise.all([poller('w1'), poller('w2')]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    for (const arn of arns) {
      const d = await h.finished(arn);
      expect(d.status).toBe('SUCCEEDED');
      const types = await h.types(arn);
      expect(types).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    }
    const started = (await h.history(arns[0]!)).find((e) => e.type === 'ActivityStarted')!;
    expect(['w1', 'w2']).toContain((started.activityStartedEventDetails as { workerName: string }).workerName);
  });

  it('a waiting poller is woken promptly when a task is scheduled', async () => {
    const { activityArn } = await h.api.createActivity({ name: 'wake' });
    const sm = await h.createStateMachine('activity-wake', { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } });
    const polled = h.api.getActivityTask({ activityArn, workerName: 'early' });
    await new Promise((r) => setTimeout(r, 300));
    const arn = await h.start(sm, { hello: 1 });
    const t = await polled;
    expect(t.input).toBe('{"hello":1}');
    await h.api.sendTaskSuccess({ taskToken: t.taskToken!, output: '"done"' });
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
  });
});
