/**
 * The engine operations behind the REST surface's console endpoints, on Postgres + BullMQ: answering a waiting
 * task by its task id with SendTaskSuccess/Failure's guarantees (a not-yet-handed-out activity task is removed,
 * a handed-out token is used up, a second answer is refused), history by event id, and the bounded search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from './support/harness.js';
import { TestInvoker } from './support/test-invoker.js';

let h: Harness;
let activityArn: string;
const invoker = new TestInvoker();
const callback = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

beforeAll(async () => {
  h = await Harness.start({ label: 'console', invoker, engine: { activityPollMs: 300, searchScanLimit: 5 } });
  activityArn = (await h.api.createActivity({ name: 'approve' })).activityArn;
});
afterAll(async () => {
  await h?.stop();
});

async function waitingTask(executionArn: string) {
  return h.waitFor('a waiting task', async () => (await h.api.listWaitingTasks({ executionArn })).tasks[0]);
}

describe('completeWaitingTask', () => {
  it('answers an activity task nobody took: the task is removed, ActivityStarted names the console', async () => {
    const sm = await h.createStateMachine('act', {
      StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: activityArn, ResultPath: '$.answer', End: true } },
    });
    const arn = await h.start(sm, { order: 1 });
    const task = await waitingTask(arn);
    expect(task).toMatchObject({ stateName: 'Ask', kind: 'activity', started: false, resource: activityArn, path: [] });
    expect(JSON.stringify(task)).not.toMatch(/token/i);
    await h.api.completeWaitingTask({ executionArn: arn, taskId: task.taskId, outcome: { kind: 'success', output: '{"ok":true}' } });
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"order":1,"answer":{"ok":true}}' });
    const events = await h.history(arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded', 'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events[3]!.activityStartedEventDetails).toEqual({ workerName: 'baton-console' });
    // Nobody gets the task afterwards, and it cannot be answered twice.
    expect(await h.api.getActivityTask({ activityArn })).toEqual({});
    await expect(h.api.completeWaitingTask({ executionArn: arn, taskId: task.taskId, outcome: { kind: 'success', output: '{}' } }))
      .rejects.toMatchObject({ code: 'TaskDoesNotExist' });
  });

  it('answers an activity task a worker holds: the worker\'s token is used up', async () => {
    const sm = await h.createStateMachine('act-held', {
      StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: activityArn, Catch: [{ ErrorEquals: ['Rejected'], Next: 'No' }], End: true }, No: { Type: 'Pass', End: true } },
    });
    const arn = await h.start(sm, {});
    await h.waitFor('the activity task', async () => (await h.api.getActivityTask({ activityArn, workerName: 'w1' })).taskToken);
    const started = await h.waitFor('ActivityStarted applied', async () => {
      const t = (await h.api.listWaitingTasks({ executionArn: arn })).tasks[0];
      return t?.started ? t : undefined;
    });
    await h.api.completeWaitingTask({ executionArn: arn, taskId: started.taskId, outcome: { kind: 'failure', error: 'Rejected', cause: 'by a person' } });
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED' });
    const types = await h.types(arn);
    expect(types).toContain('ActivityFailed');
    expect(types.filter((t) => t === 'ActivityStarted')).toHaveLength(1);
  });

  it('the token a worker holds no longer works after the console answered', async () => {
    const sm = await h.createStateMachine('act-token', { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: activityArn, End: true } } });
    const arn = await h.start(sm, {});
    const token = await h.waitFor('the activity task', async () => (await h.api.getActivityTask({ activityArn })).taskToken);
    const task = await waitingTask(arn);
    await h.api.completeWaitingTask({ executionArn: arn, taskId: task.taskId, outcome: { kind: 'success', output: '"console"' } });
    await expect(h.api.sendTaskSuccess({ taskToken: token, output: '"worker"' })).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '"console"' });
  });

  it('answers a .waitForTaskToken task inside a Map iteration; the callback token is used up', async () => {
    const sm = await h.createStateMachine('cb-map', {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: callback, Parameters: { FunctionName: 'f', 'Payload.$': '$' }, End: true } } },
          End: true,
        },
      },
    });
    const arn = await h.start(sm, { items: ['a'] });
    const task = await waitingTask(arn);
    expect(task).toMatchObject({ stateName: 'Call', kind: 'callback', path: [{ stateName: 'Each', index: 0 }] });
    const token = await h.waitFor('the callback token', async () => invoker.tokens.find((t) => t.request.executionArn === arn)?.token);
    await expect(h.api.completeWaitingTask({ executionArn: arn, taskId: task.taskId, outcome: { kind: 'success', output: '{' } }))
      .rejects.toMatchObject({ code: 'InvalidOutput' });
    await h.api.completeWaitingTask({ executionArn: arn, taskId: task.taskId, outcome: { kind: 'success', output: '7' } });
    await expect(h.api.sendTaskSuccess({ taskToken: token, output: '8' })).rejects.toMatchObject({ code: 'TaskDoesNotExist' });
    expect(await h.finished(arn)).toMatchObject({ status: 'SUCCEEDED', output: '[7]' });
  });

  it('refuses tasks that do not wait for an answer, and unknown executions', async () => {
    const sm = await h.createStateMachine('waits', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const arn = await h.start(sm, {});
    expect((await h.api.listWaitingTasks({ executionArn: arn })).tasks).toEqual([]);
    await expect(h.api.completeWaitingTask({ executionArn: arn, taskId: 'k1', outcome: { kind: 'success', output: '{}' } }))
      .rejects.toMatchObject({ code: 'TaskDoesNotExist' });
    await expect(h.api.listWaitingTasks({ executionArn: arn.replace(/:[^:]+$/, ':nope') })).rejects.toMatchObject({ code: 'ExecutionDoesNotExist' });
    await h.api.stopExecution({ executionArn: arn });
  });
});

describe('getExecutionEvents', () => {
  it('reads history from an event id on, with the newest id', async () => {
    const sm = await h.createStateMachine('passes', {
      StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
    });
    const arn = await h.start(sm, { x: 1 });
    await h.finished(arn);
    const all = await h.api.getExecutionEvents({ executionArn: arn, fromEventId: 1, maxResults: 1000 });
    expect(all.lastEventId).toBe(8);
    expect(all.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const tail = await h.api.getExecutionEvents({ executionArn: arn, fromEventId: 5, maxResults: 2, includeExecutionData: false });
    expect(tail.events.map((e) => e.type)).toEqual(['PassStateExited', 'PassStateEntered']);
    expect(tail.events[0]!.stateExitedEventDetails).toMatchObject({ name: 'B', outputDetails: { included: false } });
    expect((await h.api.getExecutionEvents({ executionArn: arn, fromEventId: 9, maxResults: 10 })).events).toEqual([]);
  });
});

describe('searchExecutions (scan limit 5 in this file)', () => {
  it('finds by name, status, error and input, continuing where the bounded scan stopped', async () => {
    const sm = await h.createStateMachine('orders', {
      StartAt: 'Check', States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.bad', IsPresent: true, Next: 'Bad' }], Default: 'Ok' },
        Bad: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'bad order' },
        Ok: { Type: 'Pass', End: true },
      },
    });
    const arns: string[] = [];
    for (let i = 0; i < 12; i++) {
      const input = i === 3 ? { orderId: 'A-17', customer: { id: 7 } } : i % 4 === 1 ? { orderId: `B-${i}`, bad: true } : { orderId: `C-${i}` };
      arns.push(await h.start(sm, input, `order-${String(i).padStart(2, '0')}`));
    }
    for (const arn of arns) await h.finished(arn);

    // Plain paging (no predicate): pages of 5, newest first, every execution once.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.api.searchExecutions({ stateMachineArn: sm, maxResults: 5, ...(cursor ? { cursor } : {}) });
      seen.push(...page.executions.map((e) => e.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...Array(12).keys()].reverse().map((i) => `order-${String(i).padStart(2, '0')}`));

    // A predicate: each request examines at most 5 executions and says where to continue.
    const collect = async (q: Omit<Parameters<typeof h.api.searchExecutions>[0], 'stateMachineArn'>) => {
      const found: string[] = [];
      let next: string | undefined;
      let requests = 0;
      do {
        const page = await h.api.searchExecutions({ stateMachineArn: sm, ...q, ...(next ? { cursor: next } : {}) });
        expect(page.scanned).toBeLessThanOrEqual(5);
        found.push(...page.executions.map((e) => e.name));
        next = page.nextCursor;
        requests++;
      } while (next);
      return { found, requests };
    };
    const byInput = await collect({ input: { kind: 'equals', path: ['orderId'], value: 'A-17' } });
    expect(byInput.found).toEqual(['order-03']);
    expect(byInput.requests).toBeGreaterThanOrEqual(3);
    expect((await collect({ input: { kind: 'equals', path: ['customer', 'id'], value: '7' } })).found).toEqual(['order-03']);
    expect((await collect({ input: { kind: 'contains', text: '"B-5"' } })).found).toEqual(['order-05']);
    expect((await collect({ statusFilter: 'FAILED' })).found).toEqual(['order-09', 'order-05', 'order-01']);
    expect((await collect({ errorContains: 'order.inv' })).found).toEqual(['order-09', 'order-05', 'order-01']);
    expect((await collect({ nameContains: 'ORDER-1' })).found).toEqual(['order-11', 'order-10']);
    const failed = await h.api.searchExecutions({ stateMachineArn: sm, statusFilter: 'FAILED', maxResults: 1 });
    expect(failed.executions[0]).toMatchObject({ name: 'order-09', error: 'Order.Invalid', status: 'FAILED' });
    const future = new Date(Date.now() + 60_000);
    expect((await h.api.searchExecutions({ stateMachineArn: sm, startedAfter: future })).executions).toEqual([]);
    await expect(h.api.searchExecutions({ stateMachineArn: sm, cursor: 'garbage' })).rejects.toMatchObject({ code: 'ValidationException' });
  });
});
