/**
 * The worker role: consumes the queue's jobs (transitions and task calls) with the engine, and runs the
 * reconciler that refills the queue from Postgres. `stop(graceMs)` is the graceful path (SIGTERM): stop taking
 * jobs, let the task calls in flight finish and commit for up to `graceMs`, hand the ones still running back to
 * other workers, wait for the transitions in progress. `hurry()` hands back at once (a second signal).
 */
import { EngineWorker, type Engine } from '@baton/engine';
import type { WorkerConfig } from './env.js';

export interface StartWorkerOptions extends WorkerConfig {
  engine: Engine;
}

export interface RunningWorker {
  stop(graceMs?: number): Promise<void>;
  hurry(): void;
}

export async function startWorker(config: StartWorkerOptions): Promise<RunningWorker> {
  const worker = new EngineWorker(config.engine, { concurrency: config.concurrency, reconcileIntervalMs: config.reconcileIntervalMs });
  await worker.start();
  return { stop: (graceMs) => worker.stop(graceMs), hurry: () => worker.hurry() };
}
