import { describe, expect, it } from 'vitest';
import { runLocal, seededRandom, type JsonObject, type TaskMocks } from '@baton/asl';

const ARN = 'arn:aws:states:::lambda:invoke';
const START = Date.UTC(2024, 0, 1);

function taskMachine(extra: JsonObject): JsonObject {
  return {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: ARN, Parameters: { 'v.$': '$.v' }, ...extra, Next: 'Done' },
      Done: { Type: 'Succeed' },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

describe('Task states', () => {
  it('runs the ResultSelector -> ResultPath -> OutputPath pipeline on the task result', async () => {
    const mocks: TaskMocks = { T: { Return: { Payload: { total: 3 }, StatusCode: 200 } } };
    const def = taskMachine({ ResultSelector: { 'total.$': '$.Payload.total' }, ResultPath: '$.res' });
    const r = await runLocal(def, { input: { v: 1 }, mocks });
    expect(r.output).toEqual({ v: 1, res: { total: 3 } });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    const scheduled = r.events[2]!;
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', parameters: '{"v":1}' });
  });

  it('retries with IntervalSeconds * BackoffRate^n, then succeeds', async () => {
    const mocks: TaskMocks = { T: [{ Throw: { Error: 'Boom' } }, { Throw: { Error: 'Boom' } }, { Return: 'ok' }] };
    const def = taskMachine({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 5 }] });
    const r = await runLocal(def, { input: { v: 1 }, mocks, startTime: START });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.endTime - START).toBe(2_000 + 6_000);
    expect(r.events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(3);
    expect(r.events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(1);
  });

  it('caps the delay with MaxDelaySeconds and stays under it with FULL jitter', async () => {
    const fail = { Throw: { Error: 'Boom' } };
    const mocks: TaskMocks = { T: [fail, fail, fail, { Return: 1 }] };
    const capped = taskMachine({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 10, BackoffRate: 10, MaxAttempts: 3, MaxDelaySeconds: 15 }] });
    const r = await runLocal(capped, { input: { v: 1 }, mocks, startTime: START });
    expect(r.endTime - START).toBe(10_000 + 15_000 + 15_000);
    const jitter = taskMachine({ Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 10, MaxAttempts: 3, JitterStrategy: 'FULL' }] });
    const j = await runLocal(jitter, { input: { v: 1 }, mocks, startTime: START, random: seededRandom(7) });
    expect(j.status).toBe('SUCCEEDED');
    expect(j.endTime - START).toBeLessThan(10_000 + 20_000 + 40_000);
    expect(j.endTime - START).not.toBe(10_000 + 20_000 + 40_000);
  });

  it('MaxAttempts 0 never retries; an exhausted retrier falls through to Catch', async () => {
    const mocks: TaskMocks = { T: { Throw: { Error: 'Boom', Cause: 'because' } } };
    const def = taskMachine({
      Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 0 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught', ResultPath: '$.err' }],
    });
    const r = await runLocal(def, { input: { v: 1 }, mocks });
    expect(r.output).toEqual({ v: 1, err: { Error: 'Boom', Cause: 'because' } });
    expect(r.events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(1);
    expect(r.events.map((e) => e.type)).toContain('TaskStateExited');
  });

  it('the first matching retrier decides, even when exhausted', async () => {
    const mocks: TaskMocks = { T: { Throw: { Error: 'Boom' } } };
    const def = taskMachine({
      Retry: [
        { ErrorEquals: ['Boom'], MaxAttempts: 1, IntervalSeconds: 1 },
        { ErrorEquals: ['States.ALL'], MaxAttempts: 5, IntervalSeconds: 1 },
      ],
    });
    const r = await runLocal(def, { input: { v: 1 }, mocks });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Boom' });
    expect(r.events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
  });

  it('States.ALL does not catch States.DataLimitExceeded', async () => {
    const mocks: TaskMocks = { T: { Return: 'y'.repeat(270_000) } };
    const def = taskMachine({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] });
    const r = await runLocal(def, { input: { v: 1 }, mocks });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
  });

  it('States.TaskFailed matches task errors but not States.Timeout', async () => {
    const def = taskMachine({ TimeoutSeconds: 5, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }] });
    const caught = await runLocal(def, { input: { v: 1 }, mocks: { T: { Throw: { Error: 'Whatever' } } } });
    expect(caught.status).toBe('SUCCEEDED');
    const timedOut = await runLocal(def, { input: { v: 1 }, taskHandler: () => ({ pending: true }), startTime: START });
    expect(timedOut).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(timedOut.endTime - START).toBe(5_000);
    expect(timedOut.events.map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('HeartbeatSeconds times a silent service task out with States.Timeout and no cause, as AWS records it', async () => {
    const def = taskMachine({ TimeoutSeconds: 100, HeartbeatSeconds: 10 });
    const r = await runLocal(def, { input: { v: 1 }, taskHandler: () => ({ pending: true }), startTime: START });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(r.endTime - START).toBe(10_000);
    expect(r.events.find((e) => e.type === 'TaskTimedOut')?.taskTimedOutEventDetails).toEqual({ resourceType: 'lambda', resource: 'invoke', error: 'States.Timeout' });
  });

  it('a silent activity misses its heartbeat with States.HeartbeatTimeout', async () => {
    const def: JsonObject = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:w', HeartbeatSeconds: 10, End: true } } };
    const r = await runLocal(def, { input: {}, taskHandler: () => ({ pending: true }), startTime: START });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    expect(r.events.map((e) => e.type)).toContain('ActivityTimedOut');
  });

  it('a failure that names no error is caught as {"Error": null, "Cause": null}', async () => {
    const def = taskMachine({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught', ResultPath: '$.err' }] });
    const r = await runLocal(def, { input: { v: 1 }, taskHandler: () => ({ ok: false, error: '' }) });
    expect(r.output).toEqual({ v: 1, err: { Error: null, Cause: null } });
  });

  it('uses Activity* events for activity resources and LambdaFunction* for function ARNs', async () => {
    const act = 'arn:aws:states:us-east-1:123456789012:activity:work';
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:f';
    const def: JsonObject = {
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: act, Next: 'L' }, L: { Type: 'Task', Resource: fn, End: true } },
    };
    const r = await runLocal(def, { input: {}, mocks: { [act]: { Return: { a: 1 } }, [fn]: { Return: { l: 2 } } } });
    expect(r.output).toEqual({ l: 2 });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited',
      'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('puts a fresh task token in $$.Task.Token for .waitForTaskToken', async () => {
    const def: JsonObject = {
      StartAt: 'W',
      States: { W: { Type: 'Task', Resource: `${ARN}.waitForTaskToken`, Parameters: { 'token.$': '$$.Task.Token' }, End: true } },
    };
    const tokens: string[] = [];
    const r = await runLocal(def, {
      input: {},
      taskHandler: (task) => {
        tokens.push(String((task.parameters as JsonObject).token));
        expect(task.taskToken).toBe(tokens[0]);
        return { ok: true, output: 'done' };
      },
    });
    expect(r.output).toBe('done');
    expect(tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
