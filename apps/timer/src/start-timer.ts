/**
 * The timer role: fires durable timers (Wait states, retry backoffs, task timeouts, `.sync` polls) from the
 * store, woken by NOTIFY when an earlier timer is written, sweeps closed executions past their retention, and
 * keeps the history partitions ahead of the execution ids.
 * Any number of replicas; `stop()` finishes the round in progress and the retention batch in progress.
 */
import type { Engine } from '@baton/engine';
import type { TimerConfig } from './env.js';

export interface StartTimerOptions extends TimerConfig {
  engine: Engine;
  /** VACUUM after each retention sweep that deleted something: the embedded database has no autovacuum. */
  vacuumAfterSweep?: boolean;
}

export interface RunningTimer {
  stop(): Promise<void>;
}

export async function startTimer(config: StartTimerOptions): Promise<RunningTimer> {
  const timers = config.engine.newTimerService({ maxSleepMs: config.maxSleepMs, batchSize: config.batchSize });
  await timers.start();
  // Runs with retention off too: it keeps the history partitions ahead of the execution ids.
  const sweeper = config.engine.newRetentionSweeper({
    retentionMs: config.retentionMs, intervalMs: config.retentionSweepIntervalMs, vacuum: config.vacuumAfterSweep ?? false,
  });
  sweeper.start();
  return {
    async stop() {
      await Promise.all([timers.stop(), sweeper.stop()]);
    },
  };
}
