import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { CallbackBook, runWithInvoker } from './support/run-with-invoker.js';

const CHILD_OK = 'arn:aws:states:us-east-1:123456789012:stateMachine:child-ok';
const CHILD_FAIL = 'arn:aws:states:us-east-1:123456789012:stateMachine:child-fail';
const CHILD_TOKEN = 'arn:aws:states:us-east-1:123456789012:stateMachine:child-token';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  emu.sfn.defineStateMachine(CHILD_OK, { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'got.$': '$' }, End: true } } });
  emu.sfn.defineStateMachine(CHILD_FAIL, { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'SomeFailure', Cause: 'child says no' } } });
  emu.sfn.defineStateMachine(CHILD_TOKEN, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
});
afterAll(async () => {
  await emu?.sfn.settled();
  await emu?.close();
});

const start = (suffix: string, arn: string, extra: JsonObject = {}): JsonObject => ({
  StartAt: 'Start',
  States: {
    Start: { Type: 'Task', Resource: `arn:aws:states:::states:startExecution${suffix}`, Parameters: { StateMachineArn: arn, 'Input.$': '$.childInput', 'Name.$': '$.name' }, End: true, ...extra },
    Handled: { Type: 'Pass', End: true },
  },
});

describe('states:startExecution', () => {
  it('request-response returns ExecutionArn and StartDate with HTTP metadata', async () => {
    const r = await runWithInvoker(start('', CHILD_OK), emu.invoker(), { input: { childInput: { a: 1 }, name: 'rr' } });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).ExecutionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:child-ok:rr');
    expect(typeof (r.output as any).StartDate).toBe('number');
    expect((r.output as any).SdkHttpMetadata.HttpStatusCode).toBe(200);
  });

  it('.sync waits for the child and returns DescribeExecution with Output as JSON text, redrive fields kept', async () => {
    const r = await runWithInvoker(start('.sync', CHILD_OK), emu.invoker(), { input: { childInput: { a: 1 }, name: 'sync1' } });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as any;
    expect(out).toMatchObject({ Status: 'SUCCEEDED', Input: '{"a":1}', Output: '{"got":{"a":1}}', Name: 'sync1', StateMachineArn: CHILD_OK });
    // As AWS records it since redrive exists (test_sfn_start_execution_sync[SFN_SYNC], 2025).
    expect(out).toMatchObject({ RedriveCount: 0, RedriveStatus: 'NOT_REDRIVABLE', RedriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
  });

  it('.sync:2 returns Input and Output parsed', async () => {
    const r = await runWithInvoker(start('.sync:2', CHILD_OK), emu.invoker(), { input: { childInput: { b: 2 }, name: 'sync2' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ Status: 'SUCCEEDED', Input: { b: 2 }, Output: { got: { b: 2 } } });
  });

  it('.sync of a failing child fails with States.TaskFailed and the description as the cause (caught)', async () => {
    const def = start('.sync', CHILD_FAIL, { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Handled' }], Next: 'Handled' });
    delete (def.States as any).Start.End;
    const r = await runWithInvoker(def, emu.invoker(), { input: { childInput: {}, name: 'fails' } });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).Error).toBe('States.TaskFailed');
    expect(JSON.parse((r.output as any).Cause)).toMatchObject({ Status: 'FAILED', Error: 'SomeFailure', Cause: 'child says no' });
  });

  it('an unknown state machine is StepFunctions.StateMachineDoesNotExistException', async () => {
    const r = await runWithInvoker(start('', `${CHILD_OK}-nope`), emu.invoker(), { input: { childInput: {}, name: 'x' } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'StepFunctions.StateMachineDoesNotExistException' });
    expect(r.cause).toMatch(/^State Machine Does Not Exist: '.*' \(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; /);
  });

  it('.waitForTaskToken starts the child with the token and waits for the callback', async () => {
    const callbacks = new CallbackBook();
    const def: JsonObject = {
      StartAt: 'Start',
      States: { Start: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken', Parameters: { StateMachineArn: CHILD_TOKEN, Input: { 'token.$': '$$.Task.Token' } }, End: true } },
    };
    const r = await runWithInvoker(def, emu.invoker(), {
      callbacks,
      onSubmitted: (_task, output) => {
        const child = emu.sfn.executions.get((output as any).ExecutionArn)!;
        callbacks.succeed(JSON.parse(child.input).token, { fromChild: true });
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ fromChild: true });
  });
});
