/**
 * The logger port the API writes to: structured fields, never secrets (no Authorization header, no access-key
 * secret, no bearer key, no task token is ever passed here). The roles hand it the process logger of
 * @baton/observability (pino, JSON lines on stderr), which also redacts such fields should one slip through.
 */
export interface ApiLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: ApiLogger = { info() {}, warn() {}, error() {} };
