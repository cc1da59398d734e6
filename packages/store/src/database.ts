/**
 * The connection pool: Kysely over `pg`. Options are typed; nothing here reads the environment.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { namingPool } from './prepared.js';
import type { DB } from './schema.js';

export interface DatabaseOptions {
  connectionString: string;
  /** Pool size (default 10). */
  maxConnections?: number;
  applicationName?: string;
  /**
   * Whether the hot path's statements are server-side prepared (prepared.ts; default true). Off behind a pooler that
   * cannot keep named statements (PgBouncer before 1.21 in transaction mode, or with max_prepared_statements = 0).
   */
  preparedStatements?: boolean;
}

export function createPool(options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'baton',
    // Statements go out without waiting for the answer to the one before (pipelined-transaction.ts); a caller that
    // awaits each statement sees no difference.
    pipeline: true,
  });
  // An idle client losing its connection must not crash the process; the next query gets a fresh one.
  pool.on('error', () => {});
  return pool;
}

export function createDatabase(pool: pg.Pool, preparedStatements = true): Kysely<DB> {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: namingPool(pool, preparedStatements) }) });
}
