/**
 * The timer role's own settings, read from the environment once at boot. Every problem is reported at once.
 *   BATON_TIMER_MAX_SLEEP_MS   longest sleep between two rounds without a NOTIFY (default 10000): the safety
 *                              net if a notification is lost
 *   BATON_TIMER_BATCH_SIZE     timers fired per transaction (default 200)
 */
import { EnvReader, type Env } from '@baton/observability';

export interface TimerConfig {
  maxSleepMs: number;
  batchSize: number;
}

export class TimerConfigError extends Error {}

export function parseTimerEnv(env: Env): TimerConfig {
  const read = new EnvReader(env);
  const config = {
    maxSleepMs: read.int('BATON_TIMER_MAX_SLEEP_MS', 10_000, 100),
    batchSize: read.int('BATON_TIMER_BATCH_SIZE', 200, 1),
  };
  read.done((m) => new TimerConfigError(m));
  return config;
}
