/**
 * OpenTelemetry for a `baton` role: started only when the operator asked for it, with
 * OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_TRACES_EXPORTER (and not OTEL_SDK_DISABLED=true); otherwise nothing is
 * loaded or registered and every span and metric in the engine stays a no-op.
 *
 * Traces and metrics go out over OTLP/HTTP unless OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER name other
 * exporters, which the SDK then builds from the standard OTEL_* variables (it reads process.env itself, as do
 * the OTLP exporters for OTEL_EXPORTER_OTLP_HEADERS and the like). The service is `baton-<role>` unless
 * OTEL_SERVICE_NAME says otherwise. Must run before the engine is built: meters are taken at construction.
 */
import { EnvReader, type Env } from '@baton/observability';

export interface Telemetry {
  /** Flushes what is buffered and stops exporting (on SIGTERM/SIGINT, after the roles stopped); 3 s at most. */
  shutdown(): Promise<void>;
}

export function telemetryRequested(env: Env): boolean {
  const r = new EnvReader(env);
  if (r.string('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return false;
  return r.string('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined || r.string('OTEL_TRACES_EXPORTER') !== undefined;
}

export async function startTelemetry(role: string, env: Env): Promise<Telemetry | undefined> {
  if (!telemetryRequested(env)) return undefined;
  // Loaded only when asked for: a role without telemetry never pays for the SDK's import.
  const [{ NodeSDK }, { OTLPTraceExporter }, { OTLPMetricExporter }, { PeriodicExportingMetricReader }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/exporter-metrics-otlp-http'),
    import('@opentelemetry/sdk-metrics'),
  ]);
  const r = new EnvReader(env);
  const interval = r.int('OTEL_METRIC_EXPORT_INTERVAL', 60_000, 1);
  r.done((m) => new Error(m));
  const sdk = new NodeSDK({
    serviceName: r.string('OTEL_SERVICE_NAME') ?? `baton-${role}`,
    instrumentations: [],
    // Baton logs JSON lines to stderr; no OpenTelemetry log pipeline unless one is asked for.
    ...(r.string('OTEL_LOGS_EXPORTER') === undefined ? { logRecordProcessors: [] } : {}),
    ...(r.string('OTEL_TRACES_EXPORTER') === undefined ? { traceExporter: new OTLPTraceExporter() } : {}),
    ...(r.string('OTEL_METRICS_EXPORTER') === undefined
      ? { metricReaders: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: interval, exportTimeoutMillis: Math.min(30_000, interval) })] }
      : {}),
  });
  sdk.start();
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
