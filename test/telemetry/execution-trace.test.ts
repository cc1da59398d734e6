/**
 * One trace per execution, across processes: executions are started through a `baton api` process (the
 * `@aws-sdk/client-sfn` client, a middleware adding the caller's W3C `traceparent`; or the X-Ray `traceHeader`
 * member), run first on one `baton worker` process (exporting OTLP http/json) which is stopped while the
 * executions wait, then finished on a second one (OTLP http/protobuf); all export to a real OTLP/HTTP receiver.
 * Every span of an execution has the caller's trace id; the root span (emitted by the second worker at the end,
 * with the ids stored at the start) has the API's server span for the StartExecution request as parent, itself a
 * child of the caller's span; transitions, task attempts and (with `tracingConfiguration.enabled` only) states are
 * the root's children, and so is the Wait's timer (scheduled on A, fired while A was stopped). The Lambda stand-in sees the task attempt's
 * `traceparent` and `X-Amzn-Trace-Id`. The workers also deliver execution logs (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).
 * Needs the build (`npx tsc -b`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { resolve } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanNames, TelemetryAttributes as A } from '@baton/observability';
import { Harness } from '../engine/support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';
import { CloudWatchLogsServer } from './support/cloudwatch-logs-server.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const XRAY_ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const XRAY_PARENT = '53995c3f42cd8ad8';
const GROUP = '/aws/vendedlogs/states/traced';
const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:hello';

const definition = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: 1, ResultPath: '$.prepared', Next: 'Call' },
    Call: { Type: 'Task', Resource: FUNCTION, ResultPath: '$.first', Next: 'Nap' },
    Nap: { Type: 'Wait', Seconds: 2, Next: 'Again' },
    Again: { Type: 'Task', Resource: FUNCTION, ResultPath: '$.second', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

let h: Harness;
let api: ChildProcess;
const SECRET = 'trace-test-secret-0123456789';
let sfn: S.SFNClient;
let otlp: OtlpReceiver;
let cwl: CloudWatchLogsServer;
let lambda: Server;
const lambdaHeaders: IncomingHttpHeaders[] = [];
const children: ChildProcess[] = [];
let traced = '';
let plain = '';
let spans: ReceivedSpan[] = [];
let apiUrl = '';
let timer: ReturnType<Harness['api']['newTimerService']> | undefined;

function spawnRole(role: 'worker' | 'api', name: string, protocol: string): { child: ChildProcess; started: Promise<void>; stderr: () => string } {
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), role], {
    env: {
      BATON_ACCESS_KEYS: `AKIDTRACE:${SECRET}`, BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0',
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_RECONCILE_INTERVAL_MS: '300', BATON_WORKER_ID: name, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${(lambda.address() as { port: number }).port}`,
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cwl.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_SERVICE_NAME: name,
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  const started = new Promise<void>((ok, fail) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('"message":"started"')) ok();
      // One JSON object per line (pino): the API's listening line carries its URL.
      const line = err.split('\n').find((l) => l.includes('"message":"listening"'));
      const url = line ? (JSON.parse(line) as { url?: string }).url : undefined;
      if (url) apiUrl = url;
    });
    child.on('exit', (code) => fail(new Error(`worker ${name} exited ${code}:\n${err}`)));
  });
  return { child, started, stderr: () => err };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  expect(code).toBe(0);
}

async function entered(executionArn: string, type: string): Promise<void> {
  await h.waitFor(`${type} in ${executionArn}`, async () => ((await h.types(executionArn)).includes(type) ? true : undefined), 30_000);
}

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  cwl = await new CloudWatchLogsServer().start();
  cwl.groups.add(GROUP);
  lambda = createServer((req, res) => {
    lambdaHeaders.push(req.headers);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true })));
  });
  lambda.listen(0, '127.0.0.1');
  await once(lambda, 'listening');
  // No timer service yet: the test starts one once worker A has stopped, so that the Wait's timer (2 s) cannot fire
  // while A still runs, however slow the machine (it would then consume it, and the execution would end on A).
  h = await Harness.start({ label: 'exec_trace', workers: 0, timers: 0 });
  const role = spawnRole('api', 'api', 'http/json');
  api = role.child;
  await role.started;
  sfn = new S.SFNClient({ endpoint: apiUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTRACE', secretAccessKey: SECRET }, maxAttempts: 1 });
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  sfn?.destroy();
  await timer?.stop();
  await h?.stop();
  lambda?.close();
  await otlp?.close();
  await cwl?.close();
});

describe('one trace per execution across worker processes', () => {
  it('runs the executions on worker A, then (A stopped mid-execution) on worker B', async () => {
    const a = spawnRole('worker', 'worker-a', 'http/json');
    await a.started;
    const role = 'arn:aws:iam::123456789012:role/test';
    const tracedSm = await sfn.send(new S.CreateStateMachineCommand({
      name: 'traced', roleArn: role, definition: JSON.stringify(definition), tracingConfiguration: { enabled: true },
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*` } }] },
    }));
    const plainSm = await sfn.send(new S.CreateStateMachineCommand({ name: 'plain', roleArn: role, definition: JSON.stringify(definition) }));
    // The caller's trace context rides on the HTTP request, as an instrumented client sends it.
    const withTraceparent = new S.SFNClient({ endpoint: apiUrl, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTRACE', secretAccessKey: SECRET }, maxAttempts: 1 });
    withTraceparent.middlewareStack.add((next) => (args) => {
      (args.request as { headers: Record<string, string> }).headers.traceparent = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
      return next(args);
    }, { step: 'build', name: 'callerTraceparent' });
    traced = (await withTraceparent.send(new S.StartExecutionCommand({ stateMachineArn: tracedSm.stateMachineArn, name: 'one' }))).executionArn!;
    withTraceparent.destroy();
    plain = (await sfn.send(new S.StartExecutionCommand({
      stateMachineArn: plainSm.stateMachineArn, name: 'two', traceHeader: `Root=${XRAY_ROOT};Parent=${XRAY_PARENT};Sampled=1`,
    }))).executionArn!;
    await entered(traced, 'WaitStateEntered');
    await entered(plain, 'WaitStateEntered');
    await stop(a.child); // flushes its spans
    timer = h.api.newTimerService({ maxSleepMs: 200 });
    await timer.start();

    const b = spawnRole('worker', 'worker-b', 'http/protobuf');
    await b.started;
    expect((await h.finished(traced, 30_000)).status).toBe('SUCCEEDED');
    expect((await h.finished(plain, 30_000)).status).toBe('SUCCEEDED');
    await expect.poll(() => cwl.messages().some((m) => m.execution_arn === traced && m.type === 'ExecutionSucceeded'), { timeout: 20_000 }).toBe(true);
    await stop(b.child);
    await stop(api);
    spans = otlp.spans;
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['api', 'worker-a', 'worker-b']));
    expect(new Set(spans.map((s) => `${s.service}:${s.encoding}`))).toEqual(new Set(['api:json', 'worker-a:json', 'worker-b:protobuf']));
  }, 90_000);

  it('every span of the execution is in the caller\'s trace; the root continues the caller\'s request', async () => {
    const mine = spans.filter((s) => s.attributes[A.ExecutionArn] === traced);
    expect(new Set(mine.map((s) => s.traceId))).toEqual(new Set([CALLER_TRACE]));
    const roots = mine.filter((s) => s.name === SpanNames.Execution);
    expect(roots).toHaveLength(1);
    const root = roots[0]!;
    // The API's server span for the StartExecution request (HTTP instrumentation), a child of the caller's span.
    const request = spans.find((s) => s.spanId === root.parentSpanId)!;
    expect(request).toMatchObject({ service: 'api', traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN });
    // The request's Postgres queries and its Redis commands (the queue's) are its children (pg, ioredis instrumentations).
    const underRequest = spans.filter((s) => s.parentSpanId === request.spanId);
    expect(underRequest.some((s) => s.attributes['db.system.name'] === 'postgresql')).toBe(true);
    expect(underRequest.some((s) => s.attributes['db.system.name'] === 'redis')).toBe(true);
    expect(root.attributes).toMatchObject({ [A.ExecutionStatus]: 'SUCCEEDED', [A.ExecutionName]: 'one' });
    expect(root.service).toBe('worker-b');
    // The ids drawn at StartExecution and stored with the execution.
    const c = new pg.Client({ connectionString: h.db.url });
    await c.connect();
    const row = (await c.query<{ trace_context: string; trace_caller_span_id: string }>('SELECT trace_context, trace_caller_span_id FROM executions WHERE arn = $1', [traced])).rows[0]!;
    await c.end();
    expect(row).toEqual({ trace_context: `00-${CALLER_TRACE}-${root.spanId}-01`, trace_caller_span_id: request.spanId });
    // The root spans the execution: from its start date to its end (the last transition's span outlasts it by its commit).
    const d = await h.api.describeExecution({ executionArn: traced });
    expect([root.startNs, root.endNs]).toEqual([d.startDate.getTime(), d.stopDate!.getTime()].map((t) => BigInt(t) * 1_000_000n));
    // Compared in whole milliseconds: the root ends at the stop date, which has millisecond resolution, and an eager
    // task's call can end within the millisecond its outcome's step reads the clock.
    const ms = (ns: bigint) => ns / 1_000_000n;
    for (const s of mine.filter((x) => x.name !== SpanNames.Transition)) expect(ms(s.endNs) <= ms(root.endNs), s.name).toBe(true);

    const transitions = mine.filter((s) => s.name === SpanNames.Transition);
    const tasks = mine.filter((s) => s.name === SpanNames.Task);
    const timers = mine.filter((s) => s.name === SpanNames.Timer);
    const states = mine.filter((s) => !([SpanNames.Execution, SpanNames.Transition, SpanNames.Task, SpanNames.Timer] as string[]).includes(s.name));
    expect(new Set(transitions.map((s) => s.service))).toEqual(new Set(['worker-a', 'worker-b']));
    expect(tasks.map((s) => s.attributes[A.StateName]).sort()).toEqual(['Again', 'Call']);
    expect(states.map((s) => s.name).sort()).toEqual(['Again', 'Call', 'Done', 'Nap', 'Prepare']);
    expect(states.find((s) => s.name === 'Nap')!.attributes).toMatchObject({ [A.StateName]: 'Nap', [A.StateType]: 'Wait' });
    for (const s of [...transitions, ...tasks, ...states, ...timers]) expect(s.parentSpanId).toBe(root.spanId);
    // The Wait's timer: scheduled on worker A, fired by the timer role while A was stopped, consumed on worker B.
    expect(timers.map((s) => [s.service, s.attributes[A.TimerPurpose], s.attributes[A.StateName]])).toEqual([['worker-b', 'wait', 'Nap']]);
    // The Wait's span runs from worker A's commit to worker B's: entered before A stopped, exited on B.
    const nap = states.find((s) => s.name === 'Nap')!;
    const napEvents = (await h.history(traced)).filter((e) => e.type === 'WaitStateEntered' || e.type === 'WaitStateExited');
    expect([nap.startNs, nap.endNs]).toEqual(napEvents.map((e) => BigInt(e.timestamp.getTime()) * 1_000_000n));
  });

  it('without tracingConfiguration.enabled: execution-level spans only; an X-Ray traceHeader is continued', () => {
    const mine = spans.filter((s) => s.attributes[A.ExecutionArn] === plain);
    const xrayTrace = XRAY_ROOT.slice(2).replace('-', '');
    expect(new Set(mine.map((s) => s.traceId))).toEqual(new Set([xrayTrace]));
    const root = mine.find((s) => s.name === SpanNames.Execution)!;
    expect(root.parentSpanId).toBe(XRAY_PARENT);
    expect(new Set(mine.map((s) => s.name))).toEqual(new Set([SpanNames.Execution, SpanNames.Transition, SpanNames.Task, SpanNames.Timer]));
    for (const s of mine.filter((x) => x !== root)) expect(s.parentSpanId).toBe(root.spanId);
  });

  it('task calls carry traceparent and X-Amzn-Trace-Id naming the task attempt\'s span', () => {
    const tracedTasks = spans.filter((s) => s.attributes[A.ExecutionArn] === traced && s.name === SpanNames.Task);
    const inTrace = new Set(spans.filter((s) => s.traceId === CALLER_TRACE).map((s) => s.spanId));
    const calls = lambdaHeaders.filter((hd) => String(hd.traceparent ?? '').includes(CALLER_TRACE));
    expect(calls).toHaveLength(2);
    for (const hd of calls) {
      const [, trace, parent, flags] = String(hd.traceparent).split('-');
      expect([trace, flags]).toEqual([CALLER_TRACE, '01']);
      // The task span itself, or the HTTP client span the HTTP instrumentation made under it.
      expect(inTrace.has(parent!)).toBe(true);
      const xray = String(hd['x-amzn-trace-id']);
      expect(xray).toMatch(new RegExp(`^Root=1-${CALLER_TRACE.slice(0, 8)}-${CALLER_TRACE.slice(8)};Parent=[0-9a-f]{16};Sampled=1$`));
      expect(tracedTasks.map((s) => s.spanId)).toContain(/Parent=([0-9a-f]{16})/.exec(xray)![1]);
    }
    const plainCalls = lambdaHeaders.filter((hd) => String(hd.traceparent ?? '').includes(XRAY_ROOT.slice(2).replace('-', '')));
    expect(plainCalls).toHaveLength(2);
  });

  it('the workers delivered the traced execution\'s logs (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS)', async () => {
    const logs = cwl.messages().filter((m) => m.execution_arn === traced);
    expect(logs.map((l) => Number(l.id)).sort((x, y) => x - y)).toEqual((await h.history(traced)).map((e) => e.id));
    expect(logs.every((l) => !('input' in (l.details as object)) && !('output' in (l.details as object)))).toBe(true);
  });
});
