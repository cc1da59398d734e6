/**
 * The machine's Postgres and Redis, seen by a bench or chaos run: one scratch database (created, then dropped)
 * and one Redis key prefix (deleted afterwards), so a run leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface Scratch {
  name: string;
  url: string;
  adminUrl: string;
  redisUrl: string;
  prefix: string;
  /** Drops the database (and any extra ones made with `extraDatabase`) and deletes the prefix's keys. */
  drop(): Promise<void>;
  extraDatabase(suffix: string): Promise<string>;
}

export async function createScratch(label: string, adminUrl: string, redisUrl: string): Promise<Scratch> {
  const id = randomBytes(4).toString('hex');
  const name = `baton_${label}_${id}`;
  const prefix = `baton-${label}-${id}`;
  const names = [name];
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const urlOf = (db: string): string => {
    const u = new URL(adminUrl);
    u.pathname = `/${db}`;
    return u.toString();
  };
  return {
    name, url: urlOf(name), adminUrl, redisUrl, prefix,
    async extraDatabase(suffix) {
      const db = `${name}_${suffix}`;
      await adminQuery(adminUrl, `CREATE DATABASE ${db}`);
      names.push(db);
      return urlOf(db);
    },
    async drop() {
      for (const db of names) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch((e) => console.error(`could not drop ${db}: ${e.message}`));
      await deleteKeys(redisUrl, `${prefix}*`).catch((e) => console.error(`could not delete Redis keys ${prefix}*: ${e.message}`));
    },
  };
}

export async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

export async function deleteKeys(redisUrl: string, pattern: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let n = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) n += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return n;
}
