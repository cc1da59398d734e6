/**
 * `baton worker`, `baton timer`, `baton migrate` and `baton server` (every engine role in one process; the API
 * role joins it from the API's own files). Graceful on SIGTERM: stop taking work, hand back or finish claimed
 * work, then exit 0.
 */
import { EngineWorker, type TimerService } from '@baton/engine';
import { PgStore } from '@baton/store';
import { buildEngine, shutdownRequested, stderrLogger } from './engine-wiring.js';
import { ConfigError, parseRoleEnv } from './env.js';

export type EngineRole = 'worker' | 'timer' | 'migrate' | 'server';

export async function runEngineRole(role: EngineRole): Promise<number> {
  try {
    return await run(role);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`baton ${role}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function run(role: EngineRole): Promise<number> {
  const log = stderrLogger(role);
  if (role === 'migrate') {
    const config = parseRoleEnv(process.env, { redis: false });
    const store = new PgStore({ connectionString: config.databaseUrl, applicationName: 'baton-migrate' });
    try {
      const applied = await store.migrate();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    } finally {
      await store.close();
    }
  }
  const config = parseRoleEnv(process.env, { redis: true });
  const parts = await buildEngine(config, role);
  let worker: EngineWorker | undefined;
  let timers: TimerService | undefined;
  if (role === 'worker' || role === 'server') {
    worker = new EngineWorker(parts.engine, { concurrency: config.concurrency, reconcileIntervalMs: config.reconcileIntervalMs });
    await worker.start();
  }
  if (role === 'timer' || role === 'server') {
    timers = parts.engine.newTimerService();
    await timers.start();
  }
  log.info('started', { pid: process.pid });
  const sig = await shutdownRequested();
  log.info('stopping', { signal: sig });
  await worker?.stop();
  await timers?.stop();
  await parts.close();
  log.info('stopped');
  return 0;
}
