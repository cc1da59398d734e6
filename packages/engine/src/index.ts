/**
 * @baton/engine: decide and commit. load -> asl.step -> one Postgres transaction -> hand work to the queue.
 * Declares the ports it needs (store, queue, task invoker, clock); apps wire the concrete ones.
 */
export * from './ports.js';
export { Engine } from './engine.js';
export { EngineWorker, type WorkerOptions } from './worker.js';
export { TimerService, type TimerServiceOptions } from './timer-service.js';
export { RetentionSweeper, type RetentionSweeperOptions } from './retention-sweeper.js';
export { Reconciler, WORKER_LOST_ERROR, workerLostCause } from './reconciler.js';
export { TransitionRunner } from './transition-runner.js';
export { TaskRunner } from './task-runner.js';
export type { EngineOptions } from './options.js';
export { silentLogger, ensureError, type Logger } from './logger.js';
export { newTaskToken, hashToken, isWellFormedToken } from './crypto.js';
export { PageTokens } from './pagination.js';
export * from './map-run/ports.js';
export { DEFAULT_BUDGETS, type Evaluator, type EvaluationBudgets, type ProgramSource, type StepOutcome, type StepRequest } from './evaluation/evaluator.js';
export { InThreadEvaluator } from './evaluation/in-thread-evaluator.js';
export { PoolEvaluator, type Isolation, type PoolOptions } from './evaluation/pool-evaluator.js';
export { safeStep, MAX_FAILED_EVALUATIONS_PER_STEP } from './evaluation/safe-step.js';
export { poisonCause } from './step-attempts.js';
export {
  ExecutionLogShipper, type ExecutionLogDelivery, type ExecutionLogShipperOptions,
} from './observability/execution-log-shipper.js';
export { executionLogEntries, levelIncludes } from './observability/execution-log-events.js';
