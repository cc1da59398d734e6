/**
 * The timer role's own settings. Declared once here; apps/cli parses them with every other variable of the
 * role at boot. To add a setting: declare it in `variables` and map it in `build` (see apps/cli/README.md).
 */
import { custom, defineFragment, integer, parseFragment, z, type Env } from '@baton/config';

export interface TimerConfig {
  maxSleepMs: number;
  batchSize: number;
  /** How long closed executions are kept (ms); undefined: forever (`off`). */
  retentionMs: number | undefined;
  retentionSweepIntervalMs: number;
}

const DAY_MS = 86_400_000;

/** A positive number of days (decimals allowed), or `off`. 0 is refused: it would read as "delete at once". */
const retentionDays = z.string().transform((text, ctx): number | 'off' => {
  if (text.toLowerCase() === 'off') return 'off';
  const days = Number(text);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text) || !(days > 0)) {
    ctx.addIssue({ code: 'custom', message: 'must be a number of days > 0 (decimals allowed, e.g. 90 or 0.5), or off to keep closed executions forever' });
    return z.NEVER;
  }
  return days;
});

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
    BATON_HISTORY_RETENTION_DAYS: custom<number | 'off', number>(retentionDays, {
      default: 90, example: '30',
      expects: 'a number of days > 0, or off',
      description: 'How long a closed execution (its history, task tokens, timers, Map Runs and a Distributed Map\'s child executions with it) is kept after it stopped, in days; decimals allowed (`0.5` is 12 hours). `off` keeps everything forever; `0` is refused. The timer role deletes expired executions in small batches.',
    }),
    BATON_RETENTION_SWEEP_INTERVAL_MS: integer({
      min: 100, max: 60_000, default: 60_000, example: '10000',
      description: 'Time between two retention sweeps (ms); each deletes expired executions 500 per transaction until none is left, then creates the history partition due ahead and drops the emptied ones (also with retention off).',
    }),
  },
  build: (v): TimerConfig => ({
    maxSleepMs: v.BATON_TIMER_MAX_SLEEP_MS,
    batchSize: v.BATON_TIMER_BATCH_SIZE,
    retentionMs: v.BATON_HISTORY_RETENTION_DAYS === 'off' ? undefined : Math.round(v.BATON_HISTORY_RETENTION_DAYS * DAY_MS),
    retentionSweepIntervalMs: v.BATON_RETENTION_SWEEP_INTERVAL_MS,
  }),
});

/** The timer's settings alone; throws a `ConfigError` listing every problem. */
export function parseTimerEnv(env: Env): TimerConfig {
  return parseFragment(timerEnv, env, undefined);
}
