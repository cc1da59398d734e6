/** The structured logger the engine writes to (apps pass one scoped to their role; the default is silent). */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Normalises an unknown throw once, at a boundary. */
export function ensureError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}
