/**
 * `baton api`: the Step Functions API and the REST surface over the engine (Postgres + BullMQ). Stateless: run
 * as many replicas as needed. Configuration: the engine roles' variables (DATABASE_URL, REDIS_URL, ...) and the
 * API's own (BATON_ACCESS_KEYS, BATON_API_KEYS, BATON_API_PORT/PORT, ...; see apps/api/src/env.ts). Graceful on
 * SIGTERM: stop accepting requests, end long polls, close the engine.
 */
import { ApiServer, jsonLineLogger, parseApiEnv, type ApiConfig } from '@baton/api';
import type { Engine } from '@baton/engine';
import { buildEngine, shutdownRequested, stderrLogger } from './engine-wiring.js';
import { ConfigError, parseRoleEnv } from './env.js';

export async function runApiRole(): Promise<number> {
  let apiConfig: ApiConfig;
  let roleConfig;
  try {
    apiConfig = parseApiEnv(process.env);
    roleConfig = parseRoleEnv(process.env, { redis: true });
  } catch (e) {
    // Both parsers fail with a message naming the variable (ConfigError for the engine's, Error for the API's).
    if (!(e instanceof ConfigError) && !(e instanceof Error)) throw e;
    process.stderr.write(`baton api: ${e.message}\n`);
    return 2;
  }
  const log = stderrLogger('api');
  const parts = await buildEngine(roleConfig, 'api');
  const api = await startApi(parts.engine, apiConfig);
  log.info('listening', { url: api.url, auth: apiConfig.auth.mode, rest: apiConfig.apiKeys.length > 0 });
  const sig = await shutdownRequested();
  log.info('stopping', { signal: sig });
  await api.close();
  await parts.close();
  log.info('stopped');
  return 0;
}

/** Starts the API over an engine (also for `baton server`, which runs every role in one process). */
export async function startApi(engine: Engine, config: ApiConfig): Promise<{ url: string; close(): Promise<void> }> {
  const server = new ApiServer({
    backend: engine,
    auth: config.auth,
    apiKeys: config.apiKeys,
    developerMode: config.developerMode,
    arnScope: config.arnScope,
    maxBodyBytes: config.maxBodyBytes,
    logger: jsonLineLogger,
  });
  const { url } = await server.listen(config.port, config.host);
  return { url, close: () => server.close() };
}
