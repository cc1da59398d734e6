/**
 * The worker role's own settings (the database and queue it works against are the composition root's
 * business: apps/cli). Declared once here; apps/cli parses them with every other variable of the role at boot.
 * To add a setting: declare it in `variables` and map it in `build` (see apps/cli/README.md).
 */
import { defineFragment, integer, parseFragment, type Env } from '@baton/config';

export interface WorkerConfig {
  concurrency: number;
  reconcileIntervalMs: number;
}

export const workerEnv = defineFragment({
  title: 'Worker',
  variables: {
    BATON_WORKER_CONCURRENCY: integer({
      min: 1, default: 16, example: '32',
      description: 'Jobs (transitions and task calls) one worker runs at once.',
    }),
    BATON_RECONCILE_INTERVAL_MS: integer({
      min: 50, default: 2_000, example: '5000',
      description: 'How often the reconciler sweeps Postgres for work the queue lost (ms).',
    }),
  },
  build: (v): WorkerConfig => ({ concurrency: v.BATON_WORKER_CONCURRENCY, reconcileIntervalMs: v.BATON_RECONCILE_INTERVAL_MS }),
});

/** The worker's settings alone; throws a `ConfigError` listing every problem. */
export function parseWorkerEnv(env: Env): WorkerConfig {
  return parseFragment(workerEnv, env, undefined);
}
