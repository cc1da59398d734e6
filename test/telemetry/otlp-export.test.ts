/**
 * `baton <role>` with OTEL_EXPORTER_OTLP_ENDPOINT: apps/cli starts @opentelemetry/sdk-node with the OTLP/HTTP
 * trace exporter and its metrics provider (process-metrics.ts) with the OTLP/HTTP metric exporter, both as
 * `service.name` baton-<role>, and the engine's spans and metrics reach a collector (a small HTTP
 * server standing in for one) by the time the SDK is shut down, as on SIGTERM.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricNames, SpanNames, TelemetryAttributes as A } from '@baton/observability';
import { startProcessMetrics, type ProcessMetrics } from '../../apps/cli/src/process-metrics.js';
import { parseTelemetryEnv, startTelemetry, type Telemetry } from '../../apps/cli/src/telemetry.js';
import { Harness } from '../engine/support/harness.js';
import { TestInvoker } from '../engine/support/test-invoker.js';
import { PASS_WAIT_TASK } from './support.js';

const received: { path: string; body: string }[] = [];
let collector: Server;
let telemetry: Telemetry | undefined;
let processMetrics: ProcessMetrics | undefined;
let h: Harness | undefined;

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  // The SDK and its exporters read the standard variables from process.env themselves.
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await h?.stop();
  await telemetry?.shutdown();
  await processMetrics?.shutdown();
  delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  await new Promise((resolve) => collector.close(resolve));
});

describe('OTLP export from the composition root', () => {
  it('exports the spans and metrics of an execution, as service baton-worker, on shutdown', async () => {
    processMetrics = await startProcessMetrics('worker', parseTelemetryEnv(process.env));
    telemetry = await startTelemetry('worker', parseTelemetryEnv(process.env));
    expect(telemetry).toBeDefined();
    h = await Harness.start({ label: 'telemetry_otlp', invoker: new TestInvoker(), workers: 1, timers: 1 });
    const sm = await h.createStateMachine('telemetry-otlp', PASS_WAIT_TASK);
    const arn = await h.start(sm, {});
    expect((await h.finished(arn)).status).toBe('SUCCEEDED');
    await h.stop();
    h = undefined;
    await telemetry!.shutdown();
    telemetry = undefined;
    await processMetrics.shutdown();
    processMetrics = undefined;

    const traces = received.filter((r) => r.path === '/v1/traces').map((r) => r.body).join('\n');
    const points = received.filter((r) => r.path === '/v1/metrics').map((r) => r.body).join('\n');
    expect(traces).toContain('"baton-worker"');
    for (const name of [SpanNames.Transition, SpanNames.Task, SpanNames.TimerBatch, A.ExecutionArn, arn]) {
      expect(traces).toContain(`"${name}"`);
    }
    expect(points).toContain('"baton-worker"');
    for (const name of [MetricNames.TransitionsCommitted, MetricNames.Tasks, MetricNames.TimersFired, MetricNames.TransitionDuration]) {
      expect(points).toContain(`"${name}"`);
    }
  });
});
