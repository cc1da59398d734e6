/**
 * The Postgres store: a pool, the repositories, transactions and LISTEN. Satisfies the engine's `EngineStore`
 * port structurally (the store does not import the engine).
 */
import type pg from 'pg';
import type { Kysely } from 'kysely';
import { createDatabase, createPool, type DatabaseOptions } from './database.js';
import { Listener } from './listener.js';
import { migrate, MIGRATIONS_DIR } from './migrate.js';
import { pipelinedTransaction } from './pipelined-transaction.js';
import type { DB } from './schema.js';
import { Session } from './session.js';

export type PgStoreOptions = DatabaseOptions;

export class PgStore extends Session {
  readonly pool: pg.Pool;
  readonly kysely: Kysely<DB>;
  private readonly listener: Listener;
  private readonly prepared: boolean;

  constructor(options: PgStoreOptions) {
    const pool = createPool(options);
    const prepared = options.preparedStatements ?? true;
    const db = createDatabase(pool, prepared);
    super(db);
    this.pool = pool;
    this.kysely = db;
    this.prepared = prepared;
    this.listener = new Listener(options.connectionString);
  }

  /**
   * BEGIN goes out with the first statement, and statements `fn` issues without awaiting each other share a round
   * trip (pipelined-transaction.ts). `fn` must await every statement it issues before it returns.
   */
  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    return pipelinedTransaction(this.pool, (db) => fn(new Session(db)), this.prepared);
  }

  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    return this.listener.listen(channel, onNotify);
  }

  /** Applies pending migrations (under the advisory lock); returns the names applied. */
  migrate(dir: string = MIGRATIONS_DIR): Promise<string[]> {
    return migrate(this.kysely, dir);
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.kysely.destroy();
  }
}
