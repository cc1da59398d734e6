/**
 * Telemetry off, the default: `baton <role>` without OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER starts
 * no SDK, registers nothing, and the engine's spans and metrics stay the API's no-ops, so nothing is exported.
 */
import { metrics, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTelemetryEnv, startTelemetry } from '../../apps/cli/src/telemetry.js';
import { Harness } from '../engine/support/harness.js';
import { TestInvoker } from '../engine/support/test-invoker.js';
import { PASS_WAIT_TASK } from './support.js';

let h: Harness;
const noopMeterProvider = metrics.getMeterProvider();

beforeAll(async () => {
  h = await Harness.start({ label: 'telemetry_off', invoker: new TestInvoker(), workers: 1, timers: 1 });
});
afterAll(async () => {
  await h?.stop();
});

describe('telemetry off', () => {
  it('is off unless an OTLP endpoint or a traces exporter is named, and OTEL_SDK_DISABLED wins', () => {
    const requested = (env: Record<string, string>) => parseTelemetryEnv(env).enabled;
    expect(requested({})).toBe(false);
    expect(requested({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ', OTEL_SERVICE_NAME: 'x' })).toBe(false);
    expect(requested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBe(true);
    expect(requested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(requested({ OTEL_TRACES_EXPORTER: 'console', OTEL_SDK_DISABLED: 'true' })).toBe(false);
  });

  it('starts nothing, and an execution through the engine records and exports nothing', async () => {
    expect(await startTelemetry('worker', parseTelemetryEnv({}))).toBeUndefined();
    const sm = await h.createStateMachine('telemetry-off', PASS_WAIT_TASK);
    const d = await h.finished(await h.start(sm, {}));
    expect(d.status).toBe('SUCCEEDED');
    // No provider was registered by anyone: spans do not record and the meter provider is still the no-op.
    expect(metrics.getMeterProvider()).toBe(noopMeterProvider);
    expect(noopMeterProvider.constructor.name).toBe('NoopMeterProvider');
    const span = trace.getTracer('@baton/engine').startSpan('probe');
    expect(span.isRecording()).toBe(false);
    span.end();
    for (const r of h.replicas) {
      const probe = r.engine.rt.telemetry.startTransition();
      expect(probe.isRecording()).toBe(false);
      probe.end();
    }
  });
});
