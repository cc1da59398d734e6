/** What every engine part shares: ports, options, the program cache, and post-commit dispatch. */
import { ensureError, silentLogger, type Logger } from './logger.js';
import type { EngineOptions, ResolvedOptions } from './options.js';
import { systemClock, type Clock, type EngineStore, type TaskInvoker, type WorkQueue } from './ports.js';
import { ProgramCache } from './program-cache.js';
import { EngineTelemetry } from './engine-telemetry.js';
import { ExecutionMetrics } from './execution-metrics.js';
import type { Dispatch } from './job-ids.js';
import { ExecutionSpans } from './observability/execution-spans.js';
import { RevisionSettingsCache } from './observability/revision-settings.js';
import type { ExecutionLogDelivery, ExecutionLogShipperOptions } from './observability/execution-log-shipper.js';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEFAULT_BUDGETS, type Evaluator } from './evaluation/evaluator.js';
import { PoolEvaluator, type PoolOptions } from './evaluation/pool-evaluator.js';

export class Runtime {
  readonly store: EngineStore;
  readonly queue: WorkQueue;
  readonly invoker: TaskInvoker | undefined;
  readonly clock: Clock;
  readonly log: Logger;
  readonly options: ResolvedOptions;
  readonly programs: ProgramCache;
  /** Where steps run, under the evaluation budgets (evaluation/evaluator.ts). */
  readonly evaluator: Evaluator;
  /** This process's id for step attempts (step-attempts.ts): a restart is another incarnation, even with the same workerId. */
  readonly incarnation: string;
  /** Spans and metrics; no-ops unless the app started an OpenTelemetry SDK before building the engine. */
  readonly telemetry = new EngineTelemetry();
  /** Step Functions' metric set (execution-metrics.ts); no-ops without an SDK, as above. */
  readonly metrics: ExecutionMetrics;
  /** The execution-level trace (root, state and task spans under the stored trace context). */
  readonly executionSpans: ExecutionSpans;
  /** Each revision's logging and tracing configuration. */
  readonly revisionSettings: RevisionSettingsCache;
  readonly executionLogs: { delivery: ExecutionLogDelivery; options: ExecutionLogShipperOptions } | undefined;

  constructor(o: EngineOptions) {
    this.store = o.store;
    this.queue = o.queue;
    this.invoker = o.invoker;
    this.clock = o.clock ?? systemClock;
    this.log = o.logger ?? silentLogger;
    this.options = {
      region: o.region ?? 'us-east-1',
      account: o.account ?? '123456789012',
      partition: o.partition ?? 'aws',
      limits: o.limits ?? {},
      taskLeaseMs: o.taskLeaseMs ?? 30_000,
      reconcileGraceMs: o.reconcileGraceMs ?? 5_000,
      activityPollMs: o.activityPollMs ?? 60_000,
      maxTransitionsPerStep: o.maxTransitionsPerStep ?? 1_000,
      workerId: o.workerId ?? `worker-${randomUUID()}`,
      searchScanLimit: o.searchScanLimit ?? 10_000,
      mapRunLeaseMs: o.mapRunLeaseMs ?? 10_000,
      mapRunPollMs: o.mapRunPollMs ?? 100,
      maxCrashedAttempts: o.maxCrashedAttempts ?? 5,
    };
    this.metrics = new ExecutionMetrics(this.store, this.log);
    this.programs = new ProgramCache(this.store);
    this.executionSpans = new ExecutionSpans(this.telemetry.tracer, this.log);
    this.revisionSettings = new RevisionSettingsCache(this.store);
    this.executionLogs = o.executionLogDelivery ? { delivery: o.executionLogDelivery, options: o.executionLogShipper ?? {} } : undefined;
    this.incarnation = `${this.options.workerId}/${randomUUID()}`;
    this.evaluator = isEvaluator(o.evaluation) ? o.evaluation : new PoolEvaluator({
      threads: Math.min(4, availableParallelism()), ...DEFAULT_BUDGETS, ...o.evaluation,
    });
  }

  /** Hands work to the queue after a commit. A failure here is only a delay: the reconciler re-enqueues. */
  async dispatch(items: readonly Dispatch[]): Promise<void> {
    if (items.length > 1 && this.queue.enqueueMany) {
      try {
        await this.queue.enqueueMany(items.map((d) => ({ job: d.job, options: { jobId: d.jobId } })));
        return;
      } catch (e) {
        // Some may have been taken: the rest are enqueued one by one below (a job id enqueued twice is one job).
        this.log.warn('enqueue of a batch failed; enqueuing one by one', { jobs: items.length, error: ensureError(e).message });
      }
    }
    for (const d of items) {
      try {
        await this.queue.enqueue(d.job, { jobId: d.jobId });
      } catch (e) {
        this.log.warn('enqueue failed; the reconciler will retry', { jobId: d.jobId, error: ensureError(e).message });
      }
    }
  }
}

function isEvaluator(e: Partial<PoolOptions> | Evaluator | undefined): e is Evaluator {
  return typeof (e as Evaluator | undefined)?.step === 'function';
}
