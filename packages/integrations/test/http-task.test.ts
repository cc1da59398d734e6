import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateConnectionCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { JsonObject } from '@baton/asl';
import type { ConnectionDefinition, TaskInvokerOptions } from '../src/index.js';
import { startEmulators, REGION, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';
import { startHttpEndpointServer, type HttpEndpointServer } from './servers/http-endpoint-server.js';

const KEY_ARN = 'arn:aws:events:us-east-1:123456789012:connection/api-key/1';
const BASIC_ARN = 'arn:aws:events:us-east-1:123456789012:connection/basic/2';
const OAUTH_ARN = 'arn:aws:events:us-east-1:123456789012:connection/oauth/3';
const SECRETS = ['k3y-v4lue-secret', 'p4ssw0rd-secret', 'cl13nt-secret', 'b0dy-param-secret'];

let emu: Emulators;
let api: HttpEndpointServer;
let connections: Record<string, ConnectionDefinition>;

beforeAll(async () => {
  [emu, api] = await Promise.all([startEmulators(), startHttpEndpointServer()]);
  api.oauth({ clientId: 'baton-client', clientSecret: SECRETS[2]!, expiresIn: 3600 });
  connections = {
    [KEY_ARN]: {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRETS[0]! },
        InvocationHttpParameters: {
          HeaderParameters: [{ Key: 'X-Tenant', Value: 'acme' }],
          QueryStringParameters: [{ Key: 'region', Value: 'from-connection' }],
          BodyParameters: [{ Key: 'signature', Value: SECRETS[3]!, IsValueSecret: true }],
        },
      },
    },
    [BASIC_ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'baton', Password: SECRETS[1]! } } },
    [OAUTH_ARN]: {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: {
        OAuthParameters: {
          ClientParameters: { ClientID: 'baton-client', ClientSecret: SECRETS[2]! },
          AuthorizationEndpoint: `${api.endpoint}/oauth/token`,
          HttpMethod: 'POST',
          OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'orders' }] },
        },
      },
    },
  };
  api.route('GET', '/orders', (req) => ({ headers: { 'content-type': 'application/json', 'x-seen': ['a', 'b'] }, body: JSON.stringify({ seen: req.query.get('status') }) }));
  api.route('POST', '/orders', () => ({ status: 201, statusText: 'Created', headers: { 'content-type': 'text/plain' }, body: 'made it' }));
  api.route('GET', '/missing', () => ({ status: 404, statusText: 'Not Found', headers: { 'content-type': 'application/json' }, body: '{"message":"no such order"}' }));
  api.route('GET', '/slow', () => ({ delayMs: 2_000, body: 'late' }));
  api.route('GET', '/protected', (req) => (api.hasValidToken(req) ? { body: 'inside' } : { status: 401, statusText: 'Unauthorized' }));
});
afterAll(async () => {
  await Promise.all([emu?.close(), api?.close()]);
});

const httpTask = (parameters: JsonObject): JsonObject => ({
  StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: parameters, End: true } },
});
const run = (parameters: JsonObject, options: Partial<TaskInvokerOptions> = {}) =>
  runWithInvoker(httpTask(parameters), emu.invoker({ connections, httpTimeoutMs: 1_000, ...options }));
const lastRequest = () => api.requests.at(-1)!;

describe('the HTTP Task', () => {
  it('GET with query parameters and headers: the output as AWS gives it, the connection\'s parameters merged in', async () => {
    const r = await run({
      ApiEndpoint: `${api.endpoint}/orders?page=2`, Method: 'GET', Authentication: { ConnectionArn: KEY_ARN },
      QueryParameters: { status: 'open', region: 'from-task' }, Headers: { 'X-Request': 'r-1', 'X-Tenant': 'task' },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ ResponseBody: { seen: 'open' }, StatusCode: 200, StatusText: 'OK' });
    expect((r.output as any).Headers['x-seen']).toEqual(['a', 'b']);
    expect((r.output as any).Headers['content-type']).toEqual(['application/json']);
    const req = lastRequest();
    expect(Object.fromEntries(req.query)).toEqual({ page: '2', status: 'open', region: 'from-connection' });
    expect(req.headers).toMatchObject({
      'x-api-key': SECRETS[0], 'x-tenant': 'acme', 'x-request': 'r-1', 'user-agent': `Amazon|StepFunctions|HttpInvoke|${REGION}`, range: 'bytes=0-262144',
    });
    expect(req.body).toBe('');
  });

  it('POST sends a JSON body with the connection\'s body parameters; a string body goes as it is; text answers stay text', async () => {
    const r = await run({ ApiEndpoint: `${api.endpoint}/orders`, Method: 'POST', Authentication: { ConnectionArn: KEY_ARN }, RequestBody: { item: 'pen', n: 2 } });
    expect(r.output).toMatchObject({ ResponseBody: 'made it', StatusCode: 201, StatusText: 'Created' });
    expect(lastRequest().headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(JSON.parse(lastRequest().body)).toEqual({ item: 'pen', n: 2, signature: SECRETS[3] });
    const raw = await run({ ApiEndpoint: `${api.endpoint}/orders`, Method: 'POST', Authentication: { ConnectionArn: BASIC_ARN }, RequestBody: 'plain text', Headers: { 'Content-Type': 'text/plain' } });
    expect(raw.status).toBe('SUCCEEDED');
    expect(lastRequest()).toMatchObject({ body: 'plain text', headers: { 'content-type': 'text/plain' } });
  });

  it('Transform URL_ENCODED writes arrays as INDICES (default), REPEAT, COMMAS or BRACKETS', async () => {
    const body = { array: ['a', 'b'], name: 'x y', nested: { k: 'v' } };
    const sent: Record<string, string> = {};
    for (const format of [undefined, 'REPEAT', 'COMMAS', 'BRACKETS']) {
      const transform = { RequestBodyEncoding: 'URL_ENCODED', ...(format ? { RequestEncodingOptions: { ArrayFormat: format } } : {}) };
      const r = await run({ ApiEndpoint: `${api.endpoint}/orders`, Method: 'POST', Authentication: { ConnectionArn: BASIC_ARN }, RequestBody: body, Transform: transform });
      expect(r.status).toBe('SUCCEEDED');
      expect(lastRequest().headers['content-type']).toBe('application/x-www-form-urlencoded');
      sent[format ?? 'INDICES'] = decodeURIComponent(lastRequest().body);
    }
    expect(sent).toEqual({
      INDICES: 'array[0]=a&array[1]=b&name=x y&nested[k]=v',
      REPEAT: 'array=a&array=b&name=x y&nested[k]=v',
      COMMAS: 'array=a,b&name=x y&nested[k]=v',
      BRACKETS: 'array[]=a&array[]=b&name=x y&nested[k]=v',
    });
  });

  it('BASIC sends Authorization: Basic; OAuth fetches a client-credentials token once, and renews it after a 401', async () => {
    await run({ ApiEndpoint: `${api.endpoint}/orders`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } });
    expect(lastRequest().headers.authorization).toBe(`Basic ${Buffer.from(`baton:${SECRETS[1]}`).toString('base64')}`);
    const invoker = emu.invoker({ connections });
    const call = () => runWithInvoker(httpTask({ ApiEndpoint: `${api.endpoint}/protected`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } }), invoker);
    expect((await call()).output).toMatchObject({ ResponseBody: 'inside', StatusCode: 200 });
    expect((await call()).output).toMatchObject({ ResponseBody: 'inside' });
    expect(api.tokenRequests).toHaveLength(1);
    const tokenRequest = api.tokenRequests[0]!;
    expect(tokenRequest.headers.authorization).toBe(`Basic ${Buffer.from(`baton-client:${SECRETS[2]}`).toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({ grant_type: 'client_credentials', scope: 'orders' });
    api.revokeTokens();
    expect((await call()).output).toMatchObject({ ResponseBody: 'inside' });
    expect(api.tokenRequests).toHaveLength(2);
  });

  it('a non-2xx answer is States.Http.StatusCode.<code>, retried and caught like any error', async () => {
    const before = api.requests.length;
    const def: JsonObject = {
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Next: 'Done',
          Parameters: { ApiEndpoint: `${api.endpoint}/missing`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } },
          Retry: [{ ErrorEquals: ['States.Http.StatusCode.404'], MaxAttempts: 2, IntervalSeconds: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        },
        Caught: { Type: 'Pass', End: true },
        Done: { Type: 'Pass', End: true },
      },
    };
    const r = await runWithInvoker(def, emu.invoker({ connections }));
    expect(api.requests.length - before).toBe(3);
    expect(r.status).toBe('SUCCEEDED');
    const caught = r.output as JsonObject;
    expect(caught.Error).toBe('States.Http.StatusCode.404');
    expect(JSON.parse(String(caught.Cause))).toMatchObject({ ResponseBody: { message: 'no such order' }, StatusCode: 404, StatusText: 'Not Found' });
  });

  it('a call past the time limit or failing on the socket is States.Http.Socket', async () => {
    const slow = await run({ ApiEndpoint: `${api.endpoint}/slow`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } }, { httpTimeoutMs: 200 });
    expect(slow).toMatchObject({ status: 'FAILED', error: 'States.Http.Socket' });
    expect(slow.cause).toContain(`GET ${api.endpoint}/slow timed out`);
    const closed = await startHttpEndpointServer();
    await closed.close();
    const refused = await run({ ApiEndpoint: `${closed.endpoint}/x`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } });
    expect(refused).toMatchObject({ status: 'FAILED', error: 'States.Http.Socket' });
    expect(refused.cause).toContain('ECONNREFUSED');
  });

  it('refuses what it cannot send, naming the field', async () => {
    const base = { ApiEndpoint: `${api.endpoint}/orders`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } };
    const cases: [JsonObject, string][] = [
      [{ ...base, Headers: { Authorization: 'Bearer mine' } }, "cannot set the header 'Authorization'"],
      [{ ...base, Headers: { 'x-amz-date': 'now' } }, "cannot set the header 'x-amz-date'"],
      [{ ...base, InvocationConfig: {} }, "'InvocationConfig'"],
      [{ ...base, Method: 'TRACE' }, 'Method must be one of'],
      [{ ...base, ApiEndpoint: 'ftp://example.com' }, 'ApiEndpoint must be an http(s) URL'],
      [{ ...base, ApiEndpoint: `${api.endpoint.replace('http://', 'http://me:pw@')}/orders` }, 'ApiEndpoint cannot carry user information'],
      [{ ...base, Method: 'POST', RequestBody: 'text', Transform: { RequestBodyEncoding: 'URL_ENCODED' } }, 'needs a JSON object RequestBody'],
      [{ ...base, Method: 'POST', RequestBody: { a: [{ b: 1 }] }, Transform: { RequestBodyEncoding: 'URL_ENCODED', RequestEncodingOptions: { ArrayFormat: 'COMMAS' } } }, 'COMMAS cannot encode'],
    ];
    for (const [params, message] of cases) {
      const r = await run(params);
      expect(r, message).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      expect(r.cause).toContain(message);
    }
    const unknown = await run({ ...base, Authentication: { ConnectionArn: 'arn:aws:events:us-east-1:123456789012:connection/other/9' } });
    expect(unknown).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(unknown.cause).toContain('is not configured in Baton');
  });

  it('resolves connections through EventBridge DescribeConnection and the connection\'s Secrets Manager secret', async () => {
    const events = new EventBridgeClient({ region: REGION, endpoint: emu.eventBridge.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const created = await events.send(new CreateConnectionCommand({
      Name: 'described', AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRETS[0] },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'X-Hidden', Value: SECRETS[3], IsValueSecret: true }, { Key: 'X-Shown', Value: 'shown' }] },
      },
    }));
    events.destroy();
    const params = { ApiEndpoint: `${api.endpoint}/orders`, Method: 'GET', Authentication: { ConnectionArn: created.ConnectionArn! } };
    const r = await run(params, { connections: {}, connectionLookup: true });
    expect(r.status).toBe('SUCCEEDED');
    expect(lastRequest().headers).toMatchObject({ 'x-api-key': SECRETS[0], 'x-hidden': SECRETS[3], 'x-shown': 'shown' });
    expect(emu.secretsManager.calls.at(-1)).toMatchObject({ action: 'GetSecretValue' });
    expect((await run(params, { connections: {} })).cause).toContain('lookup through EventBridge is off');
    emu.eventBridge.setConnectionState('described', 'DEAUTHORIZED');
    const deauthorized = await run(params, { connections: {}, connectionLookup: true });
    expect(deauthorized).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(deauthorized.cause).toContain('DEAUTHORIZED, not AUTHORIZED');
  });

  it('never puts a credential into a result, an error or a cause', async () => {
    const outcomes = [
      await run({ ApiEndpoint: `${api.endpoint}/missing`, Method: 'GET', Authentication: { ConnectionArn: KEY_ARN } }),
      await run({ ApiEndpoint: `${api.endpoint}/orders`, Method: 'GET', Authentication: { ConnectionArn: OAUTH_ARN } }),
      await run({ ApiEndpoint: `${api.endpoint}/slow`, Method: 'GET', Authentication: { ConnectionArn: BASIC_ARN } }, { httpTimeoutMs: 100 }),
    ];
    const text = JSON.stringify(outcomes);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(`baton:${SECRETS[1]}`).toString('base64'));
  });
});
