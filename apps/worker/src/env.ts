/**
 * The worker role's own settings, read from the environment once at boot (the database and queue it works
 * against are the composition root's business: apps/cli). Every problem is reported at once, by variable name.
 *   BATON_WORKER_CONCURRENCY      jobs run at once (default 16)
 *   BATON_RECONCILE_INTERVAL_MS   how often the reconciler sweeps Postgres for lost work (default 2000)
 */
import { EnvReader, type Env } from '@baton/observability';

export interface WorkerConfig {
  concurrency: number;
  reconcileIntervalMs: number;
}

export class WorkerConfigError extends Error {}

export function parseWorkerEnv(env: Env): WorkerConfig {
  const read = new EnvReader(env);
  const config = {
    concurrency: read.int('BATON_WORKER_CONCURRENCY', 16, 1),
    reconcileIntervalMs: read.int('BATON_RECONCILE_INTERVAL_MS', 2_000, 50),
  };
  read.done((m) => new WorkerConfigError(m));
  return config;
}
