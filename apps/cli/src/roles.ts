/**
 * `baton api | worker | timer | server | migrate`: parse every role's environment once (each app parses its
 * own), build the engine, start the roles, and stop them gracefully on SIGTERM/SIGINT (exit 0). A configuration
 * problem exits 2 before anything is opened.
 *
 * `server` runs every role in one process: on the embedded default (PGlite in BATON_DATA_DIR and the in-process
 * queue, API in developer mode on loopback) when DATABASE_URL is unset, on Postgres + BullMQ when it is set.
 */
import { parseApiEnv, type ApiConfig } from '@baton/api';
import { configFromEnv, type EnvInvokerOptions } from '@baton/integrations';
import { parseTimerEnv, startTimer, type TimerConfig } from '@baton/timer';
import { parseWorkerEnv, startWorker, type WorkerConfig } from '@baton/worker';
import { startApi } from './api-role.js';
import { buildEngine, openStore, shutdownRequested, stderrLogger } from './engine-wiring.js';
import { parseBackendEnv, type BackendConfig } from './env.js';
import { serverBanner } from './server-banner.js';
import { startTelemetry } from './telemetry.js';

export type Role = 'api' | 'worker' | 'timer' | 'server' | 'migrate';

interface RoleConfig {
  backend: BackendConfig;
  invoker: EnvInvokerOptions;
  api?: ApiConfig;
  worker?: WorkerConfig;
  timer?: TimerConfig;
}

export async function runRole(role: Role): Promise<number> {
  let config: RoleConfig;
  try {
    config = parseRoleConfig(role, process.env);
  } catch (e) {
    process.stderr.write(`baton ${role}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return role === 'migrate' ? migrateOnly(config.backend) : serve(role, config);
}

/** Every variable the role reads, parsed up front: each parser reports its own problems by variable name. */
export function parseRoleConfig(role: Role, env: Readonly<Record<string, string | undefined>>): RoleConfig {
  const backend = parseBackendEnv(env, role === 'server' ? 'single-process' : role === 'migrate' ? 'database-only' : 'shared');
  const config: RoleConfig = { backend, invoker: configFromEnv(env, backend.region) };
  if (role === 'api' || role === 'server') {
    // The embedded default is developer mode: authentication off unless access keys are given, loopback only.
    const embedded = role === 'server' && backend.store.kind === 'embedded';
    config.api = parseApiEnv(embedded && env.BATON_DEV_MODE === undefined ? { ...env, BATON_DEV_MODE: 'true' } : env);
  }
  if (role === 'worker' || role === 'server') config.worker = parseWorkerEnv(env);
  if (role === 'timer' || role === 'server') config.timer = parseTimerEnv(env);
  return config;
}

async function migrateOnly(backend: BackendConfig): Promise<number> {
  const store = await openStore(backend.store, 'migrate');
  try {
    const applied = await store.migrate();
    process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
    return 0;
  } finally {
    await store.close();
  }
}

async function serve(role: Role, config: RoleConfig): Promise<number> {
  const log = stderrLogger(role);
  const telemetry = await startTelemetry(role, process.env); // before the engine: it takes its meters when built
  const parts = await buildEngine(config.backend, config.invoker, role);
  const stops: (() => Promise<void>)[] = [];
  try {
    if (config.worker) stops.push((await startWorker({ engine: parts.engine, ...config.worker })).stop);
    if (config.timer) stops.push((await startTimer({ engine: parts.engine, ...config.timer })).stop);
    if (config.api) {
      const api = await startApi(parts.engine, config.api);
      stops.unshift(api.close); // the API stops first: no new work while the others wind down
      log.info('listening', { url: api.url, auth: config.api.auth.mode, rest: config.api.apiKeys.length > 0 });
      if (role === 'server') process.stdout.write(serverBanner(api.url, config.backend, config.api, api.consoleBuilt));
    }
  } catch (e) {
    for (const stop of stops) await stop().catch(() => {});
    await parts.close().catch(() => {});
    await telemetry?.shutdown().catch(() => {});
    throw e;
  }
  log.info('started', { pid: process.pid, store: config.backend.store.kind, queue: config.backend.queue.kind });
  const sig = await shutdownRequested();
  log.info('stopping', { signal: sig });
  for (const stop of stops) await stop();
  await parts.close();
  // Flushes the last spans and metric points; an unreachable collector must not fail the stop.
  await telemetry?.shutdown().catch((e) => log.warn('telemetry shutdown failed', { error: String(e) }));
  log.info('stopped');
  return 0;
}
