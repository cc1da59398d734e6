/** Migrations apply once under the advisory lock (even when started concurrently), and the committed dump matches. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dumpSchema, MIGRATIONS_DIR, PgStore } from '@baton/store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.js';

let db: TestDatabase;
const stores: PgStore[] = [];

beforeAll(async () => {
  db = await createTestDatabase('schema');
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await db?.drop();
});

it('concurrent migrate calls apply each migration exactly once', async () => {
  for (let i = 0; i < 3; i++) stores.push(new PgStore({ connectionString: db.url }));
  const applied = await Promise.all(stores.map((s) => s.migrate()));
  expect(applied.flat()).toEqual(['0001_init.sql', '0002_step_attempts.sql']);
  expect(await stores[0]!.migrate()).toEqual([]);
});

it('migrations/schema.sql is the dump of a freshly migrated database (regenerate: npm run schema:dump -w @baton/store)', async () => {
  const committed = readFileSync(join(MIGRATIONS_DIR, 'schema.sql'), 'utf8');
  expect(await dumpSchema(stores[0]!.kysely)).toBe(committed);
});
