/** Starts the API (Step Functions JSON 1.0 + REST) in front of an engine, for `baton api` and `baton server`. */
import { ApiServer, jsonLineLogger, type ApiConfig } from '@baton/api';
import type { Engine } from '@baton/engine';

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
