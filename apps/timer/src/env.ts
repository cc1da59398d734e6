/**
 * The timer role's own settings. Declared once here; apps/cli parses them with every other variable of the
 * role at boot. To add a setting: declare it in `variables` and map it in `build` (see apps/cli/README.md).
 */
import { defineFragment, integer, parseFragment, type Env } from '@baton/config';

export interface TimerConfig {
  maxSleepMs: number;
  batchSize: number;
}

export const timerEnv = defineFragment({
  title: 'Timer',
  variables: {
    BATON_TIMER_MAX_SLEEP_MS: integer({
      min: 100, default: 10_000, example: '5000',
      description: 'Longest sleep between two rounds without a NOTIFY (ms): the safety net if a notification is lost.',
    }),
    BATON_TIMER_BATCH_SIZE: integer({
      min: 1, default: 200, example: '500',
      description: 'Timers fired per transaction.',
    }),
  },
  build: (v): TimerConfig => ({ maxSleepMs: v.BATON_TIMER_MAX_SLEEP_MS, batchSize: v.BATON_TIMER_BATCH_SIZE }),
});

/** The timer's settings alone; throws a `ConfigError` listing every problem. */
export function parseTimerEnv(env: Env): TimerConfig {
  return parseFragment(timerEnv, env, undefined);
}
