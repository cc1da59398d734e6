/**
 * The tracing half of the OpenTelemetry SDK a role starts (telemetry.ts): the span exporter by
 * `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL` (`http/json`, `http/protobuf`, `grpc`; the
 * exporters read the endpoint, headers and timeouts from the standard variables themselves), Baton's id
 * generator (an execution's root span is emitted when it ends with the ids drawn at its start:
 * @baton/observability tracing.ts), and the instrumentations of HTTP (client and server), pg, ioredis and the AWS
 * SDK. Database and Redis spans are only made inside a Baton span (`requireParentSpan`), so the pollers' queries
 * do not each start a trace of their own; probes and metric scrapes are not traced.
 *
 * The instrumentations patch a module when it is loaded (require-in-the-middle for CommonJS, import-in-the-middle
 * for ES modules through the loader hook bin/baton.js registers), never one loaded before them: the AWS SDK
 * clients, pg and ioredis are all loaded as soon as `main.js` is (the role's configuration module imports the
 * integrations), so bin/baton.js creates them here (`enableInstrumentations`) before it imports anything else,
 * the library's supported way for ES modules (as `node --import` of a setup file does). The SDK started later
 * takes the same instances; their spans go to whatever tracer provider is registered by then.
 */
import type { IncomingMessage } from 'node:http';
import { oneOf } from '@baton/config';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { BatonIdGenerator } from '@baton/observability';

export type OtlpProtocol = 'http/json' | 'http/protobuf' | 'grpc';
const PROTOCOLS = ['http/json', 'http/protobuf', 'grpc'] as const;

/** Spread into telemetry.ts's fragment: the variables Baton itself reads for traces. */
export const tracingVariables = {
  OTEL_EXPORTER_OTLP_PROTOCOL: oneOf(PROTOCOLS, {
    example: 'http/protobuf',
    description: 'OTLP transport of traces (and of the other signals where Baton builds their exporter): `http/json`, `http/protobuf` or `grpc`. Unset: `http/json`.',
  }),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: oneOf(PROTOCOLS, {
    example: 'grpc', description: 'OTLP transport of traces alone; overrides `OTEL_EXPORTER_OTLP_PROTOCOL`.',
  }),
};

export interface TracingConfig {
  protocol: OtlpProtocol;
}

export function tracingConfig(v: { OTEL_EXPORTER_OTLP_PROTOCOL: OtlpProtocol | undefined; OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: OtlpProtocol | undefined }): TracingConfig {
  return { protocol: v.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? v.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/json' };
}

/** Requests that are not traced: liveness/readiness probes and metric scrapes. */
const UNTRACED = new Set(['/healthz', '/readyz', '/livez', '/metrics']);

/**
 * The NodeSDK options for traces. `sdkBuildsExporter`: OTEL_TRACES_EXPORTER named the exporters, which the SDK
 * then builds itself (it honours the protocol variables too).
 */
export async function tracingSdkOptions(config: TracingConfig, sdkBuildsExporter: boolean) {
  return {
    idGenerator: new BatonIdGenerator(),
    instrumentations: await enableInstrumentations(),
    ...(sdkBuildsExporter ? {} : { traceExporter: await traceExporter(config.protocol) }),
  };
}

let enabled: Promise<Instrumentation[]> | undefined;

/**
 * Creates the instrumentations, which hooks the module loader at once (see the module comment); once per process,
 * later calls return the same instances. Until a tracer provider is registered their spans are no-ops.
 */
export function enableInstrumentations(): Promise<Instrumentation[]> {
  enabled ??= createInstrumentations();
  return enabled;
}

/** Forgets the instances (a test disabled them); the next `enableInstrumentations` makes new ones. */
export function forgetInstrumentations(): void {
  enabled = undefined;
}

async function createInstrumentations(): Promise<Instrumentation[]> {
  const [{ HttpInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation }, { AwsInstrumentation }] = await Promise.all([
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-aws-sdk'),
  ]);
  return [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => UNTRACED.has((req.url ?? '/').split('?')[0] ?? '/'),
      // Outgoing calls are traced inside a Baton span only (a task call, a nested execution), not an exporter's own.
      requireParentforOutgoingSpans: true,
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new AwsInstrumentation({
      suppressInternalInstrumentation: true,
      // The semantic conventions for AWS SDK client spans name every span `Service.Operation` (`Lambda.Invoke`,
      // `SQS.SendMessage`, `DynamoDB.PutItem`); the library's per-service extensions name some after the
      // messaging or FaaS conventions instead (`<queue> send`, `<function> Invoke`). Their attributes are kept.
      preRequestHook: (span, info) => {
        const service = info.request.serviceName;
        if (service && info.request.commandName) span.updateName(`${service}.${info.request.commandName}`);
      },
    }),
  ];
}

async function traceExporter(protocol: OtlpProtocol) {
  switch (protocol) {
    case 'http/json':
      return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter();
    case 'http/protobuf':
      return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
    case 'grpc':
      return new (await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter();
    default: {
      const never: never = protocol;
      throw new Error(`unknown OTLP protocol ${String(never)}`);
    }
  }
}
