/**
 * A real `baton server` (Postgres + Redis) and a `baton worker` with its probe port, driven by the real SDK
 * through executions that succeed, fail, time out, are stopped, and call an activity, a Lambda function (legacy
 * ARN) and a service integration (lambda:invoke, on a wire-level Lambda stand-in). Their /metrics are scraped and
 * read with a Prometheus text parser: Step Functions' metric set per state machine, the task families, Baton's
 * own gauges; /metrics wants the API key; /readyz and /healthz answer on both ports; the process log is JSON
 * lines with the same keys, REST requests included, and never a secret or a whole task token. The Grafana
 * dashboard and the Prometheus alert rules in deploy/ reference only metrics found in these scrapes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportedMetricFamilies } from '@baton/observability';
import { clearRedisPrefix, createTestDatabase, REDIS_URL, testPrefix, type TestDatabase } from '../support/database.js';
import { dashboardExpressions, metricNames, ruleExpressions } from './support/monitoring-files.js';
import { histogramCount, ROOT, scrape, startRole, value, type Role, type Scrape } from './support/scrape.js';

const SECRET = 'metrics-secret-0123456789abcdef';
const API_KEY = 'metrics-api-key-0123456789';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/demo';
let db: TestDatabase;
const prefix = testPrefix('metrics');
let lambda: Server;
let server: Role;
let worker: Role;
let apiUrl: string;
let probeUrl: string;
let sfn: S.SFNClient;
let taskToken = '';

beforeAll(async () => {
  db = await createTestDatabase('metrics');
  // The Lambda Invoke API: `echo` returns its payload, `boom` fails as an unhandled function error.
  lambda = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString() || '{}';
      if (decodeURIComponent(req.url ?? '').includes('boom')) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Amz-Function-Error': 'Unhandled' })
          .end(JSON.stringify({ errorType: 'Error', errorMessage: 'boom' }));
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      }
    });
  });
  await new Promise<void>((r) => lambda.listen(0, '127.0.0.1', r));
  const env = {
    DATABASE_URL: db.url, REDIS_URL, BATON_QUEUE_PREFIX: prefix, BATON_ACCESS_KEYS: `AKIDMETRICS:${SECRET}`,
    AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as AddressInfo).port}`, AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDLAMBDA', AWS_SECRET_ACCESS_KEY: 'lambda-secret-key', LOG_LEVEL: 'debug',
  };
  server = startRole('server', { ...env, BATON_API_KEYS: API_KEY, BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0' });
  apiUrl = String((await server.line('listening')).url);
  worker = startRole('worker', { ...env, BATON_PROBE_PORT: '0', BATON_PROBE_HOST: '127.0.0.1' });
  probeUrl = String((await worker.line('probes listening')).url);
  sfn = new S.SFNClient({ endpoint: apiUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDMETRICS', secretAccessKey: SECRET }, maxAttempts: 1 });
}, 60_000);

afterAll(async () => {
  sfn?.destroy();
  await server?.stop();
  await worker?.stop();
  await new Promise((r) => lambda?.close(r));
  await db?.drop();
  await clearRedisPrefix(prefix);
});

async function machine(name: string, definition: object): Promise<string> {
  const r = await sfn.send(new S.CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }));
  return r.stateMachineArn!;
}

async function run(arn: string, input: object = {}): Promise<string> {
  return (await sfn.send(new S.StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }))).executionArn!;
}

async function closed(executionArn: string): Promise<string> {
  let status = 'RUNNING';
  await expect.poll(async () => (status = (await sfn.send(new S.DescribeExecutionCommand({ executionArn }))).status!), { timeout: 60_000, interval: 100 })
    .not.toBe('RUNNING');
  return status;
}

const scrapeBoth = async (): Promise<Scrape[]> => [
  await scrape(`${apiUrl}/metrics`, { Authorization: `Bearer ${API_KEY}` }),
  await scrape(`${probeUrl}/metrics`),
];

describe('metrics, probes and logs of running roles', () => {
  let scrapes: Scrape[] = [];
  let activityArn = '';

  it('counts executions and tasks per state machine, as Step Functions names them', async () => {
    const ok = await machine('m-ok', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const fail = await machine('m-fail', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'on purpose' } } });
    const slow = await machine('m-timeout', { TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const stop = await machine('m-abort', { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    activityArn = (await sfn.send(new S.CreateActivityCommand({ name: 'm-activity' }))).activityArn!;
    const act = await machine('m-activity', { StartAt: 'A', States: { A: { Type: 'Task', Resource: activityArn, End: true } } });
    const fn = await machine('m-lambda', { StartAt: 'L', States: { L: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:echo', End: true } } });
    const fnFail = await machine('m-lambda-fail', { StartAt: 'L', States: { L: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:boom', End: true } } });
    const svc = await machine('m-service', {
      StartAt: 'I', States: { I: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'echo', 'Payload.$': '$' }, End: true } },
    });

    const runs = [await run(ok), await run(ok), await run(ok), await run(fail), await run(fail), await run(slow), await run(fn), await run(fnFail), await run(svc)];
    const aborted = await run(stop);
    await sfn.send(new S.StopExecutionCommand({ executionArn: aborted }));
    const activityRun = await run(act, { job: 1 });
    const task = await sfn.send(new S.GetActivityTaskCommand({ activityArn, workerName: 'metrics-test' }));
    taskToken = task.taskToken!;
    expect(taskToken.length).toBeGreaterThan(16);
    await sfn.send(new S.SendTaskSuccessCommand({ taskToken, output: '{"done":true}' }));
    const statuses = await Promise.all([...runs, aborted, activityRun].map(closed));
    expect(statuses).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'FAILED', 'FAILED', 'TIMED_OUT', 'SUCCEEDED', 'FAILED', 'SUCCEEDED', 'ABORTED', 'SUCCEEDED']);

    // Task metrics are recorded just after the commit that appended their events: poll until they are all in.
    await expect.poll(async () => {
      scrapes = await scrapeBoth();
      return value(scrapes, 'baton_activities_succeeded_total', { state_machine: 'm-activity' });
    }, { timeout: 20_000, interval: 200 }).toBe(1);
    await expect.poll(async () => {
      scrapes = await scrapeBoth();
      return value(scrapes, 'baton_service_integrations_succeeded_total', { state_machine: 'm-service' });
    }, { timeout: 20_000, interval: 200 }).toBe(1);
    const sm = (state_machine: string) => ({ state_machine });
    expect(value(scrapes, 'baton_executions_started_total', sm('m-ok'))).toBe(3);
    expect(value(scrapes, 'baton_executions_succeeded_total', sm('m-ok'))).toBe(3);
    expect(value(scrapes, 'baton_executions_failed_total', sm('m-ok'))).toBe(0);
    expect(value(scrapes, 'baton_executions_throttled_total', sm('m-ok'))).toBe(0);
    expect(value(scrapes, 'baton_executions_failed_total', sm('m-fail'))).toBe(2);
    expect(value(scrapes, 'baton_executions_timed_out_total', sm('m-timeout'))).toBe(1);
    expect(value(scrapes, 'baton_executions_aborted_total', sm('m-abort'))).toBe(1);
    expect(value(scrapes, 'baton_executions_failed_total', sm('m-lambda-fail'))).toBe(1);
    expect(histogramCount(scrapes, 'baton_execution_time_seconds', sm('m-ok'))).toBe(3);
    expect(histogramCount(scrapes, 'baton_execution_time_seconds', { state_machine: 'm-timeout', status: 'TIMED_OUT' })).toBe(1);

    const activity = { state_machine: 'm-activity', resource: activityArn };
    for (const what of ['scheduled', 'started', 'succeeded']) expect(value(scrapes, `baton_activities_${what}_total`, activity), what).toBe(1);
    for (const what of ['schedule_time', 'run_time', 'time']) expect(histogramCount(scrapes, `baton_activity_${what}_seconds`, activity), what).toBe(1);

    const echo = { state_machine: 'm-lambda', resource: 'arn:aws:lambda:us-east-1:123456789012:function:echo' };
    for (const what of ['scheduled', 'started', 'succeeded']) expect(value(scrapes, `baton_lambda_functions_${what}_total`, echo), what).toBe(1);
    expect(value(scrapes, 'baton_lambda_functions_failed_total', { state_machine: 'm-lambda-fail' })).toBe(1);
    // A resource's series exist from its first task, at 0: its first failure is an increase.
    expect(value(scrapes, 'baton_lambda_functions_failed_total', echo)).toBe(0);
    expect(value(scrapes, 'baton_lambda_functions_timed_out_total', echo)).toBe(0);
    expect(histogramCount(scrapes, 'baton_lambda_function_run_time_seconds', echo)).toBe(1);

    const invoke = { state_machine: 'm-service', resource: 'arn:aws:states:::lambda:invoke' };
    for (const what of ['scheduled', 'started', 'succeeded']) expect(value(scrapes, `baton_service_integrations_${what}_total`, invoke), what).toBe(1);
    expect(histogramCount(scrapes, 'baton_service_integration_time_seconds', invoke)).toBe(1);

    for (const h of ['baton_execution_time_seconds', 'baton_activity_run_time_seconds', 'baton_transition_duration']) {
      expect(scrapes.some((s) => s.histograms.has(h)), h).toBe(true);
    }
  }, 120_000);

  it("reports Baton's own gauges: backlog, oldest signal, timers, pool, Redis, reconciler", async () => {
    const [api, probe] = scrapes;
    for (const s of [api!, probe!]) {
      for (const kind of ['transition', 'task', 'activity']) expect(value([s], 'baton_queue_backlog', { kind })).toBeGreaterThanOrEqual(0);
      expect(value([s], 'baton_signal_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(value([s], 'baton_timers_due')).toBeGreaterThanOrEqual(0);
      expect(value([s], 'baton_timers_late')).toBe(0);
      expect(value([s], 'baton_redis_up')).toBe(1);
      expect(value([s], 'baton_pg_pool_max')).toBe(10);
      expect(value([s], 'baton_pg_pool_connections', { state: 'idle' })).toBeGreaterThanOrEqual(0);
    }
    expect(value(scrapes, 'baton_transitions_committed_total')).toBeGreaterThan(10);
    expect(value(scrapes, 'baton_timers_fired_total')).toBeGreaterThanOrEqual(1);
    // Everything scraped under baton_ is declared in @baton/observability (dashboards and alerts read that list).
    const declared = new Set(exportedMetricFamilies());
    const scraped = new Set(scrapes.flatMap((s) => [...s.families.keys()]).filter((n) => n.startsWith('baton_')));
    expect([...scraped].filter((n) => !declared.has(n))).toEqual([]);
  });

  it('answers /metrics on the API port only with an API key', async () => {
    const bare = await fetch(`${apiUrl}/metrics`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${apiUrl}/metrics`, { headers: { Authorization: 'Bearer not-the-key-at-all-0000' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ code: 'UnrecognizedClientException' });
  });

  it('answers /healthz and /readyz on the API port and the probe port', async () => {
    for (const base of [apiUrl, probeUrl]) {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { postgres: { ok: true }, migrations: { ok: true }, redis: { ok: true } } });
    }
    expect((await fetch(`${probeUrl}/nothing`)).status).toBe(404);
  });

  it('logs JSON lines with the same keys in every role, REST requests too, and no secret or whole task token', async () => {
    const rest = await fetch(`${apiUrl}/v1/state-machines`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    expect(rest.status).toBe(200);
    await expect.poll(() => server.lines().some((l) => l.message === 'request' && l.path === '/v1/state-machines' && l.status === 200)).toBe(true);
    for (const role of [server, worker]) {
      const lines = role.lines();
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) {
        expect(Object.keys(l).slice(0, 3)).toEqual(['level', 'time', 'role']);
        expect(typeof l.message).toBe('string');
        expect(['debug', 'info', 'warn', 'error']).toContain(l.level);
      }
      const text = role.stderr();
      for (const secret of [SECRET, API_KEY, 'lambda-secret-key', taskToken]) expect(text).not.toContain(secret);
    }
    expect(server.lines().some((l) => l.message === 'request' && typeof l.action === 'string' && l.action === 'StartExecution')).toBe(true);
  });

  it('the Grafana dashboard and the alert rules in deploy/ reference only metrics Baton exports', () => {
    const scraped = new Set(scrapes.flatMap((s) => [...s.families.keys()]));
    const histograms = new Set(scrapes.flatMap((s) => [...s.histograms]));
    const exported = (name: string): boolean => {
      const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
      return base !== undefined && histograms.has(base) ? true : scraped.has(name) && !histograms.has(name);
    };
    const dashboard = dashboardExpressions(`${ROOT}deploy/grafana/baton-dashboard.json`);
    const rules = ruleExpressions(`${ROOT}deploy/prometheus/baton-alerts.yaml`);
    expect(rules.alerts).toEqual(expect.arrayContaining(['BatonExecutionsFailed', 'BatonExecutionThrottled', 'BatonExecutionTimeP99High', 'BatonBacklogHigh']));
    const referenced = new Map<string, string>();
    for (const { where, expr } of [...dashboard.items, ...rules.items]) {
      const names = metricNames(where, expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const n of names) referenced.set(n, where);
    }
    expect(referenced.size).toBeGreaterThan(30);
    expect([...referenced].filter(([n]) => !exported(n)).map(([n, where]) => `${n} (${where})`)).toEqual([]);
  });
});
