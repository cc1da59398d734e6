/** Builds the concrete engine (Postgres store, BullMQ queue, AWS task invoker) from a parsed configuration. */
import { hostname } from 'node:os';
import { Engine, type Logger } from '@baton/engine';
import { configFromEnv, createTaskInvoker } from '@baton/integrations';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import type { RoleConfig } from './env.js';

export interface EngineParts {
  store: PgStore;
  queue: BullmqQueue;
  engine: Engine;
  close(): Promise<void>;
}

export const stderrLogger = (role: string): Logger => {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, role, message, ...fields }) + '\n');
  return { info: line('info'), warn: line('warn'), error: line('error') };
};

export async function buildEngine(config: RoleConfig, role: string): Promise<EngineParts> {
  const logger = stderrLogger(role);
  const store = new PgStore({ connectionString: config.databaseUrl, applicationName: `baton-${role}` });
  if (config.autoMigrate) {
    const applied = await store.migrate();
    if (applied.length > 0) logger.info('migrations applied', { applied });
  }
  const queue = new BullmqQueue({ redisUrl: config.redisUrl, prefix: config.queuePrefix, onError: (e) => logger.warn('queue error', { error: e.message }) });
  const invoker = createTaskInvoker(configFromEnv(process.env, config.region));
  const engine = new Engine({
    store, queue, invoker, logger, region: config.region, account: config.account, taskLeaseMs: config.taskLeaseMs,
    reconcileGraceMs: config.reconcileGraceMs, workerId: config.workerId ?? `${hostname()}-${process.pid}`,
    ...(config.paginationKey !== undefined ? { paginationKey: config.paginationKey } : {}),
  });
  return {
    store, queue, engine,
    async close() {
      await engine.close();
      await queue.close().catch(() => {});
      await store.close();
    },
  };
}

/** Resolves on the first SIGTERM or SIGINT. */
export function shutdownRequested(): Promise<string> {
  return new Promise((resolve) => {
    const on = (sig: string) => () => resolve(sig);
    process.once('SIGTERM', on('SIGTERM'));
    process.once('SIGINT', on('SIGINT'));
  });
}
