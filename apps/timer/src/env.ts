/**
 * The timer role's own settings, read from the environment once at boot. Every problem is reported at once.
 *   BATON_TIMER_MAX_SLEEP_MS   longest sleep between two rounds without a NOTIFY (default 10000): the safety
 *                              net if a notification is lost
 *   BATON_TIMER_BATCH_SIZE     timers fired per transaction (default 200)
 */
export interface TimerConfig {
  maxSleepMs: number;
  batchSize: number;
}

export class TimerConfigError extends Error {}

export function parseTimerEnv(env: Readonly<Record<string, string | undefined>>): TimerConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number): number => {
    const v = env[name]?.trim();
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) problems.push(`${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  };
  const config = {
    maxSleepMs: int('BATON_TIMER_MAX_SLEEP_MS', 10_000, 100),
    batchSize: int('BATON_TIMER_BATCH_SIZE', 200, 1),
  };
  if (problems.length > 0) throw new TimerConfigError(problems.join('\n  '));
  return config;
}
