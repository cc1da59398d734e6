/**
 * OpenTelemetry for a `baton` role: started only when the operator asked for it, with
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER (and not OTEL_SDK_DISABLED=true); otherwise nothing is
 * loaded or registered and every span and metric in the engine stays a no-op.
 *
 * Traces and metrics go out over OTLP/HTTP unless OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER name other
 * exporters, which the SDK then builds from the standard OTEL_* variables (it reads process.env itself, as do
 * the OTLP exporters for OTEL_EXPORTER_OTLP_HEADERS and the like). The variables Baton itself acts on are
 * declared in `telemetryEnv` (and so checked at boot with the rest). The service is `baton-<role>` unless
 * OTEL_SERVICE_NAME says otherwise. Must run before the engine is built: meters are taken at construction.
 */
import { boolean, defineFragment, integer, parseFragment, text, url, type Env } from '@baton/config';
import { metrics } from '@opentelemetry/api';
import { enableInstrumentations, tracingConfig, tracingSdkOptions, tracingVariables, type TracingConfig } from './tracing.js';

export interface Telemetry {
  /** Flushes what is buffered and stops exporting (on SIGTERM/SIGINT, after the roles stopped); 3 s at most. */
  shutdown(): Promise<void>;
}

export interface TelemetryConfig {
  /** Whether to start the SDK at all. */
  enabled: boolean;
  serviceName: string | undefined;
  /** Which pipelines the SDK builds from its own variables (else Baton's OTLP/HTTP defaults). */
  sdkBuilds: { traces: boolean; metrics: boolean; logs: boolean };
  metricIntervalMs: number;
  /** OTEL_METRICS_EXPORTER's list, when set (the metric pipeline is process-metrics.ts's). */
  metricsExporters?: string[];
  sdkDisabled?: boolean;
  /** The trace exporter's protocol (tracing.ts). */
  tracing: TracingConfig;
}

const exporter = (signal: string, example: string) =>
  text({
    example,
    description: `The ${signal} exporter(s) the OpenTelemetry SDK builds (\`otlp\`, \`console\`, \`none\`, ...). Unset: ${signal === 'logs' ? 'no log pipeline' : 'OTLP/HTTP'}.${signal === 'traces' ? ' Setting it also turns telemetry on.' : ''}`,
  });

export const telemetryEnv = defineFragment({
  title: 'Telemetry (OpenTelemetry)',
  variables: {
    OTEL_EXPORTER_OTLP_ENDPOINT: url({
      protocols: ['http:', 'https:'], example: 'http://collector:4318',
      description: 'Turns telemetry on: traces and metrics go to this collector over OTLP/HTTP. The SDK reads the other standard `OTEL_*` variables (`OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_RESOURCE_ATTRIBUTES`, ...) itself.',
    }),
    OTEL_TRACES_EXPORTER: exporter('traces', 'console'),
    OTEL_METRICS_EXPORTER: text({
      example: 'otlp,console',
      description: 'Where metrics are pushed besides `/metrics` (always served, Prometheus text): `otlp`, `console`, `none` (a list). Unset: OTLP/HTTP when telemetry is on.',
    }),
    OTEL_LOGS_EXPORTER: exporter('logs', 'otlp'),
    OTEL_SERVICE_NAME: text({ defaultText: '`baton-<role>`', example: 'baton-eu-api', description: 'The service name on every span and metric.' }),
    OTEL_METRIC_EXPORT_INTERVAL: integer({ min: 1, default: 60_000, example: '15000', description: 'Milliseconds between metric exports.' }),
    OTEL_SDK_DISABLED: boolean({ default: false, example: 'true', description: 'Telemetry off, whatever else is set.' }),
    ...tracingVariables,
  },
  build: (v): TelemetryConfig => ({
    enabled: !v.OTEL_SDK_DISABLED && (v.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || v.OTEL_TRACES_EXPORTER !== undefined),
    serviceName: v.OTEL_SERVICE_NAME,
    sdkBuilds: { traces: v.OTEL_TRACES_EXPORTER !== undefined, metrics: v.OTEL_METRICS_EXPORTER !== undefined, logs: v.OTEL_LOGS_EXPORTER !== undefined },
    metricIntervalMs: v.OTEL_METRIC_EXPORT_INTERVAL,
    ...(v.OTEL_METRICS_EXPORTER !== undefined ? { metricsExporters: v.OTEL_METRICS_EXPORTER.split(',').map((s) => s.trim()) } : {}),
    sdkDisabled: v.OTEL_SDK_DISABLED,
    tracing: tracingConfig(v),
  }),
});

/** The telemetry settings alone; throws a `ConfigError` listing every problem. */
export function parseTelemetryEnv(env: Env): TelemetryConfig {
  return parseFragment(telemetryEnv, env, undefined);
}

export async function startTelemetry(role: string, config: TelemetryConfig): Promise<Telemetry | undefined> {
  if (!config.enabled) return undefined;
  // Loaded only when asked for: a role without telemetry never pays for the SDK's import.
  const [{ NodeSDK }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
  ]);
  const sdk = new NodeSDK({
    serviceName: config.serviceName ?? `baton-${role}`,
    // Exporter, id generator and instrumentations of traces (tracing.ts).
    ...(await tracingSdkOptions(config.tracing, config.sdkBuilds.traces)),
    // Baton logs JSON lines to stderr; no OpenTelemetry log pipeline unless one is asked for.
    ...(config.sdkBuilds.logs ? {} : { logRecordProcessors: [] }),
    // Metrics have their own provider, always on for /metrics (process-metrics.ts), which also pushes OTLP.
    metricReaders: [],
  });
  sdk.start();
  // The instrumentations were created before the process's meter provider was registered (tracing.ts): give
  // them that provider, so that their metrics (HTTP request durations, ...) reach /metrics too.
  for (const instrumentation of await enableInstrumentations()) instrumentation.setMeterProvider(metrics.getMeterProvider());
  return { shutdown: () => boundedShutdown(sdk.shutdown(), SHUTDOWN_LIMIT_MS) };
}

/** An unreachable collector makes the exporters retry for ~10 s; a stopping role waits this long at most. */
const SHUTDOWN_LIMIT_MS = 3_000;

function boundedShutdown(shutdown: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`telemetry not flushed within ${ms} ms (collector unreachable?)`)), ms).unref();
  });
  return Promise.race([shutdown, limit]).finally(() => clearTimeout(timer));
}
