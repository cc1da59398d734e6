/**
 * The Prometheus-facing metric set: Step Functions' CloudWatch metrics (ExecutionsStarted, ExecutionTime,
 * ActivitiesScheduled, LambdaFunctionRunTime, ServiceIntegrationsFailed, ...) renamed to Prometheus style, per
 * state machine, and Baton's own (backlog, timers, reconciler, pool). Instrument names are chosen so that the
 * OpenTelemetry Prometheus exporter writes exactly the names below (`.` becomes `_`, counters get `_total`); the
 * unit is part of a histogram's name, as Prometheus' naming guide asks.
 *
 * Labels: `state_machine` (the machine's name, CloudWatch's StateMachineArn dimension), `resource` (the Task's
 * resource ARN: CloudWatch's ActivityArn / LambdaFunctionArn / ServiceIntegrationResourceArn dimensions).
 */
import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { MetricNames } from './telemetry-attributes.js';

export const MetricLabels = {
  StateMachine: 'state_machine',
  Resource: 'resource',
  /** Job kind of a backlog (`transition`, `task`, `activity`). */
  Kind: 'kind',
  /** What a reconciler round did (`requeued`, `worker_lost`). */
  Action: 'action',
  /** Connection state of a pool (`active`, `idle`, `waiting`). */
  State: 'state',
} as const;

/** Step Functions' execution-level metrics. */
export const ExecutionMetricNames = {
  Started: 'baton.executions.started',
  Succeeded: 'baton.executions.succeeded',
  Failed: 'baton.executions.failed',
  Aborted: 'baton.executions.aborted',
  TimedOut: 'baton.executions.timed_out',
  /**
   * Step Functions' ExecutionThrottled: "the number of StateEntered events and retries that have been throttled",
   * by its state-transition quota (Developer Guide, "Monitoring Step Functions using CloudWatch": Execution
   * metrics). Baton has no such quota and never delays a transition or refuses a StartExecution
   * (ThrottlingException, ExecutionLimitExceeded) for load: a busy cluster queues the work instead
   * (`baton_queue_backlog`). Always 0; kept so that Step Functions dashboards and alerts carry over.
   */
  Throttled: 'baton.executions.throttled',
  /** Histogram (s): start to close, by state machine and final status. */
  Time: 'baton.execution.time_seconds',
} as const;

/** The three task families of Step Functions' metrics, by the history event prefix that records them. */
export type TaskFamily = 'activity' | 'lambda' | 'service';

/** Per family: counter stems (`<stem>.<what>` → `baton_<stem>_<what>_total`) and histogram stems. */
export const TASK_FAMILY_METRICS: Readonly<Record<TaskFamily, { counters: string; histograms: string }>> = {
  activity: { counters: 'baton.activities', histograms: 'baton.activity' },
  lambda: { counters: 'baton.lambda_functions', histograms: 'baton.lambda_function' },
  service: { counters: 'baton.service_integrations', histograms: 'baton.service_integration' },
};

/** What a family counts (CloudWatch: <Family>Scheduled, Started, Succeeded, Failed, TimedOut, HeartbeatTimedOut). */
export const TASK_COUNTS = ['scheduled', 'started', 'succeeded', 'failed', 'timed_out', 'heartbeat_timed_out'] as const;
export type TaskCount = (typeof TASK_COUNTS)[number];
/** CloudWatch's <Family>ScheduleTime (scheduled to started), RunTime (started to closed), Time (scheduled to closed). */
export const TASK_TIMES = ['schedule_time', 'run_time', 'time'] as const;
export type TaskTime = (typeof TASK_TIMES)[number];

export const BatonMetricNames = {
  /** Gauge: work waiting in Postgres, by `kind` (executions with pending signals, unclaimed tasks, activity tasks). */
  Backlog: 'baton.queue.backlog',
  /** Gauge (s): age of the oldest signal not yet consumed (0 when none). */
  OldestPendingSignal: 'baton.signal.oldest_pending_age_seconds',
  /** Gauge: timers whose time has come. */
  TimersDue: 'baton.timers.due',
  /** Gauge: timers due for longer than the lateness threshold (the timer role is behind or down). */
  TimersLate: 'baton.timers.late',
  /** Counter: what the reconciler did, by `action`. */
  ReconcilerActions: 'baton.reconciler.actions',
  /** Gauge: Postgres pool connections by `state` (this process). */
  PoolConnections: 'baton.pg_pool.connections',
  /** Gauge: the pool's size limit (this process). */
  PoolMax: 'baton.pg_pool.max',
  /** Gauge: 1 when Redis answers, 0 when not (roles that use Redis). */
  RedisUp: 'baton.redis.up',
} as const;

/** Seconds-scale buckets for executions and tasks: 10 ms to a day. */
export const LONG_SECONDS_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

/** The execution- and task-level instruments, taken from a meter once. */
export class StepFunctionsInstruments {
  readonly executions: Readonly<Record<'started' | 'succeeded' | 'failed' | 'aborted' | 'timed_out' | 'throttled', Counter>>;
  readonly executionTime: Histogram;
  readonly tasks: Readonly<Record<TaskFamily, { counts: Record<TaskCount, Counter>; times: Record<TaskTime, Histogram> }>>;

  constructor(meter: Meter) {
    const c = (name: string, description: string) => meter.createCounter(name, { description });
    this.executions = {
      started: c(ExecutionMetricNames.Started, 'Executions started (Step Functions: ExecutionsStarted)'),
      succeeded: c(ExecutionMetricNames.Succeeded, 'Executions that succeeded (ExecutionsSucceeded)'),
      failed: c(ExecutionMetricNames.Failed, 'Executions that failed (ExecutionsFailed)'),
      aborted: c(ExecutionMetricNames.Aborted, 'Executions aborted or terminated (ExecutionsAborted)'),
      timed_out: c(ExecutionMetricNames.TimedOut, 'Executions that timed out (ExecutionsTimedOut)'),
      throttled: c(ExecutionMetricNames.Throttled, 'StateEntered events and retries throttled (ExecutionThrottled); Baton has no state-transition quota: always 0'),
    };
    this.executionTime = meter.createHistogram(ExecutionMetricNames.Time, {
      description: 'Execution time, start to close (ExecutionTime)', unit: 's', advice: { explicitBucketBoundaries: LONG_SECONDS_BUCKETS },
    });
    const family = (f: TaskFamily, label: string) => {
      const { counters, histograms } = TASK_FAMILY_METRICS[f];
      const counts = Object.fromEntries(TASK_COUNTS.map((k) => [k, c(`${counters}.${k}`, `${label} ${k.replace(/_/g, ' ')}`)])) as Record<TaskCount, Counter>;
      const times = Object.fromEntries(TASK_TIMES.map((k) => [k, meter.createHistogram(`${histograms}.${k}_seconds`, {
        description: `${label} ${k.replace(/_/g, ' ')}`, unit: 's', advice: { explicitBucketBoundaries: LONG_SECONDS_BUCKETS },
      })])) as Record<TaskTime, Histogram>;
      return { counts, times };
    };
    this.tasks = { activity: family('activity', 'Activity tasks'), lambda: family('lambda', 'Lambda function tasks'), service: family('service', 'Service integration tasks') };
  }

  /** Labels of one state machine's series (built per call: cheap next to the transaction that precedes it). */
  static machine(name: string, extra?: Attributes): Attributes {
    return { [MetricLabels.StateMachine]: name, ...extra };
  }
}

/**
 * Every Prometheus metric family Baton exports (names as scraped, without `_bucket`/`_sum`/`_count`), so that the
 * dashboards, alert rules and their tests spell them as the code does.
 */
export function exportedMetricFamilies(): string[] {
  const prom = (otel: string, counter: boolean) => `${otel.replace(/\./g, '_')}${counter ? '_total' : ''}`;
  const names: string[] = [];
  for (const [k, v] of Object.entries(ExecutionMetricNames)) names.push(prom(v, k !== 'Time'));
  for (const f of Object.values(TASK_FAMILY_METRICS)) {
    for (const k of TASK_COUNTS) names.push(prom(`${f.counters}.${k}`, true));
    for (const k of TASK_TIMES) names.push(prom(`${f.histograms}.${k}_seconds`, false));
  }
  names.push(...Object.values(BatonMetricNames).map((v) => prom(v, v === BatonMetricNames.ReconcilerActions)));
  // The engine's transition, task and timer instruments (telemetry-attributes.ts); the duration is in ms.
  for (const v of Object.values(MetricNames)) names.push(prom(v, v !== MetricNames.TransitionDuration));
  return names;
}
