/**
 * Execution logs (a state machine's `loggingConfiguration`) delivered to CloudWatch Logs through the real
 * `@aws-sdk/client-cloudwatch-logs` (integrations' CloudWatchLogsDelivery) to a wire-level CloudWatch Logs
 * stand-in, by the worker's shipper, from the outbox that transitions fill: the AWS event format, each level's
 * event types, includeExecutionData, log stream names, ResourceAlreadyExistsException tolerated, an Express
 * execution's events, and delivery surviving a failing endpoint (retried with backoff, then delivered once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_EVENT_TYPES } from '@baton/api-contract';
import { levelIncludes } from '@baton/engine';
import { createCloudWatchLogsDelivery } from '@baton/integrations';
import { Harness } from '../engine/support/harness.js';
import { fn, TestInvoker } from '../engine/support/test-invoker.js';
import { CloudWatchLogsServer } from './support/cloudwatch-logs-server.js';

const GROUP = '/aws/vendedlogs/states/baton-test';
const GROUP_ARN = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*`;
const ROLE = 'arn:aws:iam::123456789012:role/test';

const DEFINITION = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { secret: 'payload-data' }, ResultPath: '$.prepared', Next: 'Call' },
    Call: { Type: 'Task', Resource: fn('echo'), Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Broken' }], Default: 'Done' },
    Broken: { Type: 'Task', Resource: fn('fail'), Parameters: { error: 'Custom.Broken', cause: 'on purpose' }, End: true },
    Done: { Type: 'Succeed' },
  },
};

let cwl: CloudWatchLogsServer;
let h: Harness;
const delivery = { destroy: () => {} };

beforeAll(async () => {
  cwl = await new CloudWatchLogsServer().start();
  cwl.groups.add(GROUP);
  const d = createCloudWatchLogsDelivery({
    region: 'us-east-1', endpoints: { logs: cwl.url }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  delivery.destroy = () => d.destroy();
  h = await Harness.start({
    label: 'exec_logs', invoker: new TestInvoker(), workers: 1, timers: 1,
    engine: { executionLogDelivery: d, executionLogShipper: { pollMs: 50, backoffMs: 100, maxBackoffMs: 400, maxAttempts: 5 } },
  });
});
afterAll(async () => {
  await h?.stop();
  delivery.destroy();
  await cwl?.close();
});

async function machine(name: string, level: string, includeExecutionData: boolean, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
  const r = await h.api.createStateMachine({
    name, type, roleArn: ROLE, definition: JSON.stringify(DEFINITION),
    loggingConfiguration: { level: level as 'ALL', includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN } }] },
  });
  return r.stateMachineArn;
}

/** The delivered log events of one execution (waits until `count` arrived). */
async function delivered(executionArn: string, count: number): Promise<Record<string, unknown>[]> {
  await expect.poll(() => cwl.messages().filter((m) => m.execution_arn === executionArn).length, { timeout: 20_000, interval: 50 }).toBe(count);
  return cwl.messages().filter((m) => m.execution_arn === executionArn);
}

describe('log levels', () => {
  it('the level filter follows AWS: ALL everything, ERROR failures/time-outs/aborts, FATAL the execution\'s end', () => {
    expect(levelIncludes('ALL', 'PassStateEntered')).toBe(true);
    expect(['TaskFailed', 'ExecutionFailed', 'FailStateEntered', 'MapIterationAborted', 'TaskTimedOut'].every((t) => levelIncludes('ERROR', t))).toBe(true);
    expect(['TaskSucceeded', 'ExecutionStarted', 'TaskStateExited'].some((t) => levelIncludes('ERROR', t))).toBe(false);
    expect(['ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted'].every((t) => levelIncludes('FATAL', t))).toBe(true);
    expect(['TaskFailed', 'FailStateEntered'].some((t) => levelIncludes('FATAL', t))).toBe(false);
    expect(levelIncludes('OFF', 'ExecutionFailed')).toBe(false);
  });

  it('ERROR and FATAL keep exactly the rows AWS\'s "Log levels" table marks (transcribed here), for every event type', () => {
    // Step Functions Developer Guide, "Log levels for Step Functions execution events" (cloudwatch-log-level).
    const fatal = ['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut'];
    const error = [
      ...fatal, 'FailStateEntered', 'LambdaFunctionFailed', 'LambdaFunctionScheduleFailed', 'LambdaFunctionStartFailed',
      'LambdaFunctionTimedOut', 'MapIterationAborted', 'MapIterationFailed', 'MapStateAborted', 'MapStateFailed',
      'ParallelStateAborted', 'ParallelStateFailed', 'TaskFailed', 'TaskStartFailed', 'TaskStateAborted', 'TaskSubmitFailed',
      'TaskTimedOut', 'WaitStateAborted',
    ];
    // The types the table has no row for; Baton keeps their failures at ERROR (execution-log-events.ts).
    const unlisted = ['ActivityFailed', 'ActivityScheduled', 'ActivityScheduleFailed', 'ActivityStarted', 'ActivitySucceeded',
      'ActivityTimedOut', 'EvaluationFailed', 'ExecutionRedriven', 'MapRunAborted', 'MapRunFailed', 'MapRunRedriven', 'MapRunStarted', 'MapRunSucceeded'];
    const unlistedAtError = ['ActivityFailed', 'ActivityScheduleFailed', 'ActivityTimedOut', 'EvaluationFailed', 'MapRunAborted', 'MapRunFailed'];
    for (const type of HISTORY_EVENT_TYPES) {
      const documented = !unlisted.includes(type);
      expect(levelIncludes('ALL', type), type).toBe(true);
      expect(levelIncludes('ERROR', type), type).toBe(documented ? error.includes(type) : unlistedAtError.includes(type));
      expect(levelIncludes('FATAL', type), type).toBe(fatal.includes(type));
      expect(levelIncludes('OFF', type), type).toBe(false);
    }
    // The table has a row for every other type the API knows.
    expect(HISTORY_EVENT_TYPES.length - unlisted.length).toBe(49);
  });

  it('ALL with execution data: every history event, in AWS\'s format, in order, to a states/<machine>/<minute>/<id> stream', async () => {
    const sm = await machine('logs-all', 'ALL', true);
    const arn = await h.start(sm, { fail: false });
    expect((await h.finished(arn)).status).toBe('SUCCEEDED');
    const history = await h.history(arn);
    const logs = await delivered(arn, history.length);
    expect(logs.map((l) => l.type)).toEqual(history.map((e) => e.type));
    const started = logs[0]!;
    expect(Object.keys(started).sort()).toEqual(['details', 'event_timestamp', 'execution_arn', 'id', 'previous_event_id', 'redrive_count', 'type']);
    expect(started).toMatchObject({ id: '1', type: 'ExecutionStarted', previous_event_id: '0', execution_arn: arn, redrive_count: '0' });
    expect(started.event_timestamp).toBe(String(history[0]!.timestamp.getTime()));
    expect(started.details).toMatchObject({ input: JSON.stringify({ fail: false }), roleArn: ROLE });
    const exited = logs.find((l) => l.type === 'PassStateExited')!;
    expect(exited.details).toMatchObject({ name: 'Prepare' });
    expect(String((exited.details as { output: string }).output)).toContain('payload-data');
    const mine = cwl.events.filter((e) => (JSON.parse(e.message) as { execution_arn: string }).execution_arn === arn);
    expect(new Set(mine.map((e) => e.group))).toEqual(new Set([GROUP]));
    for (const e of mine) expect(e.stream).toMatch(/^states\/logs-all\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\/[0-9a-f]{8}$/);
    expect(mine.map((e) => e.timestamp)).toEqual(history.map((e) => e.timestamp.getTime()));
  });

  it('ERROR keeps only failures; without execution data no input or output is logged', async () => {
    const sm = await machine('logs-error', 'ERROR', false);
    const arn = await h.start(sm, { fail: true });
    expect((await h.finished(arn)).status).toBe('FAILED');
    const expected = (await h.history(arn)).filter((e) => /(Failed|TimedOut|Aborted)$/.test(e.type) || e.type === 'FailStateEntered');
    expect(expected.map((e) => e.type)).toEqual(['LambdaFunctionFailed', 'ExecutionFailed']);
    const logs = await delivered(arn, expected.length);
    expect(logs.map((l) => l.type)).toEqual(['LambdaFunctionFailed', 'ExecutionFailed']);
    expect(logs[1]!.details).toEqual({ error: 'Custom.Broken', cause: 'on purpose' });
    expect(logs.map((l) => l.id)).toEqual(expected.map((e) => String(e.id)));
  });

  it('FATAL keeps only the execution\'s failed end; OFF logs nothing', async () => {
    const fatal = await h.start(await machine('logs-fatal', 'FATAL', true), { fail: true });
    const off = await h.start(await machine('logs-off', 'OFF', true), { fail: true });
    expect((await h.finished(fatal)).status).toBe('FAILED');
    expect((await h.finished(off)).status).toBe('FAILED');
    const logs = await delivered(fatal, 1);
    expect(logs[0]).toMatchObject({ type: 'ExecutionFailed', details: { error: 'Custom.Broken' } });
    // A later execution's logs arrive after the OFF one's would have: none of the OFF execution's arrived.
    const after = await h.start(await machine('logs-after-off', 'FATAL', false), { fail: true });
    await delivered(after, 1);
    expect(cwl.messages().filter((m) => m.execution_arn === off)).toEqual([]);
    await expect.poll(async () => (await h.store.executionLogs.backlog()).count, { timeout: 10_000 }).toBe(0);
  });

  it('an Express execution (StartSyncExecution) logs its events too', async () => {
    const sm = await machine('logs-express', 'ALL', true, 'EXPRESS');
    const out = await h.api.startSyncExecution({ stateMachineArn: sm, input: JSON.stringify({ fail: false }) });
    expect(out.status).toBe('SUCCEEDED');
    await expect.poll(() => cwl.messages().some((m) => m.execution_arn === out.executionArn && m.type === 'ExecutionSucceeded'), { timeout: 20_000 }).toBe(true);
    const logs = cwl.messages().filter((m) => m.execution_arn === out.executionArn);
    expect(logs.map((l) => l.id)).toEqual(logs.map((_, i) => String(i + 1)));
    expect(logs[0]).toMatchObject({ type: 'ExecutionStarted', details: { input: JSON.stringify({ fail: false }) } });
    expect(logs.map((l) => l.type)).toContain('LambdaFunctionSucceeded');
    expect(logs.at(-1)).toMatchObject({ type: 'ExecutionSucceeded' });
    expect(out.executionArn).toMatch(/:express:logs-express:/);
  });
});

describe('delivery', () => {
  it('survives a failing CloudWatch Logs endpoint: retried with backoff, each event delivered once', async () => {
    const sm = await machine('logs-retry', 'ALL', false);
    cwl.failPuts(3);
    const before = cwl.calls.filter((c) => c.action === 'PutLogEvents' && c.status === 503).length;
    const arn = await h.start(sm, { fail: false });
    expect((await h.finished(arn)).status).toBe('SUCCEEDED'); // the transitions never waited for CloudWatch
    const history = await h.history(arn);
    const logs = await delivered(arn, history.length);
    // Every event exactly once. A retried batch may land after later ones: CloudWatch Logs orders by timestamp.
    expect(logs.map((l) => Number(l.id)).sort((a, b) => a - b)).toEqual(history.map((e) => e.id));
    expect(cwl.calls.filter((c) => c.action === 'PutLogEvents' && c.status === 503).length - before).toBe(3);
    await expect.poll(async () => (await h.store.executionLogs.backlog()).count, { timeout: 10_000 }).toBe(0);
  });

  it('events for a log group that does not exist are retried, then dropped: the outbox does not grow forever', async () => {
    const r = await h.api.createStateMachine({
      name: 'logs-nowhere', roleArn: ROLE, definition: JSON.stringify(DEFINITION),
      loggingConfiguration: { level: 'ALL', includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:/not/created:*' } }] },
    });
    const refusedBefore = cwl.calls.filter((c) => c.action === 'CreateLogStream' && c.body.logGroupName === '/not/created').length;
    const arn = await h.start(r.stateMachineArn, { fail: false });
    expect((await h.finished(arn)).status).toBe('SUCCEEDED');
    await expect.poll(async () => (await h.store.executionLogs.backlog()).count, { timeout: 20_000, interval: 100 }).toBe(0);
    const refused = cwl.calls.filter((c) => c.action === 'CreateLogStream' && c.body.logGroupName === '/not/created');
    expect(refused.length - refusedBefore).toBeGreaterThanOrEqual(5); // maxAttempts rounds, each refused
    expect(refused.every((c) => c.status === 400)).toBe(true);
    expect(cwl.messages().filter((m) => m.execution_arn === arn)).toEqual([]);
  });

  it('tolerates ResourceAlreadyExistsException for its log stream (a stream created before, by anyone)', async () => {
    const created = cwl.calls.filter((c) => c.action === 'CreateLogStream' && c.status === 200);
    expect(created.length).toBeGreaterThan(0);
    // Another shipper (a second worker process after a restart) opening the same stream name is told it exists.
    const d = createCloudWatchLogsDelivery({ region: 'us-east-1', endpoints: { logs: cwl.url }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    try {
      const stream = String(created[0]!.body.logStreamName);
      await expect(d.createLogStream(GROUP_ARN, stream)).resolves.toBeUndefined();
      expect(cwl.calls.at(-1)).toMatchObject({ action: 'CreateLogStream', status: 400 });
      await d.putLogEvents(GROUP_ARN, stream, [{ timestamp: Date.now(), message: '{"probe":true}' }]);
      expect(cwl.events.at(-1)).toMatchObject({ group: GROUP, stream, message: '{"probe":true}' });
      // A missing log group is an error the shipper retries (the user creates groups, as on AWS).
      const missing = 'arn:aws:logs:us-east-1:123456789012:log-group:/not/created:*';
      await expect(d.createLogStream(missing, 'states/x/2020-01-01-00-00/00000000')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    } finally {
      d.destroy();
    }
  });
});
