/**
 * The HTTP Task through the durable engine + API with the real invoker: connections of each authorization type
 * (API key, Basic, OAuth client credentials with a token renewed after a 401), a non-2xx answer caught, and an
 * in-memory span exporter registered before the engines are built. Then the proof that no credential (key,
 * password, client secret, secret body parameter, Basic header, OAuth token) is in the execution's history, its
 * output, what the engines and the API logged, or any span.
 */
import * as S from '@aws-sdk/client-sfn';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectionDefinition } from '@baton/integrations';
import { startHttpEndpointServer, type HttpEndpointServer } from '../../../packages/integrations/test/servers/http-endpoint-server.js';
import { startIntegrationStack, type IntegrationStack } from './support/integration-stack.js';

const SECRETS = { key: 'engine-api-key-value', password: 'engine-basic-password', client: 'engine-client-secret', body: 'engine-secret-body-param' };
const arn = (name: string) => `arn:aws:events:us-east-1:000000000000:connection/${name}/1`;

const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
let stack: IntegrationStack;
let api: HttpEndpointServer;

beforeAll(async () => {
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  api = await startHttpEndpointServer();
  api.oauth({ clientId: 'engine-client', clientSecret: SECRETS.client });
  api.route('POST', '/keyed', () => ({ headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }));
  api.route('GET', '/basic', () => ({ status: 404, statusText: 'Not Found', body: 'nothing here' }));
  api.route('GET', '/oauth', (req) => (api.hasValidToken(req) ? { body: 'authorised' } : { status: 401 }));
  const connections: Record<string, ConnectionDefinition> = {
    [arn('keyed')]: {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: SECRETS.key },
        InvocationHttpParameters: { BodyParameters: [{ Key: 'signature', Value: SECRETS.body, IsValueSecret: true }] },
      },
    },
    [arn('basic')]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'engine', Password: SECRETS.password } } },
    [arn('oauth')]: {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'engine-client', ClientSecret: SECRETS.client }, AuthorizationEndpoint: `${api.endpoint}/oauth/token`, HttpMethod: 'POST' } },
    },
  };
  stack = await startIntegrationStack({ label: 'http_task', invoker: { connections } });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await api?.close();
  await provider.shutdown();
  trace.disable();
});

const call = (name: string, method: string, path: string, extra: object) => ({
  Type: 'Task', Resource: 'arn:aws:states:::http:invoke', ResultPath: `$.${name}`,
  Parameters: { ApiEndpoint: `${api.endpoint}${path}`, Method: method, Authentication: { ConnectionArn: arn(name) } }, ...extra,
});

it('runs HTTP Tasks of every authorization type durably, and no credential reaches history, output, logs or spans', async () => {
  const sm = await stack.createStateMachine('http-task', {
    StartAt: 'Keyed',
    States: {
      Keyed: { ...call('keyed', 'POST', '/keyed', { Next: 'OAuth' }), Parameters: { ...call('keyed', 'POST', '/keyed', {}).Parameters, RequestBody: { order: 1 } } },
      OAuth: call('oauth', 'GET', '/oauth', { Next: 'Basic' }),
      Basic: call('basic', 'GET', '/basic', { Catch: [{ ErrorEquals: ['States.Http.StatusCode.404'], ResultPath: '$.caught', Next: 'Done' }], Next: 'Done' }),
      Done: { Type: 'Succeed' },
    },
  });
  const executionArn = await stack.start(sm, {});
  const done = await stack.finished(executionArn, 30_000);
  expect(done.status).toBe('SUCCEEDED');
  const output = JSON.parse(done.output!);
  expect(output.keyed).toMatchObject({ ResponseBody: { ok: true }, StatusCode: 200 });
  expect(output.oauth).toMatchObject({ ResponseBody: 'authorised', StatusCode: 200 });
  expect(output.caught.Error).toBe('States.Http.StatusCode.404');
  expect(JSON.parse(api.requests.find((r) => r.path === '/keyed')!.body)).toEqual({ order: 1, signature: SECRETS.body });

  await provider.forceFlush();
  const history = await stack.history(executionArn);
  const sent = api.requests.map((r) => String(r.headers.authorization ?? '')).filter((h) => h !== '');
  expect(sent.length).toBeGreaterThanOrEqual(2); // the Basic header and at least one bearer token
  const credentials = [...Object.values(SECRETS), ...sent.map((h) => h.replace(/^(Basic|Bearer) /, ''))];
  const visible = JSON.stringify({
    history,
    described: await stack.sfn.send(new S.DescribeExecutionCommand({ executionArn })),
    logs: stack.logs,
    spans: spans.getFinishedSpans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
  });
  expect(spans.getFinishedSpans().length).toBeGreaterThan(0);
  expect(visible).toContain(arn('keyed')); // the connection is named; what it holds is not
  for (const secret of credentials) expect(visible).not.toContain(secret);
}, 60_000);
