/**
 * The logger the API writes to: structured fields, never secrets (no Authorization header, no access-key
 * secret, no bearer key, no task token is ever passed here).
 */
export interface ApiLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: ApiLogger = { info() {}, warn() {}, error() {} };

/** One JSON line per entry on stderr. */
export const jsonLineLogger: ApiLogger = {
  info: (message, fields) => write('info', message, fields),
  warn: (message, fields) => write('warn', message, fields),
  error: (message, fields) => write('error', message, fields),
};

function write(level: string, message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: 'api', message, ...fields })}\n`);
}
