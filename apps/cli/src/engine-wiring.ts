/**
 * Builds the concrete engine from a parsed configuration: the store (Postgres, or PGlite in the data folder),
 * the queue (BullMQ, or in process), the AWS task invoker. One set of parts per process: `baton server` shares
 * it between the API, the worker and the timer.
 */
import { hostname } from 'node:os';
import { Engine, InThreadEvaluator, type EngineStore, type Logger, type WorkQueue } from '@baton/engine';
import { createMapRunStorage, createTaskInvoker, stepFunctionsClientFactory } from '@baton/integrations';
import type { EnvInvokerOptions } from './aws-env.js';
import { BullmqQueue, InProcessQueue } from '@baton/queue';
import { PgliteStore, PgStore } from '@baton/store';
import type { BackendConfig, StoreConfig } from './env.js';

export interface EngineParts {
  store: EngineStore & { migrate(): Promise<string[]>; close(): Promise<void> };
  queue: WorkQueue;
  engine: Engine;
  close(): Promise<void>;
}

export const stderrLogger = (role: string): Logger => {
  const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, role, message, ...fields }) + '\n');
  return { info: line('info'), warn: line('warn'), error: line('error') };
};

export async function openStore(config: StoreConfig, role: string): Promise<EngineParts['store']> {
  return config.kind === 'postgres'
    ? new PgStore({ connectionString: config.url, applicationName: `baton-${role}`, maxConnections: config.poolSize })
    : PgliteStore.open({ dataDir: config.dataDir });
}

export async function buildEngine(config: BackendConfig, invokerOptions: EnvInvokerOptions, role: string): Promise<EngineParts> {
  const logger = stderrLogger(role);
  const store = await openStore(config.store, role);
  try {
    if (config.autoMigrate) {
      const applied = await store.migrate();
      if (applied.length > 0) logger.info('migrations applied', { applied });
    }
  } catch (e) {
    await store.close().catch(() => {});
    throw e;
  }
  if (config.evaluation.threads === 0) logger.warn('BATON_EVALUATION_THREADS=0: evaluations run on the main thread without time or memory budgets');
  const onError = (e: Error) => logger.warn('queue error', { error: e.message });
  const queue: WorkQueue = config.queue.kind === 'bullmq'
    ? new BullmqQueue({ redisUrl: config.queue.url, prefix: config.queue.prefix, onError })
    : new InProcessQueue({ onError });
  // Nested executions run inside Baton: on AWS_ENDPOINT_URL_SFN when the user set it, else on Baton's own API.
  const sfnEndpoint = invokerOptions.endpoints?.sfn ?? config.self.url;
  const invoker = createTaskInvoker({
    ...invokerOptions,
    stepFunctions: stepFunctionsClientFactory({
      endpoint: sfnEndpoint,
      ...(invokerOptions.endpoints?.sfn === undefined && config.self.accessKey ? { credentials: config.self.accessKey } : {}),
    }),
  });
  const engine = new Engine({
    store, queue, invoker, logger, region: config.region, account: config.account, taskLeaseMs: config.taskLeaseMs,
    reconcileGraceMs: config.reconcileGraceMs, workerId: config.workerId ?? `${hostname()}-${process.pid}`,
    limits: config.limits,
    mapRunStorage: createMapRunStorage(invokerOptions, config.region), mapRunLeaseMs: config.mapRunLeaseMs,
    evaluation: config.evaluation.threads === 0 ? new InThreadEvaluator() : config.evaluation,
    maxCrashedAttempts: config.maxCrashedAttempts,
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
