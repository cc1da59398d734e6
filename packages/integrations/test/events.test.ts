import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { CallbackBook, runWithInvoker } from './support/run-with-invoker.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  await emu?.close();
});

const putEvents = (entries: JsonObject[], resource = 'arn:aws:states:::events:putEvents'): JsonObject => ({
  StartAt: 'Put', States: { Put: { Type: 'Task', Resource: resource, Parameters: { Entries: entries }, End: true } },
});
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:orders:run-1';

describe('events:putEvents', () => {
  it('sends the entries with Detail as JSON text and the state machine and execution ARNs in Resources', async () => {
    const r = await runWithInvoker(putEvents([
      { Source: 'orders', DetailType: 'Placed', Detail: { id: 7 } },
      { Source: 'orders', DetailType: 'Noted', Detail: '{"note": "as text"}', Resources: ['arn:aws:s3:::bucket'] },
    ]), emu.invoker(), { executionArn: EXECUTION });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as JsonObject;
    expect(Object.keys(out).sort()).toEqual(['Entries', 'FailedEntryCount']);
    expect(out.FailedEntryCount).toBe(0);
    expect((out.Entries as JsonObject[]).map((e) => typeof e.EventId)).toEqual(['string', 'string']);
    const sent = emu.eventBridge.events.slice(-2);
    const machine = 'arn:aws:states:us-east-1:123456789012:stateMachine:orders';
    expect(sent.map((e) => [e.Detail, e.Resources])).toEqual([
      ['{"id":7}', [machine, EXECUTION]],
      ['{"note": "as text"}', ['arn:aws:s3:::bucket', machine, EXECUTION]],
    ]);
  });

  it('a response with failed entries fails the task with EventBridge.FailedEntry, the response as the cause', async () => {
    const def: JsonObject = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'orders', Detail: { id: 1 } }] },
          Catch: [{ ErrorEquals: ['EventBridge.FailedEntry'], Next: 'Caught' }], Next: 'Done',
        },
        Caught: { Type: 'Pass', End: true },
        Done: { Type: 'Pass', End: true },
      },
    };
    const r = await runWithInvoker(def, emu.invoker());
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as JsonObject).Error).toBe('EventBridge.FailedEntry');
    expect(JSON.parse(String((r.output as JsonObject).Cause))).toEqual({
      Entries: [{ ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' }],
      FailedEntryCount: 1,
    });
  });

  it('service errors are EventBridge.<Exception>', async () => {
    const r = await runWithInvoker(putEvents([{ Source: 's', DetailType: 'd', Detail: {}, EventBusName: 'missing-bus' }]), emu.invoker());
    expect(r).toMatchObject({ status: 'FAILED', error: 'EventBridge.ResourceNotFoundException' });
    expect(r.cause).toMatch(/^Event bus missing-bus does not exist\. \(Service: AmazonEventBridge; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [\w-]+; Proxy: null\)$/);
  });

  it('.waitForTaskToken sends the token in the event and waits for the callback', async () => {
    const callbacks = new CallbackBook();
    const def = putEvents([{ Source: 'approvals', DetailType: 'Approve', 'Detail': { 'token.$': '$$.Task.Token' } }], 'arn:aws:states:::events:putEvents.waitForTaskToken');
    const r = await runWithInvoker(def, emu.invoker(), {
      callbacks,
      onSubmitted: () => {
        const token = JSON.parse(emu.eventBridge.events.at(-1)!.Detail).token as string;
        callbacks.succeed(token, { approved: true });
      },
    });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { approved: true } });
  });
});

describe('aws-sdk:eventbridge:*', () => {
  it('putEvents as the SDK sends it: no Resources added, errors EventBridge.<Exception>', async () => {
    const sdk = (params: JsonObject): JsonObject => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:eventbridge:putEvents', Parameters: params, End: true } } });
    const r = await runWithInvoker(sdk({ Entries: [{ Source: 'sdk', DetailType: 'Plain', Detail: '{"a":1}' }] }), emu.invoker());
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as JsonObject).FailedEntryCount).toBe(0);
    expect(emu.eventBridge.events.at(-1)).toMatchObject({ Source: 'sdk', Resources: [] });
    const bad = await runWithInvoker(sdk({ Entries: [] }), emu.invoker());
    expect(bad).toMatchObject({ status: 'FAILED', error: 'EventBridge.EventBridgeException' });
    expect(bad.cause).toMatch(/\(Service: EventBridge, Status Code: 400, Request ID: [\w-]+\)$/);
  });
});
