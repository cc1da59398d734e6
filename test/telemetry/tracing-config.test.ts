/**
 * The trace exporter a role builds from the standard variables: OTEL_EXPORTER_OTLP_TRACES_PROTOCOL over
 * OTEL_EXPORTER_OTLP_PROTOCOL, `http/json` by default, anything else refused at boot; the SDK options carry
 * Baton's id generator and the HTTP, pg, ioredis and AWS SDK instrumentations.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@baton/config';
import { BatonIdGenerator } from '@baton/observability';
import { parseTelemetryEnv } from '../../apps/cli/src/telemetry.js';
import { forgetInstrumentations, tracingSdkOptions } from '../../apps/cli/src/tracing.js';

const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

describe('trace exporter protocol', () => {
  it('traces protocol over the general one; http/json by default; unknown values refused', () => {
    expect(parseTelemetryEnv(endpoint).tracing.protocol).toBe('http/json');
    expect(parseTelemetryEnv({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }).tracing.protocol).toBe('http/protobuf');
    expect(parseTelemetryEnv({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }).tracing.protocol).toBe('grpc');
    expect(() => parseTelemetryEnv({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' })).toThrow(ConfigError);
  });

  it('builds the exporter of each protocol, the id generator and the instrumentations', async () => {
    const names: string[] = [];
    for (const protocol of ['http/json', 'http/protobuf', 'grpc'] as const) {
      const o = await tracingSdkOptions({ protocol }, false);
      expect(o.idGenerator).toBeInstanceOf(BatonIdGenerator);
      expect(o.instrumentations.map((i) => i.instrumentationName).sort()).toEqual([
        '@opentelemetry/instrumentation-aws-sdk', '@opentelemetry/instrumentation-http',
        '@opentelemetry/instrumentation-ioredis', '@opentelemetry/instrumentation-pg',
      ]);
      for (const i of o.instrumentations) i.disable();
      forgetInstrumentations();
      names.push(o.traceExporter!.constructor.name);
      await o.traceExporter!.shutdown();
    }
    expect(names).toEqual(['OTLPTraceExporter', 'OTLPTraceExporter', 'OTLPTraceExporter']);
    expect((await tracingSdkOptions({ protocol: 'grpc' }, true)).traceExporter).toBeUndefined();
  });
});
