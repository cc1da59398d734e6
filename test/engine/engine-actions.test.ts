/** The Engine's SFN actions against Postgres: shapes, AWS error codes and texts, idempotency, pagination. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness } from './support/harness.js';
import { fn, TestInvoker } from './support/test-invoker.js';

let h: Harness;
const role = 'arn:aws:iam::123456789012:role/test';
const def = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

beforeAll(async () => {
  h = await Harness.start({ label: 'actions', invoker: new TestInvoker() });
});
afterAll(async () => {
  await h?.stop();
});

it('state machines: create is idempotent for the same definition, refused otherwise; describe; update makes a revision', async () => {
  const a = await h.api.createStateMachine({ name: 'sm', definition: def, roleArn: role });
  expect(a.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:sm');
  expect((await h.api.createStateMachine({ name: 'sm', definition: def, roleArn: role })).stateMachineArn).toBe(a.stateMachineArn);
  await expect(h.api.createStateMachine({ name: 'sm', definition: def.replace('"P"', '"Q"').replace('"P"', '"Q"'), roleArn: role }))
    .rejects.toMatchObject({ code: 'StateMachineAlreadyExists', message: `State Machine Already Exists: '${a.stateMachineArn}'` });
  await expect(h.api.createStateMachine({ name: 'bad', definition: '{}', roleArn: role })).rejects.toMatchObject({ code: 'InvalidDefinition' });
  await expect(h.api.describeStateMachine({ stateMachineArn: 'not_a_valid_arn' }))
    .rejects.toMatchObject({ code: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: not_a_valid_arn'" });
  const exec = await h.start(a.stateMachineArn, { v: 1 });
  const newDef = JSON.stringify({ StartAt: 'Z', States: { Z: { Type: 'Pass', Result: 'new', End: true } } });
  const u = await h.api.updateStateMachine({ stateMachineArn: a.stateMachineArn, definition: newDef });
  expect((await h.api.describeStateMachine({ stateMachineArn: a.stateMachineArn })).revisionId).toBe(u.revisionId);
  expect((await h.api.describeStateMachineForExecution({ executionArn: exec })).definition).toBe(def);
  expect(await h.finished(exec)).toMatchObject({ status: 'SUCCEEDED', output: '{"v":1}' });
});

it('executions: same name and input while running is the same execution; otherwise ExecutionAlreadyExists', async () => {
  const sm = await h.createStateMachine('waiter', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
  const first = await h.api.startExecution({ stateMachineArn: sm, name: 'once', input: '{"a":1}' });
  const again = await h.api.startExecution({ stateMachineArn: sm, name: 'once', input: '{"a":1}' });
  expect(again.executionArn).toBe(first.executionArn);
  await expect(h.api.startExecution({ stateMachineArn: sm, name: 'once', input: '{"a":2}' }))
    .rejects.toMatchObject({ code: 'ExecutionAlreadyExists', message: `Execution Already Exists: '${first.executionArn}'` });
  await expect(h.api.startExecution({ stateMachineArn: sm, input: '{' })).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
  const missing = first.executionArn.replace('once', 'nope');
  await expect(h.api.describeExecution({ executionArn: missing }))
    .rejects.toMatchObject({ code: 'ExecutionDoesNotExist', message: `Execution Does Not Exist: '${missing}'` });
  await h.api.stopExecution({ executionArn: first.executionArn });
});

it('listExecutions and getExecutionHistory page with tamper-proof tokens', async () => {
  const sm = await h.createStateMachine('many', { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('echo'), End: true } } });
  const arns = [];
  for (let i = 0; i < 5; i++) arns.push(await h.start(sm, { i }, `e${i}`));
  for (const arn of arns) await h.finished(arn);
  const page1 = await h.api.listExecutions({ stateMachineArn: sm, maxResults: 3 });
  expect(page1.executions).toHaveLength(3);
  const page2 = await h.api.listExecutions({ stateMachineArn: sm, maxResults: 3, nextToken: page1.nextToken! });
  expect(page2.executions).toHaveLength(2);
  expect(page2.nextToken).toBeUndefined();
  expect(new Set([...page1.executions, ...page2.executions].map((e) => e.executionArn))).toEqual(new Set(arns));
  expect((await h.api.listExecutions({ stateMachineArn: sm, statusFilter: 'FAILED' })).executions).toEqual([]);
  await expect(h.api.listExecutions({ stateMachineArn: sm, nextToken: page1.nextToken!.slice(0, -2) + 'xx' }))
    .rejects.toMatchObject({ code: 'InvalidToken' });

  const all = await h.history(arns[0]!);
  const rev = await h.api.getExecutionHistory({ executionArn: arns[0]!, reverseOrder: true, maxResults: 2 });
  expect(rev.events.map((e) => e.id)).toEqual([all.length, all.length - 1]);
  expect(rev.events[0]!.timestamp).toBeInstanceOf(Date);
  const rest = await h.api.getExecutionHistory({ executionArn: arns[0]!, reverseOrder: true, nextToken: rev.nextToken! });
  expect([...rev.events, ...rest.events].map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
  const meta = await h.api.getExecutionHistory({ executionArn: arns[0]!, includeExecutionData: false });
  expect(meta.events[0]!.executionStartedEventDetails).toMatchObject({ inputDetails: { included: false } });
  expect(meta.events[0]!.executionStartedEventDetails).not.toHaveProperty('input');
});

it('StartSyncExecution runs EXPRESS machines in process; STANDARD refused', async () => {
  const r = await h.api.createStateMachine({
    name: 'express', type: 'EXPRESS', roleArn: role,
    definition: JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('echo'), Next: 'W' }, W: { Type: 'Wait', Seconds: 1, End: true } } }),
  });
  const out = await h.api.startSyncExecution({ stateMachineArn: r.stateMachineArn, input: '{"x":1}' });
  expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"x":1}' });
  expect(out.executionArn).toContain(':express:express:');
  const std = await h.createStateMachine('standard', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  await expect(h.api.startSyncExecution({ stateMachineArn: std })).rejects.toMatchObject({
    code: 'StateMachineTypeNotSupported', message: 'This operation is not supported by this type of state machine',
  });
});

it('activities and tags', async () => {
  const a = await h.api.createActivity({ name: 'act', tags: [{ key: 'k', value: 'v' }] });
  expect((await h.api.createActivity({ name: 'act' })).activityArn).toBe(a.activityArn);
  expect(await h.api.describeActivity({ activityArn: a.activityArn })).toMatchObject({ name: 'act' });
  expect((await h.api.listActivities({})).activities.map((x) => x.name)).toContain('act');
  await h.api.tagResource({ resourceArn: a.activityArn, tags: [{ key: 'k2', value: 'v2' }] });
  await h.api.untagResource({ resourceArn: a.activityArn, tagKeys: ['k'] });
  expect((await h.api.listTagsForResource({ resourceArn: a.activityArn })).tags).toEqual([{ key: 'k2', value: 'v2' }]);
  await expect(h.api.tagResource({ resourceArn: a.activityArn.replace(/act$/, 'zzz'), tags: [] })).rejects.toMatchObject({ code: 'ResourceNotFound' });
  await h.api.deleteActivity({ activityArn: a.activityArn });
  await expect(h.api.describeActivity({ activityArn: a.activityArn })).rejects.toMatchObject({ code: 'ActivityDoesNotExist' });
});
