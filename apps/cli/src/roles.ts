/**
 * `baton api | worker | timer | server | migrate`: parse every variable the role reads once (role-config.ts),
 * check that its Postgres and Redis answer, build the engine, start the roles, and stop them gracefully on
 * SIGTERM/SIGINT (exit 0). Exit 2: a configuration problem, before anything is opened. Exit 1: a service that
 * does not answer or a port that cannot be bound, named with the role and the setting.
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
import { parseRoleConfig, unknownSettings, type Role, type RoleConfig, type ServingRole } from './role-config.js';
import { serverBanner } from './server-banner.js';
import { startTelemetry } from './telemetry.js';

export async function runRole(role: Role): Promise<number> {
  try {
    for (const name of unknownSettings(process.env)) {
      stderrLogger(role).warn('unknown setting ignored: no role reads it (misspelled?)', { variable: name });
    }
    const config = parseRoleConfig(role, process.env);
    await checkServices(config.backend);
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

async function serve(role: ServingRole, config: RoleConfig): Promise<number> {
  const log = stderrLogger(role);
  const telemetry = await startTelemetry(role, config.telemetry); // before the engine: it takes its meters when built
  const parts = await buildEngine(config.backend, config.invoker, role);
  const stops: (() => Promise<void>)[] = [];
  try {
    if (config.worker) stops.push((await startWorker({ engine: parts.engine, ...config.worker })).stop);
    if (config.timer) stops.push((await startTimer({ engine: parts.engine, ...config.timer })).stop);
    if (config.api) {
      const apiConfig = config.api;
      const api = await startApi(parts.engine, apiConfig).catch((e: unknown) => { throw listenError(e, apiConfig); });
      stops.unshift(api.close); // the API stops first: no new work while the others wind down
      log.info('listening', { url: api.url, auth: apiConfig.auth.mode, rest: apiConfig.apiKeys.length > 0 });
      if (role === 'server') process.stdout.write(serverBanner(api.url, config.backend, apiConfig, api.consoleBuilt));
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
