import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { CallbackBook, runWithInvoker, taskRequest } from './support/run-with-invoker.js';
import { FunctionError } from './servers/lambda-server.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  emu.lambda.define('echo', (event) => ({ echoed: event }));
  emu.lambda.define('validator', (event) => {
    const e = event as { amount?: number };
    if (typeof e.amount !== 'number') throw new FunctionError('ValidationFailed', 'amount is required');
    return { valid: true };
  });
});
afterAll(async () => {
  await emu?.close();
});

const invokeTask = (extra: JsonObject = {}): JsonObject => ({
  StartAt: 'Call',
  States: {
    Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName.$': '$.fn', 'Payload.$': '$.payload' }, End: true, ...extra },
  },
});

describe('lambda:invoke', () => {
  it('returns the Invoke response with the parsed payload and HTTP metadata', async () => {
    const r = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'echo', payload: { n: 1, s: 'x' } } });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as any;
    expect(out.Payload).toEqual({ echoed: { n: 1, s: 'x' } });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(out.SdkHttpMetadata.HttpHeaders['X-Amz-Executed-Version']).toBe('$LATEST');
    expect(out.SdkResponseMetadata.RequestId).toBe(out.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']);
    expect(emu.lambda.invocations.at(-1)?.payloadText).toBe('{"n":1,"s":"x"}');
  });

  it('sends a string Payload as it is (JSON text), as AWS does; other values as their JSON text', async () => {
    const r = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'echo', payload: 'true' } });
    expect(emu.lambda.invocations.at(-1)?.payloadText).toBe('true');
    expect((r.output as any).Payload).toEqual({ echoed: true });
    const text = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'echo', payload: '"HelloWorld"' } });
    expect((text.output as any).Payload).toEqual({ echoed: 'HelloWorld' });
    const notJson = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'echo', payload: 'hello' } });
    expect(notJson).toMatchObject({ status: 'FAILED', error: 'Lambda.InvalidRequestContentException' });
  });

  it('names a function error after its errorType, with the payload as the cause, and Catch sees it', async () => {
    const def = invokeTask({ Catch: [{ ErrorEquals: ['ValidationFailed'], ResultPath: '$.error', Next: 'Rejected' }], End: undefined, Next: 'Done' } as unknown as JsonObject);
    (def.States as any).Call.End = undefined;
    delete (def.States as any).Call.End;
    (def.States as any).Rejected = { Type: 'Pass', End: true };
    (def.States as any).Done = { Type: 'Succeed' };
    const r = await runWithInvoker(def, emu.invoker(), { input: { fn: 'validator', payload: {} } });
    expect(r.status).toBe('SUCCEEDED');
    const error = (r.output as any).error;
    expect(error.Error).toBe('ValidationFailed');
    const cause = JSON.parse(error.Cause);
    expect(cause).toMatchObject({ errorType: 'ValidationFailed', errorMessage: 'amount is required' });
    expect(typeof cause.requestId).toBe('string');
  });

  it('names a missing function Lambda.ResourceNotFoundException with the AWS cause format', async () => {
    const r = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'no-such-fn', payload: {} } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Lambda.ResourceNotFoundException');
    expect(r.cause).toMatch(
      /^Function not found: arn:aws:lambda:us-east-1:\d{12}:function:no-such-fn:\$LATEST \(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: [\w-]+; Proxy: null\)$/,
    );
  });

  it('retries a throttled invoke (Lambda.TooManyRequestsException) with the definition Retry rule', async () => {
    emu.lambda.define('busy', () => 'done');
    emu.lambda.failNext('busy', 2, 'throttle');
    const def = invokeTask({ Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3 }] });
    const r = await runWithInvoker(def, emu.invoker(), { input: { fn: 'busy', payload: {} } });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).Payload).toBe('done');
    const failures = r.events.filter((e) => e.type === 'TaskFailed').map((e: any) => e.taskFailedEventDetails.error);
    expect(failures).toEqual(['Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException']);
    expect(emu.lambda.invocations.filter((i) => i.functionName === 'busy')).toHaveLength(3);
  });

  it('fails with Lambda.ServiceException on a 500 when no Retry covers it', async () => {
    emu.lambda.define('flaky', () => 'ok');
    emu.lambda.failNext('flaky', 1, 'service');
    const r = await runWithInvoker(invokeTask(), emu.invoker(), { input: { fn: 'flaky', payload: {} } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Lambda.ServiceException');
    expect(r.cause).toContain('Status Code: 500; Error Code: ServiceException');
  });

  it('.waitForTaskToken invokes the function and completes with the callback output', async () => {
    const callbacks = new CallbackBook();
    emu.lambda.define('approver', (event) => {
      const { token, amount } = event as { token: string; amount: number };
      setTimeout(() => callbacks.succeed(token, { approved: amount < 100 }), 5);
      return null;
    });
    const def: JsonObject = {
      StartAt: 'Approve',
      States: {
        Approve: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'approver', Payload: { 'token.$': '$$.Task.Token', 'amount.$': '$.amount' } },
          End: true,
        },
      },
    };
    const r = await runWithInvoker(def, emu.invoker(), { input: { amount: 42 }, callbacks });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ approved: true });
    const sent = JSON.parse(emu.lambda.invocations.filter((i) => i.functionName === 'approver').at(-1)!.payloadText);
    expect(typeof sent.token).toBe('string');
    expect(sent.token.length).toBeGreaterThan(10);
  });

  it('a legacy function ARN resource passes the input as the payload and returns the payload', async () => {
    const def: JsonObject = { StartAt: 'F', States: { F: { Type: 'Task', Resource: emu.lambda.functionArn('echo'), End: true } } };
    const r = await runWithInvoker(def, emu.invoker(), { input: { hello: 'world' } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ echoed: { hello: 'world' } });
    expect(r.events.map((e) => e.type)).toContain('LambdaFunctionSucceeded');
  });

  it('times a hung call out through the request handler (Lambda.SdkClientException) and honours an abort', async () => {
    emu.lambda.define('hang', () => new Promise((resolve) => setTimeout(() => resolve('late'), 2_000)));
    const invoker = emu.invoker({ requestTimeoutMs: 150 });
    const task = { kind: 'scheduleTask', taskId: 'k1', runId: 'r', stateName: 'S', resource: 'arn:aws:states:::lambda:invoke', family: 'service', pattern: 'request-response', parameters: { FunctionName: 'hang' }, attempt: 0 } as const;
    const req = taskRequest(task, 'us-east-1', 'arn:aws:states:us-east-1:123456789012:execution:m:e');
    const timedOut = await invoker.invoke(req, new AbortController().signal);
    expect(timedOut).toMatchObject({ kind: 'failed', error: 'Lambda.SdkClientException' });
    expect((timedOut as { cause: string }).cause).toMatch(/^Unable to execute HTTP request: /);

    const controller = new AbortController();
    const pending = emu.invoker().invoke(req, controller.signal);
    setTimeout(() => controller.abort(new Error('cancelled by the engine')), 50);
    await expect(pending).rejects.toThrow('cancelled by the engine');
  });

  it('calls at once on one client each get their own response, HTTP metadata and abort', async () => {
    // The client caches its middleware stack (call-scope.ts): what a call keeps must not cross to another one.
    emu.lambda.define('delayed', (event, context) => new Promise((resolve) => {
      const { n, ms } = event as { n: number; ms: number };
      setTimeout(() => resolve({ n, requestId: context.requestId }), ms);
    }));
    const invoker = emu.invoker();
    const request = (n: number, ms: number) => taskRequest(
      { kind: 'scheduleTask', taskId: `k${n}`, runId: 'r', stateName: 'S', resource: 'arn:aws:states:::lambda:invoke', family: 'service', pattern: 'request-response', parameters: { FunctionName: 'delayed', Payload: { n, ms } }, attempt: 0 },
      'us-east-1', 'arn:aws:states:us-east-1:123456789012:execution:m:e');
    const aborted = new AbortController();
    const cancelled = invoker.invoke(request(99, 400), aborted.signal);
    // Later calls answer first: each call's metadata must still be its own.
    const calls = Array.from({ length: 20 }, (_, n) => invoker.invoke(request(n, 20 * (20 - n)), new AbortController().signal));
    setTimeout(() => aborted.abort(new Error('cancelled by the engine')), 30);
    await expect(cancelled).rejects.toThrow('cancelled by the engine');
    const results = await Promise.all(calls);
    results.forEach((r, n) => {
      expect(r).toMatchObject({ kind: 'succeeded' });
      const out = (r as { output: any }).output;
      expect(out.Payload.n).toBe(n);
      expect(out.SdkResponseMetadata.RequestId).toBe(out.Payload.requestId);
      expect(out.SdkHttpMetadata.HttpHeaders['x-amzn-RequestId']).toBe(out.Payload.requestId);
    });
  });
});
