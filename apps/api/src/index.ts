/**
 * @baton/api: the Step Functions JSON 1.0 API, the REST surface and their authentication. Stateless; it reaches
 * the engine only through the `SfnBackend` given to `ApiServer`.
 */
export { ApiServer, type ApiServerOptions, type ApiAuth, type ApiProbes } from './server.js';
export { parseAccessKeys, type AccessKeys } from './auth/access-keys.js';
export { parseApiKeys } from './rest/bearer.js';
export { apiEnv, arnScopeEnv, MIN_SECRET_LENGTH, parseApiEnv, type ApiConfig } from './env.js';
export { silentLogger, type ApiLogger } from './logger.js';
export { openApiDocument } from './rest/openapi.js';
export { validateStateMachineDefinition } from './json-protocol/validate-definition.js';
