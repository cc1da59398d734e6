/**
 * A Kysely dialect for PGlite (Postgres compiled to WebAssembly, in process): Postgres SQL, adapter and
 * introspector, and a driver whose single connection is the PGlite session, handed out under `SessionMutex`.
 * Like node-pg, a statement without parameters goes through the simple query protocol (several statements
 * allowed: the migrations are run that way); with parameters, through the extended protocol.
 */
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type DatabaseConnection, type Dialect, type Driver, type Kysely, type QueryResult, type TransactionSettings,
} from 'kysely';
import type { SessionMutex } from './session-mutex.js';

export class PgliteDialect implements Dialect {
  constructor(private readonly pglite: PGlite, private readonly mutex: SessionMutex) {}

  createDriver(): Driver {
    return new PgliteDriver(this.pglite, this.mutex);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}

class PgliteConnection implements DatabaseConnection {
  release: (() => void) | undefined;

  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result: Results<R> | undefined = query.parameters.length === 0
      ? ((await this.pglite.exec(query.sql)) as Results<R>[]).at(-1)
      : await this.pglite.query<R>(query.sql, query.parameters as unknown[]);
    return {
      rows: result?.rows ?? [],
      ...(result?.affectedRows !== undefined ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the PGlite dialect does not stream query results');
  }
}

class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection;

  constructor(private readonly pglite: PGlite, private readonly mutex: SessionMutex) {
    this.connection = new PgliteConnection(pglite);
  }

  async init(): Promise<void> {
    await this.pglite.waitReady;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.mutex.acquire();
    if (this.pglite.closed) {
      release();
      throw new Error('the embedded store is closed');
    }
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let text = 'BEGIN';
    if (settings.isolationLevel) text += ` ISOLATION LEVEL ${settings.isolationLevel}`;
    if (settings.accessMode) text += ` ${settings.accessMode}`;
    await connection.executeQuery(CompiledQuery.raw(text));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as PgliteConnection;
    const release = c.release;
    c.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.mutex.run(async () => {
      if (!this.pglite.closed) await this.pglite.close();
    });
  }
}
