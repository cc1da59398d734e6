/**
 * The worker role: consumes the queue's jobs (transitions and task calls) with the engine, and runs the
 * reconciler that refills the queue from Postgres. `stop()` is the graceful path (SIGTERM): stop taking jobs,
 * hand running task calls back to other workers, wait for the transitions in progress.
 */
import { EngineWorker, type Engine } from '@baton/engine';
import type { WorkerConfig } from './env.js';

export interface StartWorkerOptions extends WorkerConfig {
  engine: Engine;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

export async function startWorker(config: StartWorkerOptions): Promise<RunningWorker> {
  const worker = new EngineWorker(config.engine, { concurrency: config.concurrency, reconcileIntervalMs: config.reconcileIntervalMs });
  await worker.start();
  return { stop: () => worker.stop() };
}
