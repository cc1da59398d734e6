/**
 * The embedded store: the same repositories, migrations and SQL as `PgStore`, on PGlite (Postgres in process)
 * in a data folder. One session serves everything, so transactions run one after another (FOR UPDATE SKIP
 * LOCKED and the advisory lock of the migrations are then trivially satisfied) and LISTEN/NOTIFY is PGlite's
 * own, delivered when the notifying transaction commits. One process per data folder (a lock file).
 * Satisfies the engine's `EngineStore` port structurally, as `PgStore` does.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { migrate, MIGRATIONS_DIR } from './migrate.js';
import { lockDirectory } from './pglite/directory-lock.js';
import { PgliteDialect } from './pglite/pglite-dialect.js';
import { SessionMutex } from './pglite/session-mutex.js';
import type { DB } from './schema.js';
import { Session } from './session.js';

export interface PgliteStoreOptions {
  /** Baton's data folder: the database lives in `<dataDir>/pgdata`, the process lock in `<dataDir>/baton.lock`. */
  dataDir: string;
}

/** The database dies with this process: a step attempt's record is committed durably (session.ts). */
const EMBEDDED = { durableStepAttempts: true };

export class PgliteStore extends Session {
  readonly kysely: Kysely<DB>;
  readonly dataDir: string;

  private constructor(
    db: Kysely<DB>,
    private readonly pglite: PGlite,
    private readonly mutex: SessionMutex,
    private readonly unlock: () => void,
    dataDir: string,
  ) {
    super(db, EMBEDDED);
    this.kysely = db;
    this.dataDir = dataDir;
  }

  /** Opens (creating it if needed) the data folder; fails if another process has it open. */
  static async open(options: PgliteStoreOptions): Promise<PgliteStore> {
    const dataDir = resolve(options.dataDir);
    mkdirSync(join(dataDir, 'pgdata'), { recursive: true });
    const unlock = lockDirectory(join(dataDir, 'baton.lock'));
    try {
      // node-pg returns int8 (bigint ids, counts) as strings; so does this store, so that callers see one shape.
      const pglite = new PGlite(join(dataDir, 'pgdata'), { parsers: { [types.INT8]: (x: string) => x } });
      await pglite.waitReady;
      const mutex = new SessionMutex();
      const db = new Kysely<DB>({ dialect: new PgliteDialect(pglite, mutex) });
      return new PgliteStore(db, pglite, mutex, unlock, dataDir);
    } catch (e) {
      unlock();
      throw new Error(`cannot open the embedded database in ${dataDir}`, { cause: e });
    }
  }

  transaction<T>(fn: (tx: Session) => Promise<T>): Promise<T> {
    return this.mutex.guard(() => this.kysely.transaction().execute((trx) => fn(new Session(trx, EMBEDDED))));
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    // LISTEN is a statement on the one session: never in the middle of someone else's transaction.
    const stop = await this.mutex.run(() => this.pglite.listen(channel, onNotify));
    return () => this.mutex.run(async () => {
      if (!this.pglite.closed) await stop();
    });
  }

  /** Applies pending migrations; returns the names applied. */
  migrate(dir: string = MIGRATIONS_DIR): Promise<string[]> {
    return migrate(this.kysely, dir);
  }

  async close(): Promise<void> {
    try {
      await this.kysely.destroy();
    } finally {
      this.unlock();
    }
  }
}
