/**
 * Builds the concrete engine from a parsed configuration: the store (Postgres, or PGlite in the data folder),
 * the queue (BullMQ, or in process), the AWS task invoker. One set of parts per process: `baton server` shares
 * it between the API, the worker and the timer.
 */
import { hostname } from 'node:os';
import { Engine, InThreadEvaluator, type EngineStore, type WorkQueue } from '@baton/engine';
import { createLogger, type Logger, type LogLevel } from '@baton/observability';
import { createCloudWatchLogsDelivery, createMapRunStorage, createTaskInvoker, stepFunctionsClientFactory } from '@baton/integrations';
import type { EnvInvokerOptions } from './aws-env.js';
import { BullmqQueue, InProcessQueue } from '@baton/queue';
import { ClusterStats, PgliteStore, PgStore } from '@baton/store';
import type { BackendConfig, StoreConfig } from './env.js';

export interface EngineParts {
  store: EngineStore & { migrate(): Promise<string[]>; close(): Promise<void> };
  queue: WorkQueue;
  engine: Engine;
  /** Cluster-wide counts and the schema version (metrics, readiness). */
  stats: ClusterStats;
  close(): Promise<void>;
}

/** The process logger (pino, JSON lines on stderr; @baton/observability's logger.ts). */
export const stderrLogger = (role: string, level: LogLevel = 'info'): Logger => createLogger({ role, level });

export async function openStore(config: StoreConfig, role: string): Promise<EngineParts['store'] & { kysely: PgStore['kysely'] }> {
  return config.kind === 'postgres'
    ? new PgStore({ connectionString: config.url, applicationName: `baton-${role}`, maxConnections: config.poolSize, preparedStatements: config.preparedStatements })
    : PgliteStore.open({ dataDir: config.dataDir });
}

export async function buildEngine(
  config: BackendConfig, invokerOptions: EnvInvokerOptions, role: string, logger: Logger = stderrLogger(role),
): Promise<EngineParts> {
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
  // The same queue error (Redis away: one per reconnection attempt) is logged once per 10 s at most.
  const lastLogged = new Map<string, number>();
  const onError = (e: Error) => {
    const now = Date.now();
    if (now - (lastLogged.get(e.message) ?? 0) < 10_000) return;
    lastLogged.set(e.message, now);
    if (lastLogged.size > 100) lastLogged.clear();
    logger.warn('queue error', { error: e.message });
  };
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
  // Execution logs: every engine writes them to the outbox; the worker role delivers them (EngineWorker).
  const logDelivery = createCloudWatchLogsDelivery(invokerOptions);
  const engine = new Engine({
    executionLogDelivery: logDelivery,
    store, queue, invoker, logger, region: config.region, account: config.account, taskLeaseMs: config.taskLeaseMs,
    reconcileGraceMs: config.reconcileGraceMs, workerId: config.workerId ?? `${hostname()}-${process.pid}`,
    limits: config.limits,
    mapRunStorage: createMapRunStorage(invokerOptions, config.region), mapRunLeaseMs: config.mapRunLeaseMs,
    evaluation: config.evaluation.threads === 0 ? new InThreadEvaluator() : config.evaluation,
    maxCrashedAttempts: config.maxCrashedAttempts,
    ...(config.paginationKey !== undefined ? { paginationKey: config.paginationKey } : {}),
  });
  return {
    store, queue, engine, stats: new ClusterStats(store.kysely),
    async close() {
      await engine.close();
      await queue.close().catch(() => {});
      await store.close();
      logDelivery.destroy();
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
