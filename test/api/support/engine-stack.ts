/**
 * The real stack for API tests: a fresh Postgres database, a fresh BullMQ key prefix, the engine with a worker
 * and a timer service, and the API server in front. `stop()` tears everything down and drops the database and
 * the Redis keys.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Engine, EngineWorker, type TimerService } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import { ApiServer, parseAccessKeys } from '../../../apps/api/src/index.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = 'redis://127.0.0.1:6379';
export const ACCESS_KEY_ID = 'AKIDENGINE';
export const SECRET_KEY = 'engine-secret';
export const REST_KEY = 'rest-key-for-engine-tests';

export interface EngineStack {
  url: string;
  engine: Engine;
  stop(): Promise<void>;
}

export async function startEngineStack(): Promise<EngineStack> {
  const id = randomBytes(6).toString('hex');
  const dbName = `baton_api_${id}`;
  const prefix = `baton-api-test-${id}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const store = new PgStore({ connectionString: `postgres://postgres@127.0.0.1:5432/${dbName}` });
  await store.migrate();
  const queue = new BullmqQueue({ redisUrl: REDIS_URL, prefix });
  const engine = new Engine({ store, queue, activityPollMs: 2000, paginationKey: 'test-key' });
  const worker = new EngineWorker(engine, { concurrency: 4, reconcileIntervalMs: 500 });
  await worker.start();
  const timers: TimerService = engine.newTimerService();
  await timers.start();
  const server = new ApiServer({
    backend: engine,
    auth: { mode: 'sigv4', accessKeys: parseAccessKeys(`${ACCESS_KEY_ID}:${SECRET_KEY}`) },
    apiKeys: [REST_KEY],
  });
  const { url } = await server.listen(0, '127.0.0.1');
  return {
    url,
    engine,
    async stop() {
      await server.close();
      await worker.stop().catch(() => {});
      await timers.stop().catch(() => {});
      await engine.close().catch(() => {});
      await queue.close().catch(() => {});
      await store.close().catch(() => {});
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await a.end();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
