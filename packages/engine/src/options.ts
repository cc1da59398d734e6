/** The engine's typed options (apps parse the environment and build these; the engine never reads it). */
import type { Limits, RandomSource } from '@baton/asl';
import type { VersionQuotas } from './actions/context.js';
import type { Evaluator } from './evaluation/evaluator.js';
import type { PoolOptions } from './evaluation/pool-evaluator.js';
import type { Clock, EngineStore, TaskInvoker, WorkQueue } from './ports.js';
import type { Logger } from './logger.js';
import type { MapRunStorage } from './map-run/ports.js';
import type { ExecutionLogDelivery, ExecutionLogShipperOptions } from './observability/execution-log-shipper.js';

export interface EngineOptions {
  store: EngineStore;
  queue: WorkQueue;
  /** Invokes Task resources. Without one, every non-activity task fails with States.TaskFailed. */
  invoker?: TaskInvoker;
  clock?: Clock;
  logger?: Logger;
  region?: string;
  account?: string;
  partition?: string;
  /**
   * Key for the HMAC of pagination tokens (any secret string). Default: a random key generated once and kept in
   * the database (`signing_keys`), the same on every replica and across restarts.
   */
  paginationKey?: string;
  limits?: Partial<Limits>;
  /** How long a claimed task stays leased without renewal before the reconciler declares its worker lost. */
  taskLeaseMs?: number;
  /** Signals and scheduled tasks older than this, still pending, are re-enqueued by the reconciler. */
  reconcileGraceMs?: number;
  /** GetActivityTask long-poll duration (AWS: 60 s). */
  activityPollMs?: number;
  /** State transitions per step before the step yields and is continued by a fresh job. */
  maxTransitionsPerStep?: number;
  /** Identifies this process in task leases. */
  workerId?: string;
  /** Chooses between an alias's versions on each StartExecution (default: node:crypto); tests seed their own. */
  random?: RandomSource;
  /** Versions and aliases per state machine (AWS: 1000 and 100). */
  quotas?: Partial<VersionQuotas>;
  /** How many executions one search request examines at most (default 10,000). */
  searchScanLimit?: number;
  /** S3 for Distributed Map ItemReader / ResultWriter. Without it, a Map Run reading or writing S3 fails. */
  mapRunStorage?: MapRunStorage;
  /** How long a worker may drive a Map Run without renewing its lease (another worker takes over after). */
  mapRunLeaseMs?: number;
  /** How often a Map Run's driver looks for children that ended. */
  mapRunPollMs?: number;
  /**
   * Where steps run (evaluation/): the settings of the default pool of evaluation hosts (child processes, or
   * threads with `isolation: 'thread'`; budgets: time per evaluation and heap per host; default DEFAULT_BUDGETS,
   * min(4, CPUs) hosts), or an evaluator of one's own
   * (InThreadEvaluator: in this thread, no budgets).
   */
  evaluation?: Partial<PoolOptions> | Evaluator;
  /**
   * Processes in a row that may begin to step an execution and die before committing before it is failed as a
   * poison execution (default 5: a poison crashes every attempt and gets there in seconds, while a process killed
   * for other reasons, mid-step, five times in a row is most unlikely).
   */
  maxCrashedAttempts?: number;
  /**
   * CloudWatch Logs for execution logs (loggingConfiguration). Transitions always write the log events to the
   * outbox; a worker (EngineWorker) with a delivery drains it. Without one, events wait in the outbox.
   */
  executionLogDelivery?: ExecutionLogDelivery;
  executionLogShipper?: ExecutionLogShipperOptions;
}

export interface ResolvedOptions {
  region: string;
  account: string;
  partition: string;
  limits: Partial<Limits>;
  taskLeaseMs: number;
  reconcileGraceMs: number;
  activityPollMs: number;
  maxTransitionsPerStep: number;
  workerId: string;
  searchScanLimit: number;
  mapRunLeaseMs: number;
  mapRunPollMs: number;
  maxCrashedAttempts: number;
}
