/**
 * A task's AWS calls are spans of the execution's trace: a `baton worker` process (telemetry on, OTLP
 * http/json to a real OTLP/HTTP receiver) runs Lambda, SQS and DynamoDB tasks against a wire-level stand-in of
 * the three services (AWS_ENDPOINT_URL; logs to a CloudWatch Logs stand-in in another region); each call is a `Service.Operation` span (the OpenTelemetry semantic
 * conventions for the AWS SDK; kind CLIENT, PRODUCER for an SQS message as the messaging conventions say) with `rpc.system` aws-api, `rpc.service`, `rpc.method` and `cloud.region`, whose
 * parent is its task attempt's span. The transitions' Postgres queries are children of their spans. Execution log
 * delivery (CloudWatch Logs) makes no span. Needs the build (`npx tsc -b`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpanNames, TelemetryAttributes as A } from '@baton/observability';
import { Harness } from '../engine/support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';
import { CloudWatchLogsServer } from './support/cloudwatch-logs-server.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

const REGION = 'eu-west-1';
const GROUP = '/aws/vendedlogs/states/aws-sdk-spans';
/** In another region than the execution's: the call goes to the queue's region. */
const QUEUE_REGION = 'ap-southeast-2';
const QUEUE = `https://sqs.${QUEUE_REGION}.amazonaws.com/123456789012/orders`;
// OTLP SpanKind: CLIENT, and PRODUCER for a message sent (the instrumentation follows the messaging conventions for SQS).
const CLIENT = 3;
const PRODUCER = 4;

const definition = {
  StartAt: 'Invoke',
  States: {
    Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'hello', Payload: { n: 1 } }, ResultPath: null, Next: 'Send' },
    Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: QUEUE, MessageBody: 'hi' }, ResultPath: null, Next: 'Put' },
    Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'orders', Item: { id: { S: '1' } } }, End: true },
  },
};

let h: Harness;
let otlp: OtlpReceiver;
let cwl: CloudWatchLogsServer;
let aws: Server;
/** What the stand-in was asked: `Lambda Invoke`, `SQS SendMessage`, `DynamoDB PutItem`. */
const calls: string[] = [];
let worker: ChildProcess | undefined;
let executionArn = '';
/** The execution's region (its ARN's), where its tasks' clients call. */
let taskRegion = '';
let spans: ReceivedSpan[] = [];

/** Lambda's REST-JSON Invoke, and the JSON 1.0 protocol of SQS and DynamoDB (the operation in X-Amz-Target). */
function awsStandIn(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.url?.startsWith('/2015-03-31/functions/')) {
        calls.push('Lambda Invoke');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else if (target === 'AmazonSQS.SendMessage') {
        calls.push('SQS SendMessage');
        const body = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { MessageBody: string }).MessageBody;
        json(200, { MessageId: 'm-1', MD5OfMessageBody: createHash('md5').update(body).digest('hex') });
      } else if (target === 'DynamoDB_20120810.PutItem') {
        calls.push('DynamoDB PutItem');
        json(200, {});
      } else {
        json(400, { __type: 'UnknownOperationException', message: `${req.method} ${req.url} ${target}` });
      }
    });
  });
}

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  cwl = await new CloudWatchLogsServer().start();
  cwl.groups.add(GROUP);
  aws = awsStandIn().listen(0, '127.0.0.1');
  await once(aws, 'listening');
  h = await Harness.start({ label: 'aws_sdk_spans', workers: 0, timers: 0 });
}, 60_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  await h?.stop();
  aws?.close();
  await otlp?.close();
  await cwl?.close();
});

describe('AWS SDK client spans of task calls', () => {
  it('runs Lambda, SQS and DynamoDB tasks on a worker process exporting its spans', async () => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), 'worker'], {
      env: {
        PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
        BATON_WORKER_ID: 'sdk-worker', AWS_REGION: REGION, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL: `http://127.0.0.1:${(aws.address() as { port: number }).port}`, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: cwl.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'sdk-worker',
        OTEL_METRIC_EXPORT_INTERVAL: '600000',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    worker = child;
    let err = '';
    await new Promise<void>((ok, fail) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (err.includes('"message":"started"')) ok();
      });
      child.on('exit', (code) => fail(new Error(`worker exited ${code}:\n${err}`)));
    });
    const sm = (await h.api.createStateMachine({
      name: 'calls', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/test',
      loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: `arn:aws:logs:${REGION}:123456789012:log-group:${GROUP}:*` } }] },
    })).stateMachineArn;
    executionArn = await h.start(sm);
    taskRegion = executionArn.split(':')[3]!;
    const done = await h.finished(executionArn, 30_000);
    expect(done.status, done.error ?? '').toBe('SUCCEEDED');
    expect(calls).toEqual(['Lambda Invoke', 'SQS SendMessage', 'DynamoDB PutItem']);
    // The logs were delivered, so any span of their delivery would have been made.
    await expect.poll(() => cwl.messages().some((m) => m.execution_arn === executionArn && m.type === 'ExecutionSucceeded'), { timeout: 20_000 }).toBe(true);
    const exited = once(child, 'exit');
    child.kill('SIGTERM'); // flushes its spans
    expect((await exited)[0]).toBe(0);
    spans = otlp.spans;
  }, 90_000);

  it('each call is a Service.Operation span, child of its task attempt\'s span', () => {
    const root = spans.find((s) => s.name === SpanNames.Execution && s.attributes[A.ExecutionArn] === executionArn)!;
    expect(root).toBeDefined();
    const tasks = spans.filter((s) => s.name === SpanNames.Task && s.attributes[A.ExecutionArn] === executionArn);
    expect(tasks.map((t) => t.attributes[A.StateName])).toEqual(['Invoke', 'Send', 'Put']);
    const sdk = spans.filter((s) => s.attributes['rpc.system'] === 'aws-api');
    expect(sdk.map((s) => s.name)).toEqual(['Lambda.Invoke', 'SQS.SendMessage', 'DynamoDB.PutItem']);
    expect(sdk.map((s) => s.kind)).toEqual([CLIENT, PRODUCER, CLIENT]);
    // The region each client called: the execution's for a function name and a table, the queue URL's for SQS.
    expect(taskRegion).not.toBe(QUEUE_REGION);
    expect(sdk.map((s) => s.attributes['cloud.region'])).toEqual([taskRegion, QUEUE_REGION, taskRegion]);
    sdk.forEach((s, i) => {
      const [service, method] = s.name.split('.');
      expect(s.attributes).toMatchObject({ 'rpc.service': service, 'rpc.method': method });
      expect(s.traceId).toBe(root.traceId);
      expect(s.parentSpanId).toBe(tasks[i]!.spanId);
    });
  });

  it('the transitions\' Postgres queries are children of their spans; log delivery makes no span', () => {
    const transitions = new Set(spans.filter((s) => s.name === SpanNames.Transition && s.attributes[A.ExecutionArn] === executionArn).map((s) => s.spanId));
    const queries = spans.filter((s) => s.attributes['db.system.name'] === 'postgresql' && transitions.has(s.parentSpanId));
    expect(queries.some((q) => String(q.attributes['db.query.text']).startsWith('INSERT INTO history_events'))).toBe(true);
    expect(spans.filter((s) => s.name.startsWith('CloudWatchLogs.') || s.attributes['rpc.service'] === 'CloudWatchLogs')).toEqual([]);
  });
});
