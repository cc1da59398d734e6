/**
 * What a role checks before it starts serving, so that a wrong address fails at once with the role and the
 * setting named (and no password printed) rather than as a retry loop in the logs: Postgres answers a query,
 * Redis answers PING, the API's port can be bound. `baton healthcheck` runs the same checks.
 */
import { Redis } from 'ioredis';
import pg from 'pg';
import type { BackendConfig } from './env.js';

/** A role cannot start (exit 1): something it was configured to use does not answer. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Checks, in parallel, every service the backend uses; throws one `StartupError` naming each that failed. With
 * `onRedisDown`, Redis alone not answering is handed to it instead (a role starts without Redis: roles.ts).
 */
export async function checkServices(
  backend: Partial<Pick<BackendConfig, 'store' | 'queue'>>, options: { onRedisDown?: (problem: string) => void } = {},
): Promise<void> {
  let postgres: Promise<string | undefined> = Promise.resolve(undefined);
  let redis: Promise<string | undefined> = Promise.resolve(undefined);
  if (backend.store?.kind === 'postgres') {
    const url = backend.store.url;
    postgres = pingPostgres(url).then(() => undefined, (e) => `cannot reach Postgres at DATABASE_URL (${redactUrl(url)}): ${describeError(e)}`);
  }
  if (backend.queue?.kind === 'bullmq') {
    const url = backend.queue.url;
    redis = pingRedis(url).then(() => undefined, (e) => `cannot reach Redis at REDIS_URL (${redactUrl(url)}): ${describeError(e)}`);
  }
  const [pgProblem, redisProblem] = await Promise.all([postgres, redis]);
  if (redisProblem !== undefined && pgProblem === undefined && options.onRedisDown) return options.onRedisDown(redisProblem);
  const problems = [pgProblem, redisProblem].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new StartupError(problems.join('\n  '));
}

/** Turns a failed `listen` into the setting to change. */
export function listenError(e: unknown, where: { host: string; port: number; portVariable: string }): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const at = `port ${where.port} (${where.portVariable}) on ${where.host}`;
  if (code === 'EADDRINUSE') return new StartupError(`${at} is already in use: stop what listens there or set ${where.portVariable} to a free port`);
  if (code === 'EACCES') return new StartupError(`${at} may not be opened by this user: choose a port above 1023 in ${where.portVariable}`);
  if (code === 'EADDRNOTAVAIL') return new StartupError(`${at}: no such local address (BATON_API_HOST)`);
  return e instanceof Error ? e : new Error(String(e));
}

/** The URL with its password replaced by `***`. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function pingPostgres(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, application_name: 'baton-preflight' });
  client.on('error', () => {}); // a dropped connection after the check is not this check's business
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => {});
  }
}

async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 0, enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() rejects with a bare "Connection is closed"; the socket's own error says why.
  let cause: Error | undefined;
  redis.on('error', (e: Error) => (cause ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    throw cause ?? e;
  } finally {
    redis.disconnect();
  }
}

/** The code and message of an error; for an AggregateError (each address of a host refused), its parts. */
function describeError(e: unknown): string {
  if (e instanceof AggregateError && e.errors.length > 0) return [...new Set(e.errors.map(describeError))].join('; ');
  const err = e as { code?: string; message?: string };
  const message = err.message ?? String(e);
  return err.code && !message.includes(err.code) ? `${err.code} ${message}`.trim() : message;
}
