/**
 * Numbered SQL migrations (`migrations/0001_init.sql`, ...) applied in order, each in its own transaction, under a
 * Postgres advisory lock so that replicas starting together apply them once. Applied versions are recorded in
 * `schema_migrations`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { HistoryPartitions } from './repos/history-partitions.js';

/** The repository's `migrations/` folder (the same path from `src/` and from `dist/`). */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** Any constant shared by every Baton process; it names the advisory lock. */
const LOCK_KEY = 0x6261746f; // 'bato'

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

/**
 * Applies the pending migrations, then creates the history partitions due ahead of the execution identity (the
 * timer role keeps them ahead from then on; migration 0012); returns the names applied.
 */
export async function migrate(db: Kysely<any>, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const applied = await applyMigrations(db, dir);
  await new HistoryPartitions(db).ensureAhead();
  return applied;
}

async function applyMigrations(db: Kysely<any>, dir: string): Promise<string[]> {
  const migrations = loadMigrations(dir);
  return db.connection().execute(async (conn) => {
    await sql`SELECT pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`.execute(conn);
      const done = await sql<{ version: number }>`SELECT version FROM schema_migrations`.execute(conn);
      const applied = new Set(done.rows.map((r) => r.version));
      const names: string[] = [];
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await sql`BEGIN`.execute(conn);
        try {
          await sql.raw(m.sql).execute(conn);
          await sql`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${m.name})`.execute(conn);
          await sql`COMMIT`.execute(conn);
        } catch (e) {
          await sql`ROLLBACK`.execute(conn);
          throw new Error(`migration ${m.name} failed`, { cause: e });
        }
        names.push(m.name);
      }
      return names;
    } finally {
      await sql`SELECT pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
}
