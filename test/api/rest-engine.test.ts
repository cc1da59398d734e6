/**
 * The REST surface over the real engine, on Postgres + BullMQ (bearer key required) and on the embedded default
 * (developer mode: no key): a non-AWS client starts an execution by state machine name, answers its activity
 * task with the token in a JSON body, and reads the result.
 */
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID, BACKENDS, REST_KEY, SECRET_KEY, startEngineStack, type EngineStack } from './support/engine-stack.js';

describe.each(BACKENDS)('on %s', (backend) => {
  let stack: EngineStack;
  let sfn: S.SFNClient;

  beforeAll(async () => {
    stack = await startEngineStack(backend);
    sfn = new S.SFNClient({
      endpoint: stack.url,
      region: 'us-east-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
  });

  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${stack.url}${path}`, {
      method,
      headers: { ...(backend === 'postgres' ? { authorization: `Bearer ${REST_KEY}` } : {}), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  it('starts by name, completes a callback through REST and reads the output', async () => {
    const { activityArn } = await sfn.send(new S.CreateActivityCommand({ name: 'approve' }));
    const definition = JSON.stringify({
      StartAt: 'Ask',
      States: {
        Ask: { Type: 'Task', Resource: activityArn, ResultPath: '$.answer', Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    });
    await sfn.send(new S.CreateStateMachineCommand({ name: 'approval', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));

    const started = await rest('POST', '/v1/state-machines/approval/executions', { name: 'req-1', input: { order: 42 } });
    expect(started.status).toBe(201);
    const arn = started.body.executionArn as string;
    expect(arn).toBe('arn:aws:states:us-east-1:123456789012:execution:approval:req-1');

    let token: string | undefined;
    for (let i = 0; i < 100 && !token; i++) {
      token = (await sfn.send(new S.GetActivityTaskCommand({ activityArn }))).taskToken;
    }
    expect(token).toBeTruthy();
    expect((await rest('POST', '/v1/task/heartbeat', { taskToken: token })).status).toBe(200);
    expect((await rest('POST', '/v1/task/success', { taskToken: token, output: { approved: true } })).status).toBe(200);

    let execution = await rest('GET', `/v1/executions/${encodeURIComponent(arn)}`);
    for (let i = 0; i < 200 && execution.body.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      execution = await rest('GET', `/v1/executions/${encodeURIComponent(arn)}`);
    }
    expect(execution.status).toBe(200);
    expect(execution.body).toMatchObject({ status: 'SUCCEEDED', output: { order: 42, answer: { approved: true } } });

    const again = await rest('POST', '/v1/task/success', { taskToken: token, output: {} });
    expect(again).toEqual({ status: 404, body: { code: 'TaskDoesNotExist', message: expect.any(String) } });
    const garbage = await rest('POST', '/v1/task/failure', { taskToken: 'nope', error: 'E' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.code).toBe('InvalidToken');
    const unknown = await rest('GET', `/v1/executions/${encodeURIComponent(arn.replace('req-1', 'req-2'))}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('ExecutionDoesNotExist');
  });

  it('a new execution continues the caller\'s trace from the request\'s headers, over the AWS protocol and REST', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    await sfn.send(new S.CreateStateMachineCommand({ name: 'traced-start', definition, roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const caller = (n: number) => ({ traceId: String(n).repeat(32), spanId: String(n + 1).repeat(16) });
    const traced = new S.SFNClient({ endpoint: stack.url, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY }, maxAttempts: 1 });
    traced.middlewareStack.add((next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers.traceparent = `00-${caller(1).traceId}-${caller(1).spanId}-01`;
      return next(args);
    }, { step: 'build', name: 'callerTraceparent' });
    const viaAws = (await traced.send(new S.StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:traced-start`, name: 'aws' }))).executionArn!;
    traced.destroy();
    const viaRest = await fetch(`${stack.url}/v1/state-machines/traced-start/executions`, {
      method: 'POST',
      headers: {
        ...(backend === 'postgres' ? { authorization: `Bearer ${REST_KEY}` } : {}), 'content-type': 'application/json',
        'X-Amzn-Trace-Id': `Root=1-${caller(3).traceId.slice(0, 8)}-${caller(3).traceId.slice(8)};Parent=${caller(3).spanId};Sampled=1`,
      },
      body: JSON.stringify({ name: 'rest' }),
    });
    expect(viaRest.status).toBe(201);
    const plain = (await sfn.send(new S.StartExecutionCommand({ stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:traced-start`, name: 'plain' }))).executionArn!;
    const stored = async (arn: string) => {
      const r = await stack.store.executions.getByArn(arn);
      return { traceId: r!.traceContext!.split('-')[1], caller: r!.traceCallerSpanId };
    };
    expect(await stored(viaAws)).toEqual({ traceId: caller(1).traceId, caller: caller(1).spanId });
    expect(await stored(((await viaRest.json()) as { executionArn: string }).executionArn)).toEqual({ traceId: caller(3).traceId, caller: caller(3).spanId });
    const fresh = await stored(plain);
    expect(fresh.caller).toBeNull();
    expect([caller(1).traceId, caller(3).traceId]).not.toContain(fresh.traceId);
  });
});
