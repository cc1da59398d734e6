/**
 * The REST routes the web console uses, over HTTP against the real engine on Postgres + BullMQ (authentication
 * on): reading state machines and executions, the bounded search, events by id, answering a waiting task by its
 * id, stopping and redriving; the console's session cookie and CSRF token; the console's files and their caching headers.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID, REST_KEY, SECRET_KEY, startEngineStack, type EngineStack } from './support/engine-stack.js';

const consoleDir = mkdtempSync(join(tmpdir(), 'baton-console-dist-'));
mkdirSync(join(consoleDir, 'assets'));
writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app-abc123.js"></script>');
writeFileSync(join(consoleDir, 'assets', 'app-abc123.js'), `console.log(${JSON.stringify('x'.repeat(4000))});`);

let stack: EngineStack;
let sfn: S.SFNClient;
let activityArn: string;
let smArn: string;

beforeAll(async () => {
  stack = await startEngineStack('postgres', {}, { consoleDirectory: consoleDir });
  sfn = new S.SFNClient({ endpoint: stack.url, region: 'us-east-1', credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY }, maxAttempts: 1 });
  activityArn = (await sfn.send(new S.CreateActivityCommand({ name: 'review' }))).activityArn!;
  smArn = (await sfn.send(new S.CreateStateMachineCommand({
    name: 'review-flow', roleArn: 'arn:aws:iam::123456789012:role/r',
    definition: JSON.stringify({ StartAt: 'Review', States: { Review: { Type: 'Task', Resource: activityArn, End: true } } }),
  }))).stateMachineArn!;
});
afterAll(async () => {
  sfn?.destroy();
  await stack?.stop();
});

async function rest(method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${REST_KEY}` }) {
  const res = await fetch(`${stack.url}${path}`, {
    method, redirect: 'manual',
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}
const enc = encodeURIComponent;

describe('reading and operating routes', () => {
  it('lists and describes state machines by name or ARN', async () => {
    const list = await rest('GET', '/v1/state-machines');
    expect(list.status).toBe(200);
    expect(list.body.stateMachines).toContainEqual({ stateMachineArn: smArn, name: 'review-flow', type: 'STANDARD', creationDate: expect.any(String) });
    const byName = await rest('GET', '/v1/state-machines/review-flow');
    const byArn = await rest('GET', `/v1/state-machines/${enc(smArn)}`);
    expect(byName.body).toEqual(byArn.body);
    expect(JSON.parse(byArn.body.definition).StartAt).toBe('Review');
    expect((await rest('GET', '/v1/state-machines/nope')).body.code).toBe('StateMachineDoesNotExist');
    expect((await rest('GET', '/v1/state-machines')).status).toBe(200);
    expect((await rest('GET', '/v1/state-machines', undefined, {})).status).toBe(401);
  });

  it('answers a waiting activity by task id, never showing a token; a second answer is refused', async () => {
    const started = await rest('POST', `/v1/state-machines/${enc(smArn)}/executions`, { name: 'r-1', input: { doc: 7 } });
    expect(started.status).toBe(201);
    const arn = started.body.executionArn as string;
    let tasks: any[] = [];
    for (let i = 0; i < 100 && tasks.length === 0; i++) {
      tasks = (await rest('GET', `/v1/executions/${enc(arn)}/waiting-tasks`)).body.tasks;
      if (tasks.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(tasks).toEqual([{ taskId: expect.any(String), stateName: 'Review', resource: activityArn, kind: 'activity', started: false, path: [] }]);
    const path = `/v1/executions/${enc(arn)}/waiting-tasks/${enc(tasks[0].taskId)}`;
    expect((await rest('POST', `${path}/success`, {})).body.code).toBe('ValidationException');
    expect((await rest('POST', `${path}/success`, { output: { ok: 1 } })).status).toBe(200);
    const again = await rest('POST', `${path}/failure`, { error: 'E' });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('TaskDoesNotExist');
    let d = await rest('GET', `/v1/executions/${enc(arn)}`);
    for (let i = 0; i < 100 && d.body.status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      d = await rest('GET', `/v1/executions/${enc(arn)}`);
    }
    expect(d.body).toMatchObject({ status: 'SUCCEEDED', output: { ok: 1 } });

    const events = await rest('GET', `/v1/executions/${enc(arn)}/events?fromEventId=3&maxResults=2`);
    expect(events.body.lastEventId).toBe(7);
    expect(events.body.events.map((e: any) => [e.id, e.type])).toEqual([[3, 'ActivityScheduled'], [4, 'ActivityStarted']]);
    expect(typeof events.body.events[0].timestamp).toBe('string');
    expect((await rest('GET', `/v1/executions/${enc(arn)}/events?fromEventId=0`)).body.code).toBe('ValidationException');
    const def = await rest('GET', `/v1/executions/${enc(arn)}/definition`);
    expect(def.body).toMatchObject({ stateMachineArn: smArn, name: 'review-flow' });
  });

  it('searches with filters and refuses bad ones; stops an execution', async () => {
    const running = await rest('POST', '/v1/state-machines/review-flow/executions', { name: 'r-2', input: { orderId: 'A-17' } });
    const found = await rest('GET', `/v1/state-machines/review-flow/executions?input=${enc('orderId = A-17')}&status=RUNNING`);
    expect(found.body.executions.map((e: any) => e.name)).toEqual(['r-2']);
    expect(found.body.scanned).toBeGreaterThan(0);
    expect((await rest('GET', '/v1/state-machines/review-flow/executions?input=A-17')).body.executions.map((e: any) => e.name)).toEqual(['r-2']);
    expect((await rest('GET', '/v1/state-machines/review-flow/executions?name=R-')).body.executions).toHaveLength(2);
    for (const bad of ['status=DONE', 'startedAfter=yesterday', 'maxResults=0', 'cursor=abc']) {
      const r = await rest('GET', `/v1/state-machines/review-flow/executions?${bad}`);
      expect([r.status, r.body.code]).toEqual([400, 'ValidationException']);
    }
    const stopped = await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/stop`, { error: 'Manual', cause: 'by a test' });
    expect(stopped.status).toBe(200);
    expect((await rest('GET', `/v1/executions/${enc(running.body.executionArn)}`)).body).toMatchObject({
      status: 'ABORTED', error: 'Manual', redriveCount: 0, redriveStatus: 'REDRIVABLE',
    });

    // Redrive over REST: the stopped execution waits for its activity again; a second redrive is a conflict.
    const redriven = await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/redrive`, { clientToken: 'rest-1' });
    expect(redriven.status).toBe(200);
    expect(Date.parse(redriven.body.redriveDate)).not.toBeNaN();
    expect((await rest('GET', `/v1/executions/${enc(running.body.executionArn)}`)).body).toMatchObject({
      status: 'RUNNING', redriveCount: 1, redriveDate: redriven.body.redriveDate, redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });
    const again = await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/redrive`, { clientToken: 'rest-1' });
    expect(again.body).toEqual(redriven.body);
    const conflict = await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/redrive`, {});
    expect([conflict.status, conflict.body.code]).toEqual([409, 'ExecutionNotRedrivable']);
    const badToken = await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/redrive`, { clientToken: 'a b' });
    expect([badToken.status, badToken.body.code]).toEqual([400, 'ValidationException']);
    await rest('POST', `/v1/executions/${enc(running.body.executionArn)}/stop`, {});
  });

  it('describes the routes in /openapi.json', async () => {
    const doc = await rest('GET', '/openapi.json', undefined, {});
    for (const p of ['/v1/state-machines', '/v1/state-machines/{name}', '/v1/executions/{executionArn}/events', '/v1/executions/{executionArn}/waiting-tasks/{taskId}/success', '/v1/console/session']) {
      expect(Object.keys(doc.body.paths)).toContain(p);
    }
    expect(Object.keys(doc.body.paths['/v1/state-machines/{name}/executions'])).toEqual(['get', 'post']);
  });
});

describe('console sessions', () => {
  it('signs in with an API key: an HttpOnly SameSite=Strict cookie; state changes also need the CSRF token and this origin', async () => {
    expect((await rest('GET', '/v1/console/session', undefined, {})).status).toBe(401);
    const wrong = await rest('POST', '/v1/console/session', { apiKey: 'wrong-key-wrong-key' }, {});
    expect([wrong.status, wrong.body.code]).toEqual([401, 'UnrecognizedClientException']);
    const signed = await rest('POST', '/v1/console/session', { apiKey: REST_KEY }, {});
    expect(signed.status).toBe(200);
    const setCookie = signed.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^baton_session=[^;]+; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain(REST_KEY);
    const cookie = setCookie.split(';')[0]!;
    const csrf = signed.body.csrfToken as string;
    expect((await rest('GET', '/v1/console/session', undefined, { cookie })).body).toEqual({ mode: 'session', csrfToken: csrf, expiresAt: expect.any(String) });
    expect((await rest('GET', '/v1/state-machines', undefined, { cookie })).status).toBe(200);

    const start = (headers: Record<string, string>) => rest('POST', '/v1/state-machines/review-flow/executions', { input: {} }, headers);
    expect((await start({ cookie })).status).toBe(403);
    expect((await start({ cookie, 'x-baton-csrf': 'forged' })).status).toBe(403);
    expect((await start({ cookie, 'x-baton-csrf': csrf, origin: 'https://evil.example' })).body.code).toBe('AccessDeniedException');
    expect((await start({ cookie, 'x-baton-csrf': csrf, origin: stack.url })).status).toBe(201);
    // A tampered cookie is no session.
    expect((await rest('GET', '/v1/state-machines', undefined, { cookie: cookie.slice(0, -3) + 'abc' })).status).toBe(401);
    const out = await rest('DELETE', '/v1/console/session', undefined, { cookie });
    expect(out.headers.get('set-cookie')).toMatch(/^baton_session=; Path=\/; Max-Age=0;/);
  });
});

describe('console files', () => {
  it('serves the page no-cache with a CSP, hashed assets immutable and gzip, and routes every console path to the page', async () => {
    const redirect = await fetch(`${stack.url}/console`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([308, '/console/']);
    for (const path of ['/console/', `/console/executions/${enc('arn:aws:states:us-east-1:123456789012:execution:a:b')}`]) {
      const page = await fetch(`${stack.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await page.text()).toContain('app-abc123.js');
    }
    const asset = await fetch(`${stack.url}/console/assets/app-abc123.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${stack.url}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${stack.url}/console/assets/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
    // Outside developer mode GET / is the AWS API's, not a redirect.
    expect((await fetch(`${stack.url}/`, { redirect: 'manual' })).status).toBe(404);
  });
});
