#!/usr/bin/env node
// Regenerates migrations/schema.sql: migrates a scratch database and dumps its schema (needs `npx tsc -b` first).
// DATABASE_URL: a server where this script may create and drop a database (default: local postgres).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { PgStore, dumpSchema } from '../dist/index.js';

const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `baton_schema_${process.pid}`;
const c = new pg.Client({ connectionString: admin });
await c.connect();
await c.query(`CREATE DATABASE ${name}`);
const url = new URL(admin);
url.pathname = `/${name}`;
const store = new PgStore({ connectionString: url.toString() });
try {
  await store.migrate();
  const out = fileURLToPath(new URL('../../../migrations/schema.sql', import.meta.url));
  writeFileSync(out, await dumpSchema(store.kysely));
  console.log(`wrote ${out}`);
} finally {
  await store.close();
  await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
  await c.end();
}
