/**
 * RedriveExecution through the real SDK against the API and engine, on Postgres and on the embedded PGlite (AWS "Redriving executions"): an
 * execution that failed, was aborted or timed out continues from its unsuccessful state with the same input and
 * definition; states, Parallel branches and Map iterations that succeeded are not run again (the scripted task
 * invoker counts every call); retry counters start again; ExecutionRedriven is recorded with the redrive count;
 * DescribeExecution's redrive fields and ListExecutions' redriveFilter follow; the refusals AWS gives
 * (ExecutionNotRedrivable) and clientToken idempotency. A Distributed Map's Map Run is redriven with its parent:
 * only its unsuccessful children run again (redriven in place) and the items never started are started.
 */
import * as S from '@aws-sdk/client-sfn';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Json } from '@baton/asl';
import type { TaskInvoker, TaskRequest } from '@baton/engine';
import { BACKENDS } from './support/engine-stack.js';
import { failure, finished, suiteStack, until } from './support/sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';
const SM = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const DAY = 24 * 3600 * 1000;

/** Counts calls by state and payload; a key in `failing` fails with `Boom`. */
const calls = new Map<string, number>();
const failing = new Set<string>();
const keyOf = (r: Pick<TaskRequest, 'stateName' | 'parameters'>) =>
  `${r.stateName}:${JSON.stringify((r.parameters as { Payload?: Json }).Payload ?? null)}`;
const invoker: TaskInvoker = {
  async invoke(request) {
    const key = keyOf(request);
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (failing.has(key)) return { kind: 'failed', error: 'Boom', cause: `${key} failed` };
    return { kind: 'succeeded', output: { Payload: (request.parameters as { Payload?: Json }).Payload ?? null } };
  },
};
const count = (state: string, payload: Json = null) => calls.get(`${state}:${JSON.stringify(payload)}`) ?? 0;
const task = (payload: Json | string, extra: Record<string, unknown> = {}) => ({
  Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: typeof payload === 'string' && payload.startsWith('$') ? { FunctionName: 'work', 'Payload.$': payload } : { FunctionName: 'work', Payload: payload },
  ResultSelector: { 'v.$': '$.Payload' }, ...extra,
});

/** The engine's clock, moved forward to age executions (the 14-day window). */
let offsetMs = 0;

describe.each(BACKENDS)('RedriveExecution on %s', (backend) => {
  const suite = suiteStack(backend, { invoker, clock: { now: () => Date.now() + offsetMs } });
  let sfn: S.SFNClient;
  beforeAll(() => {
    sfn = suite.sfn;
  });
  beforeEach(() => {
    calls.clear();
    failing.clear();
    offsetMs = 0;
  });

  const create = async (name: string, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') => {
    await sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }));
    return SM(name);
  };
  const start = async (stateMachineArn: string, input: unknown = {}) =>
    (await sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn!;
  const redrive = (executionArn: string, clientToken?: string) =>
    sfn.send(new S.RedriveExecutionCommand({ executionArn, ...(clientToken !== undefined ? { clientToken } : {}) }));
  /** Waits for the redriven execution to end (it is RUNNING as soon as RedriveExecution returns). */
  const finishedAfter = (executionArn: string, redriveCount: number) => until(
    () => sfn.send(new S.DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING' && d.redriveCount === redriveCount,
    `${executionArn} to finish its redrive ${redriveCount}`,
  );
  const history = async (executionArn: string) =>
    (await sfn.send(new S.GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;

  it('continues a failed execution from the failed Task, skipping the states that succeeded', async () => {
    const arn = await create('chain', {
      StartAt: 'A',
      States: {
        A: { ...task('A'), ResultPath: '$.a', Next: 'B' },
        B: { ...task('B'), ResultPath: '$.b', Next: 'C' },
        C: { ...task({ 'redrives.$': '$$.Execution.RedriveCount', 'a.$': '$.a.v', 'b.$': '$.b.v' }), End: true },
      },
    });
    failing.add('B:"B"');
    const exec = await start(arn, { order: 7 });
    const failed = await finished(sfn, exec);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'Boom', redriveCount: 0, redriveStatus: 'REDRIVABLE' });
    expect(failed.redriveStatusReason).toBeUndefined();
    expect([count('A', 'A'), count('B', 'B')]).toEqual([1, 1]);

    failing.clear();
    const before = Date.now();
    const { redriveDate } = await redrive(exec);
    expect(redriveDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    const done = await finishedAfter(exec, 1);
    expect(done).toMatchObject({
      status: 'SUCCEEDED', redriveCount: 1, redriveDate, redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven', input: JSON.stringify({ order: 7 }),
    });
    expect(done.error).toBeUndefined();
    expect(JSON.parse(done.output!)).toEqual({ v: { redrives: 1, a: 'A', b: 'B' } });
    expect([count('A', 'A'), count('B', 'B')]).toEqual([1, 2]);

    const events = await history(exec);
    const types = events.map((e) => e.type);
    const at = types.indexOf('ExecutionRedriven');
    expect(types.slice(at - 1, at + 2)).toEqual(['ExecutionFailed', 'ExecutionRedriven', 'TaskStateEntered']);
    const redriven = events[at]!;
    expect(redriven.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
    expect(redriven.previousEventId).toBe(events[at - 1]!.id);
    expect(events[at + 1]!.stateEnteredEventDetails!.name).toBe('B');
    expect(types.filter((t) => t === 'TaskStateEntered')).toHaveLength(4); // A, B, then B and C again
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));

    const listed = async (redriveFilter: S.ExecutionRedriveFilter) =>
      (await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: arn, redriveFilter }))).executions!.map((e) => [e.executionArn, e.redriveCount]);
    const other = await start(arn, { order: 8 });
    await finished(sfn, other);
    expect(await listed('REDRIVEN')).toEqual([[exec, 1]]);
    expect(await listed('NOT_REDRIVEN')).toEqual([[other, 0]]);
    const item = (await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: arn }))).executions!.find((e) => e.executionArn === exec)!;
    expect(item.redriveDate).toEqual(redriveDate);

    expect(await failure(redrive(exec))).toBeInstanceOf(S.ExecutionNotRedrivable);
  });

  it('starts the retry counters again', async () => {
    const arn = await create('retries', {
      StartAt: 'B',
      States: { B: { ...task('B'), Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1, IntervalSeconds: 1, BackoffRate: 1 }], End: true } },
    });
    failing.add('B:"B"');
    const exec = await start(arn);
    expect((await finished(sfn, exec)).status).toBe('FAILED');
    expect(count('B', 'B')).toBe(2); // the attempt and its one retry
    await redrive(exec);
    expect((await finishedAfter(exec, 1)).status).toBe('FAILED');
    expect(count('B', 'B')).toBe(4); // both again: the retrier's count started from zero
  });

  it('runs again only the Parallel branch that failed', async () => {
    const arn = await create('parallel', {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Branches: [
            { StartAt: 'Left', States: { Left: { ...task('L'), End: true } } },
            // The pause lets Left's outcome commit before Right2 fails the Parallel (the branches' calls run at once;
            // a Left still running then would be stopped with the rest, and run again by the redrive).
            { StartAt: 'Right1', States: { Right1: { ...task('R1'), Next: 'Pause' }, Pause: { Type: 'Wait', Seconds: 1, Next: 'Right2' }, Right2: { ...task('R2'), End: true } } },
          ],
        },
      },
    });
    failing.add('Right2:"R2"');
    const exec = await start(arn);
    expect((await finished(sfn, exec))).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE' });
    failing.clear();
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ v: 'L' }, { v: 'R2' }]);
    expect([count('Left', 'L'), count('Right1', 'R1'), count('Right2', 'R2')]).toEqual([1, 1, 2]);
    const types = (await history(exec)).map((e) => e.type);
    expect(types.slice(types.indexOf('ExecutionRedriven'))).toEqual([
      'ExecutionRedriven', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('runs again only the inline Map iteration that failed, keeping the results in order', async () => {
    const arn = await create('map', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, End: true,
          ItemProcessor: { StartAt: 'Work', States: { Work: { ...task('$'), End: true } } },
        },
      },
    });
    failing.add('Work:2');
    const exec = await start(arn, { items: [1, 2, 3] });
    expect((await finished(sfn, exec)).status).toBe('FAILED');
    expect([count('Work', 1), count('Work', 2), count('Work', 3)]).toEqual([1, 1, 0]);
    failing.clear();
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect([count('Work', 1), count('Work', 2), count('Work', 3)]).toEqual([1, 2, 1]);
  });

  it('resumes nested children: only the failed Parallel branch of each failed Map iteration, a tolerated failure too', async () => {
    const arn = await create('nested', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, ToleratedFailureCount: 1, ResultPath: '$.each', Next: 'After',
          ItemProcessor: {
            StartAt: 'Both',
            States: {
              Both: {
                Type: 'Parallel', End: true,
                Branches: [
                  { StartAt: 'L', States: { L: { Type: 'Pass', End: true } } },
                  { StartAt: 'R', States: { R: { ...task('$'), End: true } } },
                ],
              },
            },
          },
        },
        After: { ...task('$.each'), End: true },
      },
    });
    failing.add('R:2').add('R:3');
    const exec = await start(arn, { items: [1, 2, 3] });
    // Item 2 failed (tolerated), item 3 failed too: beyond the one failure tolerated, the Map failed.
    expect((await finished(sfn, exec))).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    expect([1, 2, 3].map((i) => count('R', i))).toEqual([1, 1, 1]);
    failing.clear();
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    const each = [[1, { v: 1 }], [2, { v: 2 }], [3, { v: 3 }]];
    expect(JSON.parse(done.output!)).toEqual({ v: each });
    // Items 2 and 3 ran their failed branch again (the tolerated failure too); item 1 did not run again.
    expect([1, 2, 3].map((i) => count('R', i))).toEqual([1, 2, 2]);
    expect(count('After', each)).toBe(1);
  });

  it('bounds what a Map keeps of its failed iterations: beyond the first 40, a failed iteration starts over', async () => {
    const arn = await create('many-failures', {
      QueryLanguage: 'JSONata', StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', Items: '{% $states.input %}', ToleratedFailureCount: 44, MaxConcurrency: 1, End: true,
          ItemProcessor: {
            StartAt: 'Prep',
            States: {
              Prep: { Type: 'Pass', Next: 'Check' },
              Check: { Type: 'Pass', Output: "{% $states.context.Execution.RedriveCount > 0 ? $states.input : $error('not yet') %}", End: true },
            },
          },
        },
      },
    });
    const items = Array.from({ length: 50 }, (_, i) => i);
    const exec = await start(arn, items);
    expect(await finished(sfn, exec)).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const before = (await history(exec)).filter((e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails!.name === 'Prep').length;
    expect(before).toBe(45);
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual(items);
    const events = await history(exec);
    const redrivenAt = events.findIndex((e) => e.type === 'ExecutionRedriven');
    const entered = (name: string) => events.slice(redrivenAt).filter((e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails!.name === name).length;
    // The first 40 failures resume at Check; the next 5 start over at Prep, and so do the 5 items never started.
    expect([entered('Prep'), entered('Check')]).toEqual([10, 50]);
  });

  it('redrives a Distributed Map: its Map Run runs again only the failed child and the items not yet started', async () => {
    const arn = await create('distributed', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1, End: true,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Work', States: { Work: { ...task('$'), End: true } } },
        },
      },
    });
    failing.add('Work:3');
    const exec = await start(arn, { items: [1, 2, 3, 4] });
    expect(await finished(sfn, exec)).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE' });
    expect([1, 2, 3, 4].map((i) => count('Work', i))).toEqual([1, 1, 1, 0]);
    const mapRunArn = (await sfn.send(new S.ListMapRunsCommand({ executionArn: exec }))).mapRuns![0]!.mapRunArn!;
    expect(await sfn.send(new S.DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: 'FAILED', redriveCount: 0 });
    const children = (await sfn.send(new S.ListExecutionsCommand({ mapRunArn }))).executions!;
    const failedChild = children.find((c) => c.status === 'FAILED')!;
    expect(await sfn.send(new S.DescribeExecutionCommand({ executionArn: failedChild.executionArn }))).toMatchObject({ redriveStatus: 'REDRIVABLE_BY_MAP_RUN' });
    const own = await failure(redrive(failedChild.executionArn!));
    expect(own).toBeInstanceOf(S.ExecutionNotRedrivable);
    expect(own.message).toContain('redrive its parent execution');

    failing.clear();
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }, { v: 4 }]);
    expect([1, 2, 3, 4].map((i) => count('Work', i))).toEqual([1, 1, 2, 1]);
    const mapRun = await sfn.send(new S.DescribeMapRunCommand({ mapRunArn }));
    expect(mapRun).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(mapRun.redriveDate).toBeInstanceOf(Date);
    expect(mapRun.itemCounts).toMatchObject({ total: 4, succeeded: 4, failed: 0, running: 0, pending: 0 });
    expect(mapRun.executionCounts).toMatchObject({ total: 4, succeeded: 4, failed: 0, aborted: 0 });
    // The failed child was redriven in place (same ARN); the fourth item got a new child.
    const after = (await sfn.send(new S.ListExecutionsCommand({ mapRunArn }))).executions!;
    expect(after).toHaveLength(4);
    expect(after.find((c) => c.executionArn === failedChild.executionArn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    expect(after.filter((c) => c.redriveCount === 0)).toHaveLength(3);
    const redrivenChildren = (await sfn.send(new S.ListExecutionsCommand({ mapRunArn, redriveFilter: 'REDRIVEN' }))).executions!;
    expect(redrivenChildren.map((c) => c.executionArn)).toEqual([failedChild.executionArn]);
    expect((await sfn.send(new S.ListExecutionsCommand({ mapRunArn, redriveFilter: 'NOT_REDRIVEN' }))).executions).toHaveLength(3);
    const events = await history(exec);
    const types = events.map((e) => e.type);
    expect(types.slice(types.indexOf('ExecutionRedriven'))).toEqual([
      'ExecutionRedriven', 'MapRunRedriven', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    expect(events.find((e) => e.type === 'MapRunRedriven')!.mapRunRedrivenEventDetails).toEqual({ mapRunArn, redriveCount: 1 });
  });

  it('redrives a Distributed Map stopped while its children ran: the aborted children are redriven', async () => {
    const arn = await create('distributed-stopped', {
      QueryLanguage: 'JSONata', StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', Items: '{% $states.input.items %}', End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Slow',
            // Long the first time, at once once the child is redriven.
            States: { Slow: { Type: 'Wait', Seconds: '{% $states.context.Execution.RedriveCount > 0 ? 0 : 600 %}', End: true } },
          },
        },
      },
    });
    const exec = await start(arn, { items: [1, 2, 3] });
    const mapRunArn = await until(
      async () => (await sfn.send(new S.ListMapRunsCommand({ executionArn: exec }))).mapRuns?.[0]?.mapRunArn,
      (m) => m !== undefined, 'the Map Run',
    );
    await until(async () => (await sfn.send(new S.DescribeMapRunCommand({ mapRunArn }))).executionCounts!.running, (n) => n === 3, 'three children');
    await sfn.send(new S.StopExecutionCommand({ executionArn: exec }));
    await until(async () => (await sfn.send(new S.DescribeMapRunCommand({ mapRunArn }))).status, (s) => s === 'ABORTED', 'the Map Run to end');
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual([1, 2, 3]);
    expect(await sfn.send(new S.DescribeMapRunCommand({ mapRunArn }))).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const children = (await sfn.send(new S.ListExecutionsCommand({ mapRunArn }))).executions!;
    expect(children.map((c) => [c.status, c.redriveCount])).toEqual([['SUCCEEDED', 1], ['SUCCEEDED', 1], ['SUCCEEDED', 1]]);
  });

  it('redrives an aborted execution from the state it was stopped in', async () => {
    const arn = await create('aborted', {
      StartAt: 'A', States: { A: { ...task('A'), Next: 'Hold' }, Hold: { Type: 'Wait', Seconds: 1, Next: 'C' }, C: { ...task('C'), End: true } },
    });
    const exec = await start(arn);
    await until(() => history(exec), (ev) => ev.some((e) => e.type === 'WaitStateEntered'), 'the Wait state');
    await sfn.send(new S.StopExecutionCommand({ executionArn: exec, error: 'Stop', cause: 'by the test' }));
    expect(await sfn.send(new S.DescribeExecutionCommand({ executionArn: exec }))).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
    await redrive(exec);
    const done = await finishedAfter(exec, 1);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.error).toBeUndefined();
    expect([count('A', 'A'), count('C', 'C')]).toEqual([1, 1]);
  });

  it('redrives a timed-out execution: the state it timed out in runs again, under a new TimeoutSeconds', async () => {
    const arn = await create('timeout', {
      TimeoutSeconds: 1, StartAt: 'A', States: { A: { ...task('A'), Next: 'Hold' }, Hold: { Type: 'Wait', Seconds: 30, End: true } },
    });
    const exec = await start(arn);
    expect(await finished(sfn, exec)).toMatchObject({ status: 'TIMED_OUT', redriveStatus: 'REDRIVABLE' });
    await redrive(exec);
    expect((await finishedAfter(exec, 1)).status).toBe('TIMED_OUT');
    const types = (await history(exec)).map((e) => e.type);
    expect(types.slice(types.indexOf('ExecutionRedriven'))).toEqual(['ExecutionRedriven', 'WaitStateEntered', 'ExecutionTimedOut']);
    expect(count('A', 'A')).toBe(1);
  });

  it('refuses what AWS refuses with ExecutionNotRedrivable', async () => {
    const ok = await create('ok', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const succeeded = await start(ok);
    await finished(sfn, succeeded);
    const e1 = await failure(redrive(succeeded));
    expect(e1).toBeInstanceOf(S.ExecutionNotRedrivable);
    expect(e1.message).toContain('Execution is SUCCEEDED and cannot be redriven');

    const slow = await create('slow', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const running = await start(slow);
    const e2 = await failure(redrive(running));
    expect(e2).toBeInstanceOf(S.ExecutionNotRedrivable);
    expect(e2.message).toContain('Execution is RUNNING and cannot be redriven');
    await sfn.send(new S.StopExecutionCommand({ executionArn: running }));

    const express = await create('express', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'No' } } }, 'EXPRESS');
    const fast = await start(express);
    await finished(sfn, fast);
    expect(await failure(redrive(fast))).toBeInstanceOf(S.ExecutionNotRedrivable);

    const fails = await create('fails', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'No' } } });
    const old = await start(fails);
    expect((await finished(sfn, old)).redriveStatus).toBe('REDRIVABLE');
    offsetMs = 15 * DAY;
    expect(await sfn.send(new S.DescribeExecutionCommand({ executionArn: old }))).toMatchObject({
      redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution redrivable period exceeded',
    });
    const e3 = await failure(redrive(old));
    expect(e3).toBeInstanceOf(S.ExecutionNotRedrivable);
    expect(e3.message).toContain('Execution redrivable period exceeded');
    offsetMs = 0;

    const missing = await failure(redrive(`${old.slice(0, old.lastIndexOf(':'))}:nope`));
    expect(missing).toBeInstanceOf(S.ExecutionDoesNotExist);
    expect(await failure(redrive('not-an-arn'))).toBeInstanceOf(S.InvalidArn);
  });

  it('answers the same redrive for the same clientToken', async () => {
    const arn = await create('tokens', { StartAt: 'B', States: { B: { ...task('B'), End: true } } });
    failing.add('B:"B"');
    const exec = await start(arn);
    await finished(sfn, exec);
    const first = await redrive(exec, 'token-1');
    await finishedAfter(exec, 1);
    const again = await redrive(exec, 'token-1');
    expect(again.redriveDate).toEqual(first.redriveDate);
    expect(await sfn.send(new S.DescribeExecutionCommand({ executionArn: exec }))).toMatchObject({ status: 'FAILED', redriveCount: 1 });
    expect(count('B', 'B')).toBe(2);
    const second = await redrive(exec, 'token-2');
    expect(second.redriveDate!.getTime()).toBeGreaterThanOrEqual(first.redriveDate!.getTime());
    expect((await finishedAfter(exec, 2)).redriveCount).toBe(2);
    expect(count('B', 'B')).toBe(3);
    const events = (await history(exec)).filter((e) => e.type === 'ExecutionRedriven');
    expect(events.map((e) => e.executionRedrivenEventDetails)).toEqual([{ redriveCount: 1 }, { redriveCount: 2 }]);
  });

  it('refuses a clientToken AWS would refuse', async () => {
    const e = await failure(redrive(`arn:aws:states:us-east-1:123456789012:execution:x:y`, 'has space'));
    expect(e).toBeInstanceOf(S.ValidationException);
  });
});
