/**
 * Named (server-side prepared) statements for the statements every step or start runs: the step's load, its
 * one-statement commit and the start batch, and those of an activity task's round (the take, the token, the
 * answer's step). Postgres parses, analyses and plans an unnamed statement on every execution; for these multi-CTE
 * statements that was about a third of the server's CPU in the per-state Pass chain (perf, issue 13). A named
 * statement is parsed once per connection, and its plan is cached by the server (it re-plans by itself when a
 * table or index it uses changes).
 *
 * Only statements registered here with `prepared` are named, each under a fixed name: their text is constant (its
 * batches are array parameters), so a connection holds a handful of them, whatever the load. Every registered
 * statement names the columns it returns (no `*`): a migration that adds a column then leaves its cached result
 * type valid (Postgres refuses to run a cached plan whose result type changed).
 *
 * Behind a pooler that cannot keep named statements across its server connections (PgBouncer before 1.21 in
 * transaction mode, or with `max_prepared_statements = 0`), turn them off: `preparedStatements: false`
 * (`BATON_DATABASE_PREPARED_STATEMENTS=false`). Hand-written because neither Kysely nor pg names statements by
 * themselves: pg prepares a statement when its query carries a `name`, which this module adds.
 */
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

const names = new Map<string, string>();
const texts = new Map<string, string>();

/** Registers `text` under `baton_<name>`; returns the text. Each name is given to one text only. */
export function prepared(name: string, text: string): string {
  const full = `baton_${name}`;
  const taken = texts.get(full);
  if (taken === text) return text;
  if (taken !== undefined) throw new Error(`prepared statement name ${full} is taken`);
  texts.set(full, text);
  names.set(text, full);
  return text;
}

/**
 * Names a query built with Kysely (`builder.compile()`, or `sql`...``.compile(db)`), registered at its first run,
 * for the statements of the hot path that are built rather than written out: their text must not vary with the call
 * (no optional clause, no list spliced in; a second text under the same name throws), and they name their columns.
 */
export function named<Q extends { readonly sql: string }>(name: string, query: Q): Q {
  prepared(name, query.sql);
  return query;
}

/** What to hand pg's `client.query` for `text`: named when the text is registered and names are on. */
export function queryFor(text: string, values: unknown[], enabled: boolean): pg.QueryConfig {
  const name = enabled ? names.get(text) : undefined;
  return name === undefined ? { text, values } : { name, text, values };
}

/** A pooled client as Kysely's PostgresDialect uses it: `query(text, values)` names the registered statements. */
class NamingClient implements PostgresPoolClient {
  constructor(private readonly client: pg.PoolClient) {}

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(q: string | PostgresCursor<R>, values?: readonly unknown[]): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // A cursor (Kysely's streaming) passes through unchanged.
    if (typeof q !== 'string') return (this.client as unknown as PostgresPoolClient).query(q);
    return this.client.query(queryFor(q, values === undefined ? [] : [...values], true)) as unknown as Promise<PostgresQueryResult<R>>;
  }

  release(): void {
    this.client.release();
  }
}

/** The pool as Kysely's PostgresDialect sees it, naming the registered statements when `enabled`. */
export function namingPool(pool: pg.Pool, enabled: boolean): PostgresPool {
  if (!enabled) return pool as unknown as PostgresPool;
  return { connect: async () => new NamingClient(await pool.connect()), end: () => pool.end() };
}
