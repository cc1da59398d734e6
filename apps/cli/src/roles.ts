/**
 * `baton api | worker | timer | server | migrate`: parse every variable the role reads once (role-config.ts),
 * check that its Postgres answers, build the engine, start the roles, and stop them gracefully on
 * SIGTERM/SIGINT (exit 0): no new work, what is in flight finishes within BATON_SHUTDOWN_GRACE_MS, the rest is
 * handed back. Exit 2: a configuration problem, before anything is opened. Exit 1: Postgres not
 * answering (Redis named too when it does not answer either) or a port that cannot be bound, named with the role
 * and the setting. Redis not answering is only a
 * warning: the role starts, serves HTTP (`/readyz` says 503 until Redis is back), StartExecution still commits
 * to Postgres, and the reconciler hands the work to the queue once Redis answers again.
 *
 * Every serving role has one metrics registry (process-metrics.ts) and answers `/healthz`, `/readyz` and
 * `/metrics`: on the API port, or on BATON_PROBE_PORT for the worker and timer.
 *
 * `server` runs every role in one process: on the embedded default (PGlite in BATON_DATA_DIR and the in-process
 * queue, API in developer mode on loopback) when DATABASE_URL is unset, on Postgres + BullMQ when it is set.
 */
import { ConfigError } from '@baton/config';
import { startTimer } from '@baton/timer';
import { startWorker } from '@baton/worker';
import { startApi } from './api-role.js';
import { buildEngine, openStore, shutdownRequested, stderrLogger } from './engine-wiring.js';
import type { StoreConfig } from './env.js';
import { checkServices, listenError, StartupError } from './preflight.js';
import { startProbeServer } from './probe-server.js';
import { startProcessMetrics, TIMER_LATE_AFTER_SECONDS } from './process-metrics.js';
import { Readiness } from './readiness.js';
import { parseRoleConfig, unknownSettings, type Role, type RoleConfig, type ServingRole } from './role-config.js';
import { serverBanner } from './server-banner.js';
import { startTelemetry } from './telemetry.js';

type GaugePool = import('./process-metrics.js').GaugeSources['pool'];

export async function runRole(role: Role): Promise<number> {
  try {
    for (const name of unknownSettings(process.env)) {
      stderrLogger(role).warn('unknown setting ignored: no role reads it (misspelled?)', { variable: name });
    }
    const config = parseRoleConfig(role, process.env);
    // Postgres must answer; Redis not answering is a warning (see the module comment).
    const level = 'invoker' in config ? config.observability.logLevel : 'info';
    await checkServices(config.backend, {
      onRedisDown: (problem) => stderrLogger(role, level).warn('Redis does not answer: starting anyway; work is queued when it is back', { error: problem }),
    });
    return 'invoker' in config ? await serve(role as ServingRole, config) : await migrateOnly(config.backend.store);
  } catch (e) {
    if (!(e instanceof ConfigError || e instanceof StartupError)) throw e;
    process.stderr.write(`baton ${role}: ${e instanceof StartupError ? 'cannot start:\n  ' : ''}${e.message}\n`);
    return e instanceof ConfigError ? 2 : 1;
  }
}

async function migrateOnly(storeConfig: StoreConfig): Promise<number> {
  const store = await openStore(storeConfig, 'migrate');
  try {
    const applied = await store.migrate();
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}

/** One running part of a role, stopped on SIGTERM within the time left before `deadline` (epoch ms). */
interface Part {
  stop(deadline: number): Promise<void>;
  /** A second signal: stop waiting, hand back what still runs. */
  hurry?(): void;
}

const left = (deadline: number): number => Math.max(0, deadline - Date.now());

async function serve(role: ServingRole, config: RoleConfig): Promise<number> {
  const log = stderrLogger(role, config.observability.logLevel);
  // Both before the engine: it takes its meters when built.
  const processMetrics = await startProcessMetrics(role, config.telemetry);
  const telemetry = await startTelemetry(role, config.telemetry);
  const parts = await buildEngine(config.backend, config.invoker, role, log);
  const readiness = new Readiness(parts.stats, config.backend.queue.kind === 'bullmq' ? config.backend.queue.url : undefined);
  processMetrics.observe({
    counts: () => parts.stats.counts(TIMER_LATE_AFTER_SECONDS),
    ...('pool' in parts.store ? { pool: (parts.store as { pool: NonNullable<GaugePool> }).pool } : {}),
    ...(config.backend.queue.kind === 'bullmq' ? { redisUp: () => readiness.redisUp } : {}),
  });
  const probes = { readiness: () => readiness.respond(), metrics: processMetrics.serve };
  // Stopped in this order: the API (no new requests; those in progress are answered), the timer (no new firing),
  // then the worker, which drains: calls in flight finish and commit, the rest is handed back at the deadline;
  // the port that serves the probes (the API's or BATON_PROBE_PORT) last, so that liveness holds while the role
  // drains and /readyz answers 503 (readiness.drain) until the process exits.
  const running: Part[] = [];
  let probeServer: { close(): Promise<void> } | undefined;
  try {
    // The API first: its port opens even while the worker waits for Redis.
    if (config.api) {
      const apiConfig = config.api;
      const api = await startApi(parts.engine, apiConfig, log, probes).catch((e: unknown) => { throw listenError(e, apiConfig); });
      // Its requests in progress are answered first; its port (and /readyz on it) closes last.
      running.push({ stop: (deadline) => api.drain(left(deadline)), hurry: () => api.hurry() });
      probeServer = { close: () => api.close(0) };
      log.info('listening', { url: api.url, auth: apiConfig.auth.mode, rest: apiConfig.apiKeys.length > 0 });
      if (role === 'server') process.stdout.write(serverBanner(api.url, config.backend, apiConfig, api.consoleBuilt));
    } else if (config.observability.probe) {
      const where = config.observability.probe;
      const probe = await startProbeServer(where, probes)
        .catch((e: unknown) => { throw listenError(e, { ...where, portVariable: 'BATON_PROBE_PORT' }); });
      probeServer = probe;
      log.info('probes listening', { url: probe.url });
    }
    if (config.timer) {
      const vacuumAfterSweep = config.backend.store.kind === 'embedded'; // PGlite runs no autovacuum
      const timer = await startTimer({ engine: parts.engine, ...config.timer, vacuumAfterSweep });
      running.push({ stop: () => timer.stop() });
    }
    if (config.worker) {
      const worker = await startWorker({ engine: parts.engine, ...config.worker });
      running.push({ stop: (deadline) => worker.stop(left(deadline)), hurry: () => worker.hurry() });
    }
    if (probeServer) {
      const server = probeServer;
      running.push({ stop: () => server.close() });
    }
  } catch (e) {
    for (const part of running) await part.stop(Date.now()).catch(() => {});
    await probeServer?.close().catch(() => {});
    await parts.close().catch(() => {});
    readiness.close();
    await telemetry?.shutdown().catch(() => {});
    await processMetrics.shutdown();
    throw e;
  }
  log.info('started', { pid: process.pid, store: config.backend.store.kind, queue: config.backend.queue.kind });
  const sig = await shutdownRequested();
  const graceMs = config.backend.shutdownGraceMs;
  const deadline = Date.now() + graceMs;
  readiness.drain(sig);
  log.info('stopping', { signal: sig, graceMs });
  const hurry = (again: string) => () => {
    log.warn('second signal: ending the drain now (API requests in progress cut, task calls in flight handed back)', { signal: again });
    for (const part of running) part.hurry?.();
  };
  process.once('SIGTERM', hurry('SIGTERM'));
  process.once('SIGINT', hurry('SIGINT'));
  // Should a stop hang (a database that stopped answering), exit before the orchestrator's SIGKILL anyway.
  const watchdog = setTimeout(() => {
    log.error('stop did not finish in time: exiting', { graceMs });
    process.exit(1);
  }, graceMs + STOP_MARGIN_MS);
  watchdog.unref();
  for (const part of running) await part.stop(deadline);
  await parts.close();
  readiness.close();
  await processMetrics.shutdown();
  // Flushes the last spans and metric points; an unreachable collector must not fail the stop.
  await telemetry?.shutdown().catch((e) => log.warn('telemetry shutdown failed', { error: String(e) }));
  clearTimeout(watchdog);
  log.info('stopped');
  return 0;
}

/** Past the grace, the time left to hand calls back, close connections and flush telemetry. */
const STOP_MARGIN_MS = 4_000;
