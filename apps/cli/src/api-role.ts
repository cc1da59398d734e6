/** Starts the API (Step Functions JSON 1.0 + REST + the web console) in front of an engine, for `baton api` and `baton server`. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ApiServer, type ApiConfig, type ApiLogger, type ApiProbes } from '@baton/api';
import type { Engine } from '@baton/engine';

export async function startApi(
  engine: Engine, config: ApiConfig, logger: ApiLogger, probes?: ApiProbes,
): Promise<{ url: string; consoleBuilt: boolean; drain(graceMs?: number): Promise<void>; hurry(): void; close(graceMs?: number): Promise<void> }> {
  const consoleDirectory = findConsoleBuild();
  const server = new ApiServer({
    backend: engine,
    auth: config.auth,
    apiKeys: config.apiKeys,
    developerMode: config.developerMode,
    arnScope: config.arnScope,
    maxBodyBytes: config.maxBodyBytes,
    logger,
    ...(probes ? { probes } : {}),
    ...(consoleDirectory ? { consoleDirectory } : {}),
  });
  // Steps the API takes itself (StartSyncExecution, activity answers, StopExecution, TestState) would wait for an
  // evaluation host to start (a process to spawn and load, about a third of a second): start one now.
  engine.rt.evaluator.warm();
  const { url } = await server.listen(config.port, config.host);
  return { url, consoleBuilt: consoleDirectory !== undefined, drain: (graceMs) => server.drain(graceMs), hurry: () => server.hurry(), close: (graceMs) => server.close(graceMs) };
}

/**
 * The web console's build output (apps/console/dist, made by `npm run build -w @baton/console`, which the root
 * `prepare` step runs at install). Found by its package's location, not imported: the console is an app, and only
 * this composition root hands its files to the API server.
 */
export function findConsoleBuild(): string | undefined {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('@baton/console/package.json')), 'dist');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}
