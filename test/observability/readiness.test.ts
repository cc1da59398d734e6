/**
 * /readyz's checks (apps/cli/src/readiness.ts) on their own: ready on a migrated database, 503 naming the
 * migrations when the database is behind this version, 503 naming Postgres when it does not answer.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterStats, PgStore } from '@baton/store';
import { Readiness } from '../../apps/cli/src/readiness.js';
import { createTestDatabase, migratedStore, REDIS_URL, type TestDatabase } from '../support/database.js';

let db: TestDatabase;
let store: PgStore;
const opened: { close(): void }[] = [];

beforeAll(async () => {
  db = await createTestDatabase('readiness');
  store = await migratedStore(db, 2);
});
afterAll(async () => {
  for (const r of opened) r.close();
  await store?.close();
  await db?.drop();
});

const readiness = (s: PgStore, redisUrl?: string): Readiness => {
  const r = new Readiness(new ClusterStats(s.kysely), redisUrl);
  opened.push(r);
  return r;
};

describe('readiness', () => {
  it('is ready on a migrated database with Redis answering', async () => {
    const r = readiness(store, REDIS_URL);
    await expect.poll(async () => (await r.respond()).status, { timeout: 10_000 }).toBe(200);
    expect(JSON.parse((await r.respond()).body)).toEqual({ status: 'ready', checks: { postgres: { ok: true }, migrations: { ok: true }, redis: { ok: true } } });
  });

  it('answers 503 naming the migrations when the database is behind this version', async () => {
    const { rows } = await store.pool.query<{ v: number; name: string }>('SELECT version AS v, name FROM schema_migrations ORDER BY version DESC LIMIT 1');
    await store.pool.query('DELETE FROM schema_migrations WHERE version = $1', [rows[0]!.v]);
    try {
      const answer = await readiness(store).respond();
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { checks: { migrations: { ok: boolean; detail: string } } };
      expect(body.checks.migrations.ok).toBe(false);
      expect(body.checks.migrations.detail).toContain(`needs ${rows[0]!.v}: run baton migrate`);
    } finally {
      await store.pool.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [rows[0]!.v, rows[0]!.name]);
    }
  });

  it('answers 503 naming Postgres when it does not answer', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const down = new PgStore({ connectionString: `postgres://postgres@127.0.0.1:${port}/none` });
    try {
      const answer = await readiness(down).respond();
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { status: string; checks: { postgres: { ok: boolean; detail: string } } };
      expect(body.status).toBe('not ready');
      expect(body.checks.postgres.ok).toBe(false);
      expect(body.checks.postgres.detail).toContain('ECONNREFUSED');
    } finally {
      await down.close();
    }
  });
});
