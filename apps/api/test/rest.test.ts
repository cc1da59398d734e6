/**
 * The REST surface and its OpenAPI document, against the in-test InMemoryBackend (the API layer only): bearer
 * keys, routes turned into Step Functions actions, errors as {code, message} with REST statuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { API_KEY, startServer, type Harness } from './support/harness.js';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
let h: Harness;
let backend: InMemoryBackend;

beforeAll(async () => {
  backend = new InMemoryBackend();
  h = await startServer(backend);
  await backend.createStateMachine({ name: 'orders', definition: PASS, roleArn: 'arn:aws:iam::123456789012:role/r' });
});
afterAll(() => h.close());

async function call(method: string, path: string, body?: unknown, key: string | null = API_KEY) {
  const res = await fetch(`${h.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('OpenAPI', () => {
  it('serves an OpenAPI 3.1 document describing every route', async () => {
    const res = await fetch(`${h.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/v1/console/session',
      '/v1/executions/{executionArn}',
      '/v1/executions/{executionArn}/definition',
      '/v1/executions/{executionArn}/events',
      '/v1/executions/{executionArn}/redrive',
      '/v1/executions/{executionArn}/stop',
      '/v1/executions/{executionArn}/waiting-tasks',
      '/v1/executions/{executionArn}/waiting-tasks/{taskId}/failure',
      '/v1/executions/{executionArn}/waiting-tasks/{taskId}/success',
      '/v1/state-machines',
      '/v1/state-machines/{name}',
      '/v1/state-machines/{name}/executions',
      '/v1/task/failure',
      '/v1/task/heartbeat',
      '/v1/task/success',
    ]);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const p of ['/v1/task/success', '/v1/task/failure', '/v1/task/heartbeat']) {
      expect(doc.paths[p].post.requestBody.content['application/json'].schema.required).toContain('taskToken');
      expect(doc.paths[p].post.parameters).toBeUndefined();
    }
  });
});

describe('bearer keys', () => {
  it('refuses a missing key with 401 MissingAuthenticationToken', async () => {
    const r = await call('GET', '/v1/executions/x', undefined, null);
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(r.body.code).toBe('MissingAuthenticationToken');
  });

  it('refuses an unknown key with 401 UnrecognizedClientException', async () => {
    const r = await call('GET', '/v1/executions/x', undefined, 'not-the-right-key-000000');
    expect(r.status).toBe(401);
    expect(r.body.code).toBe('UnrecognizedClientException');
  });
});

describe('routes', () => {
  it('starts an execution by state machine name and reads it back', async () => {
    const started = await call('POST', '/v1/state-machines/orders/executions', { name: 'o-1', input: { id: 7 } });
    expect(started.status).toBe(201);
    expect(started.body.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:orders:o-1');
    expect(new Date(started.body.startDate).toISOString()).toBe(started.body.startDate);
    expect(backend.calls.at(-1)).toEqual({
      method: 'startExecution',
      input: { stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:orders', name: 'o-1', input: '{"id":7}' },
    });
    const read = await call('GET', `/v1/executions/${encodeURIComponent(started.body.executionArn)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: 'o-1', status: 'RUNNING', input: { id: 7 }, stateMachineArn: expect.stringContaining(':orders') });
    const plain = await call('GET', `/v1/executions/${started.body.executionArn}`);
    expect(plain.body.executionArn).toBe(started.body.executionArn);
  });

  it('maps errors to {code, message} with REST statuses', async () => {
    const missing = await call('POST', '/v1/state-machines/nobody/executions', {});
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      code: 'StateMachineDoesNotExist',
      message: "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:nobody'",
    });
    const badName = await call('POST', `/v1/state-machines/${encodeURIComponent('a:b')}/executions`, {});
    expect(badName.status).toBe(400);
    expect(badName.body).toEqual({ code: 'InvalidName', message: "Invalid Name: 'a:b'" });
    const long = await call('POST', '/v1/state-machines/orders/executions', { name: 'n'.repeat(81) });
    expect(long.body.code).toBe('ValidationException');
    expect(long.body.message).toContain("at 'name' failed to satisfy constraint: Member must have length less than or equal to 80");
    const notJson = await call('POST', '/v1/state-machines/orders/executions', '{oops');
    expect(notJson.body.code).toBe('SerializationException');
    const unknown = await call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
  });

  it('sends task success, failure and heartbeat with the token in the body', async () => {
    const token = 'tok-'.padEnd(300, 'x');
    expect((await call('POST', '/v1/task/success', { taskToken: token, output: { ok: true } })).status).toBe(200);
    expect(backend.calls.at(-1)).toEqual({ method: 'sendTaskSuccess', input: { taskToken: token, output: '{"ok":true}' } });
    expect((await call('POST', '/v1/task/failure', { taskToken: token, error: 'E', cause: 'C' })).status).toBe(200);
    expect(backend.calls.at(-1)).toEqual({ method: 'sendTaskFailure', input: { taskToken: token, error: 'E', cause: 'C' } });
    expect((await call('POST', '/v1/task/heartbeat', { taskToken: token })).status).toBe(200);
    expect(backend.calls.at(-1)).toEqual({ method: 'sendTaskHeartbeat', input: { taskToken: token } });
    const noOutput = await call('POST', '/v1/task/success', { taskToken: token });
    expect(noOutput.status).toBe(400);
    expect(noOutput.body.message).toBe(
      "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null",
    );
    const wrongMethod = await call('GET', '/v1/task/success');
    expect(wrongMethod.status).toBe(400);
  });
});
