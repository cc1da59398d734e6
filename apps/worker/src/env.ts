/**
 * The worker role's own settings, read from the environment once at boot (the database and queue it works
 * against are the composition root's business: apps/cli). Every problem is reported at once, by variable name.
 *   BATON_WORKER_CONCURRENCY      jobs run at once (default 16)
 *   BATON_RECONCILE_INTERVAL_MS   how often the reconciler sweeps Postgres for lost work (default 2000)
 */
export interface WorkerConfig {
  concurrency: number;
  reconcileIntervalMs: number;
}

export class WorkerConfigError extends Error {}

export function parseWorkerEnv(env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const v = env[name]?.trim();
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) problems.push(`${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  };
  const config = {
    concurrency: int('BATON_WORKER_CONCURRENCY', 16, 1),
    reconcileIntervalMs: int('BATON_RECONCILE_INTERVAL_MS', 2_000, 50),
  };
  if (problems.length > 0) throw new WorkerConfigError(problems.join('\n  '));
  return config;
}
