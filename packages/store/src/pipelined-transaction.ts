/**
 * Transactions over pg's pipeline mode (`pipeline: true` on the pool's clients, pg >= 8.23): a statement is written
 * to the server as soon as it is issued, without waiting for the answer to the one before. BEGIN goes out with the
 * transaction's first statement, and statements a caller issues without awaiting each other (the hot path's
 * compare-and-set, history insert and the commands' writes: transition-runner.ts) share one round trip. The
 * server runs them in order, as it would one after another; an error aborts the transaction, the statements behind
 * it fail with 25P02, and COMMIT answers ROLLBACK, which is reported as an error (never taken for a commit).
 *
 * Hand-written because Kysely's own transaction runs its statements one at a time (its SingleConnectionProvider
 * waits for each before the next begins): inside a transaction, statements are compiled by Kysely as before and
 * handed to the pooled client directly, in the order they are issued (Kysely's path to the client is the same
 * number of steps for every statement, so issue order is send order).
 */
import {
  Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
  type CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult,
} from 'kysely';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { queryFor } from './prepared.js';
import type { DB } from './schema.js';

class ClientConnection implements DatabaseConnection {
  constructor(private readonly client: pg.PoolClient, private readonly prepared: boolean) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { command, rowCount, rows } = await this.client.query(queryFor(compiled.sql, [...compiled.parameters], this.prepared));
    const affected = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return { rows: (rows ?? []) as R[], ...(affected ? { numAffectedRows: BigInt(rowCount ?? 0) } : {}) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not available inside a pipelined transaction');
  }
}

/** The one connection of a transaction, handed to every statement at once (no waiting for the one before). */
class ClientDriver implements Driver {
  private readonly connection: ClientConnection;

  constructor(client: pg.PoolClient, prepared: boolean) {
    this.connection = new ClientConnection(client, prepared);
  }

  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }
  async beginTransaction(): Promise<void> {
    throw new Error('a pipelined transaction cannot open another transaction');
  }
  async commitTransaction(): Promise<void> {
    throw new Error('a pipelined transaction commits through its store');
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error('a pipelined transaction rolls back through its store');
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

class ClientDialect implements Dialect {
  constructor(private readonly client: pg.PoolClient, private readonly prepared: boolean) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new ClientDriver(this.client, this.prepared);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

/** One Kysely per pooled client, made once: the pool keeps its clients for as long as they work. */
const handles = new WeakMap<pg.PoolClient, Kysely<DB>>();

function handleFor(client: pg.PoolClient, prepared: boolean): Kysely<DB> {
  let db = handles.get(client);
  if (!db) {
    db = new Kysely<DB>({ dialect: new ClientDialect(client, prepared) });
    handles.set(client, db);
  }
  return db;
}

/** The transaction was rolled back by the server (an earlier statement failed and nobody awaited its error). */
export class AbortedTransaction extends Error {}

const ignore = (): void => {};

/**
 * Runs `fn` in one transaction on a client of `pool` (which must be in pipeline mode). `fn` must await every
 * statement it issues (whatever it leaves unawaited could still be in flight when COMMIT is written).
 */
export async function pipelinedTransaction<T>(pool: pg.Pool, fn: (db: Kysely<DB>) => Promise<T>, prepared = true): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK or COMMIT did not get through is in an unknown state: it is not reused.
  let discard: Error | undefined;
  try {
    // BEGIN and the statements issued with it leave in one write (a socket write is a system call, tens of
    // microseconds on a small VM): the socket is corked until the event loop's check phase, when every statement
    // issued together has passed through Kysely's few asynchronous steps. COMMIT, later, is a write of its own.
    const stream = (client as unknown as { connection: { stream: Writable } }).connection.stream;
    stream.cork();
    setImmediate(() => stream.uncork());
    // Written now, answered with the first statement's answer.
    const begin = client.query('BEGIN');
    begin.catch(ignore);
    let result: T;
    try {
      result = await fn(handleFor(client, prepared));
      await begin;
    } catch (e) {
      await client.query('ROLLBACK').catch((r: unknown) => {
        discard = asError(r);
      });
      throw e;
    }
    let done: pg.QueryResult;
    try {
      done = await client.query('COMMIT');
    } catch (e) {
      if (!answeredByServer(e)) discard = asError(e);
      throw e;
    }
    if (done.command !== 'COMMIT') throw new AbortedTransaction(`the transaction was rolled back (${done.command}): one of its statements failed`);
    return result;
  } finally {
    client.release(discard);
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** Errors the server answered carry an SQLSTATE (five characters); a broken socket's do not. */
function answeredByServer(e: unknown): boolean {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.length === 5;
}
