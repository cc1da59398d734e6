/**
 * Developer mode (authentication off) is not a cross-site target: requests are sent as a browser or an attacker
 * would send them, byte for byte over node:http (fetch cannot set Host or Origin), against the real ApiServer.
 * A foreign Host (DNS rebinding), a foreign or `null` Origin, and a write without a JSON content type (the
 * `text/plain` POST a page can send cross-site without a preflight) are refused and reach no backend method;
 * loopback Hosts, the server's own Origin (the console) and JSON content types keep working, and so does the SDK.
 */
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiServer } from '../src/index.js';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { rawHttp } from './support/harness.js';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:dev';
let backend: InMemoryBackend;
let server: ApiServer;
let port = 0;

beforeAll(async () => {
  backend = new InMemoryBackend();
  server = new ApiServer({ backend, auth: { mode: 'off' }, developerMode: true });
  port = (await server.listen(0, '127.0.0.1')).port;
  await backend.createStateMachine({ name: 'dev', definition: PASS, roleArn: 'arn:aws:iam::123456789012:role/r' });
});
afterAll(() => server.close());

const raw = (method: string, path: string, headers: Record<string, string>, body = '') => rawHttp(port, method, path, headers, body);

const own = () => `127.0.0.1:${port}`;
const startBody = (name: string) => JSON.stringify({ stateMachineArn: SM, name, input: '{"pwned":true}' });
const started = () => backend.calls.filter((c) => c.method === 'startExecution').map((c) => (c.input as { name?: string }).name);
const aws = (action: string) => ({ 'x-amz-target': `AWSStepFunctions.${action}` });

describe('cross-site requests in developer mode', () => {
  it('refuses the text/plain POST a foreign page sends (foreign Origin and Host), and starts nothing', async () => {
    const r = await raw('POST', '/', {
      host: 'attacker.example', origin: 'http://attacker.example', 'content-type': 'text/plain;charset=UTF-8', ...aws('StartExecution'),
    }, startBody('cross-site'));
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('AccessDeniedException');
    expect(r.body.message).toMatch(/^Host "attacker\.example" is not a loopback name/);
    expect(started()).not.toContain('cross-site');
  });

  it('refuses a foreign Host even with a JSON body and no Origin (DNS rebinding), on every surface', async () => {
    for (const host of ['rebind.attacker.example:' + port, 'localhost.attacker.example', '127.0.0.1.nip.io', 'localhost.', '0.0.0.0', '[::2]', '']) {
      const r = await raw('POST', '/', { host, 'content-type': 'application/x-amz-json-1.0', ...aws('StartExecution') }, startBody('rebound'));
      expect(r.status, host).toBe(400);
      expect(r.body.__type, host).toBe('AccessDeniedException');
    }
    const rest = await raw('GET', '/v1/executions/x', { host: 'rebind.attacker.example' });
    expect(rest).toMatchObject({ status: 403, body: { code: 'AccessDeniedException' } });
    const page = await raw('GET', '/openapi.json', { host: 'rebind.attacker.example' });
    expect(page.status).toBe(403);
    expect(started()).not.toContain('rebound');
  });

  it("refuses an Origin that is not the server's own, and the opaque origin `null`", async () => {
    for (const origin of ['http://attacker.example', 'null', `http://localhost:${port + 1}`, `http://127.0.0.1:${port}.attacker.example`, `ftp://127.0.0.1:${port}`, 'not a url']) {
      const r = await raw('POST', '/', { host: own(), origin, 'content-type': 'application/x-amz-json-1.0', ...aws('StartExecution') }, startBody('foreign-origin'));
      expect(r.status, origin).toBe(400);
      expect(r.body.__type, origin).toBe('AccessDeniedException');
      expect(r.body.message, origin).toContain("is not this server's own origin");
    }
    const rest = await raw('POST', '/v1/state-machines/dev/executions', { host: own(), origin: 'http://attacker.example', 'content-type': 'application/json' }, '{}');
    expect(rest).toMatchObject({ status: 403, body: { code: 'AccessDeniedException' } });
    expect(started()).not.toContain('foreign-origin');
  });

  it('refuses a write without a JSON content type, on the AWS protocol and on REST', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const headers = { host: own(), ...aws('StartExecution'), ...(contentType ? { 'content-type': contentType } : {}) };
      const r = await raw('POST', '/', headers, startBody('no-json'));
      expect(r.status, String(contentType)).toBe(415);
      expect(r.body.__type).toBe('UnsupportedMediaTypeException');
      const rest = await raw('POST', '/v1/state-machines/dev/executions', { host: own(), ...(contentType ? { 'content-type': contentType } : {}) }, '{"name":"no-json"}');
      expect(rest).toMatchObject({ status: 415, body: { code: 'UnsupportedMediaTypeException' } });
    }
    expect(started()).not.toContain('no-json');
  });

  it('serves loopback Hosts with or without a port, and same-origin requests as the console sends them', async () => {
    const hosts = ['localhost', `localhost:${port}`, 'LOCALHOST', '127.0.0.1', own(), '127.1.2.3:9', '[::1]', `[::1]:${port}`];
    for (const [i, host] of hosts.entries()) {
      const r = await raw('POST', '/', { host, 'content-type': 'application/x-amz-json-1.0', ...aws('StartExecution') }, startBody(`ok-${i}`));
      expect(r.status, `${host}: ${JSON.stringify(r.body)}`).toBe(200);
    }
    const console1 = await raw('POST', '/v1/state-machines/dev/executions', {
      host: `localhost:${port}`, origin: `http://localhost:${port}`, 'content-type': 'application/json',
    }, '{"name":"from-console"}');
    expect(console1.status).toBe(201);
    const console2 = await raw('POST', '/', {
      host: `[::1]:${port}`, origin: `http://[::1]:${port}`, 'content-type': 'application/json; charset=utf-8', ...aws('StartExecution'),
    }, startBody('from-console-aws'));
    expect(console2.status).toBe(200);
    const read = await raw('GET', `/v1/executions/${encodeURIComponent(`${SM.replace('stateMachine', 'execution')}:from-console`)}`, {
      host: `localhost:${port}`, origin: `http://localhost:${port}`,
    });
    expect(read.status).toBe(200);
    const amz11 = await raw('POST', '/', { host: own(), 'content-type': 'application/x-amz-json-1.1', ...aws('ListStateMachines') }, '{}');
    expect(amz11.status).toBe(200);
    expect(started()).toEqual(expect.arrayContaining([...hosts.map((_, i) => `ok-${i}`), 'from-console', 'from-console-aws']));
  });

  it('keeps serving the AWS SDK, whatever loopback name it is pointed at', async () => {
    for (const endpoint of [`http://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const sdk = new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
      try {
        const out = await sdk.send(new ListStateMachinesCommand({}));
        expect(out.stateMachines?.map((m) => m.name)).toEqual(['dev']);
      } finally {
        sdk.destroy();
      }
    }
  });
});
