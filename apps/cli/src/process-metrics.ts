/**
 * The process's OpenTelemetry MeterProvider, always on for a serving role: one registry per process (in
 * `baton server` the API, worker and timer share it), read by the Prometheus exporter behind `GET /metrics`
 * (on the API port, or the worker's and timer's probe port), and pushed over OTLP too when telemetry is on and
 * OTEL_METRICS_EXPORTER asks for it (`otlp`, the default with OTEL_EXPORTER_OTLP_ENDPOINT, or `console`).
 * It is registered before the engine is built: instruments are taken at construction.
 *
 * Besides the engine's instruments it observes, per scrape, what only Postgres and Redis know (cached a few
 * seconds, so that many scrapers cost one query): work waiting, the oldest pending signal, timers due and late,
 * the pool, Redis reachability. Every replica reports the same cluster-wide values; aggregate them with max().
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { BatonMetricNames, batonMeter, MetricLabels } from '@baton/observability';
import type { ClusterCounts } from '@baton/store';
import type { TelemetryConfig } from './telemetry.js';

export interface ProcessMetrics {
  /** Answers a scrape (Prometheus text format). */
  serve(req: IncomingMessage, res: ServerResponse): void;
  /** Observes the cluster-wide gauges from these sources (once the store is open). */
  observe(sources: GaugeSources): void;
  shutdown(): Promise<void>;
}

export interface GaugeSources {
  counts: () => Promise<ClusterCounts>;
  /** The Postgres pool of this process, when it has one (not the embedded store). */
  pool?: { totalCount: number; idleCount: number; waitingCount: number; options: { max?: number } };
  /** Whether Redis answered at the last readiness check, when the role uses Redis. */
  redisUp?: () => boolean | undefined;
}

/** How long cluster-wide counts are reused between scrapes. */
const CACHE_MS = 5_000;
/** A timer due for longer than this counts as late. */
export const TIMER_LATE_AFTER_SECONDS = 5;

export async function startProcessMetrics(role: string, telemetry: TelemetryConfig): Promise<ProcessMetrics> {
  const [{ MeterProvider, PeriodicExportingMetricReader, ConsoleMetricExporter }, { PrometheusExporter }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/sdk-metrics'),
    import('@opentelemetry/exporter-prometheus'),
    import('@opentelemetry/resources'),
  ]);
  const prometheus = new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true });
  const readers: import('@opentelemetry/sdk-metrics').IMetricReader[] = [prometheus];
  const interval = telemetry.metricIntervalMs;
  const periodic = (exporter: import('@opentelemetry/sdk-metrics').PushMetricExporter) =>
    new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: interval, exportTimeoutMillis: Math.min(30_000, interval) });
  for (const name of pushExporters(telemetry)) {
    if (name === 'otlp') {
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
      readers.push(periodic(new OTLPMetricExporter()));
    } else {
      readers.push(periodic(new ConsoleMetricExporter()));
    }
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': telemetry.serviceName ?? `baton-${role}` }),
    readers,
  });
  metrics.setGlobalMeterProvider(provider);
  return {
    serve: (req, res) => prometheus.getMetricsRequestHandler(req, res),
    observe: (sources) => observeGauges(sources),
    async shutdown() {
      await provider.shutdown().catch(() => {});
      metrics.disable();
    },
  };
}

/** The push exporters asked for: OTEL_METRICS_EXPORTER's list, else OTLP when telemetry is on. */
function pushExporters(t: TelemetryConfig): ('otlp' | 'console')[] {
  if (t.sdkDisabled) return [];
  const asked = t.metricsExporters ?? (t.enabled ? ['otlp'] : []);
  if (asked.includes('none')) return [];
  return asked.filter((n): n is 'otlp' | 'console' => n === 'otlp' || n === 'console');
}

function observeGauges(sources: GaugeSources): void {
  const meter = batonMeter();
  const backlog = meter.createObservableGauge(BatonMetricNames.Backlog, { description: 'Work waiting in Postgres, by job kind (cluster-wide)' });
  const oldest = meter.createObservableGauge(BatonMetricNames.OldestPendingSignal, { description: 'Age of the oldest signal not yet consumed (cluster-wide)', unit: 's' });
  const due = meter.createObservableGauge(BatonMetricNames.TimersDue, { description: 'Timers whose time has come (cluster-wide)' });
  const late = meter.createObservableGauge(BatonMetricNames.TimersLate, { description: `Timers due for more than ${TIMER_LATE_AFTER_SECONDS} s (cluster-wide)` });
  let cached: { at: number; value: Promise<ClusterCounts | undefined> } | undefined;
  const counts = (): Promise<ClusterCounts | undefined> => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, value: sources.counts().catch(() => undefined) };
    return cached.value;
  };
  meter.addBatchObservableCallback(async (r) => {
    const c = await counts();
    if (!c) return; // Postgres down: no value rather than a wrong one (readiness says why)
    r.observe(backlog, c.pendingTransitions, { [MetricLabels.Kind]: 'transition' });
    r.observe(backlog, c.scheduledTasks, { [MetricLabels.Kind]: 'task' });
    r.observe(backlog, c.activityTasks, { [MetricLabels.Kind]: 'activity' });
    r.observe(oldest, c.oldestPendingSignalSeconds);
    r.observe(due, c.timersDue);
    r.observe(late, c.timersLate);
  }, [backlog, oldest, due, late]);
  const pool = sources.pool;
  if (pool) {
    const connections = meter.createObservableGauge(BatonMetricNames.PoolConnections, { description: 'Postgres pool connections of this process, by state' });
    const max = meter.createObservableGauge(BatonMetricNames.PoolMax, { description: 'Postgres pool size limit of this process' });
    meter.addBatchObservableCallback((r) => {
      r.observe(connections, pool.totalCount - pool.idleCount, { [MetricLabels.State]: 'active' });
      r.observe(connections, pool.idleCount, { [MetricLabels.State]: 'idle' });
      r.observe(connections, pool.waitingCount, { [MetricLabels.State]: 'waiting' });
      r.observe(max, pool.options.max ?? 10);
    }, [connections, max]);
  }
  const redisUp = sources.redisUp;
  if (redisUp) {
    meter.createObservableGauge(BatonMetricNames.RedisUp, { description: 'Whether Redis answered at the last check (1) or not (0)' })
      .addCallback((r) => {
        const up = redisUp();
        if (up !== undefined) r.observe(up ? 1 : 0);
      });
  }
}
