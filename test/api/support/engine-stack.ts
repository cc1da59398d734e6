/**
 * The real stack for API tests, on either backend Baton runs on:
 * - `postgres`: a fresh Postgres database and a fresh BullMQ key prefix; the API checks SigV4 and bearer keys.
 * - `embedded`: what `npm start` runs: PGlite in a fresh temporary data folder and the in-process queue; the API
 *   in developer mode (authentication off, loopback).
 * Either way: the engine with a worker and a timer service, and the API server in front. `stop()` tears
 * everything down and removes the database, the Redis keys or the data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, EngineWorker, type EngineOptions, type EngineStore, type TimerService, type WorkQueue } from '@baton/engine';
import { BullmqQueue, InProcessQueue } from '@baton/queue';
import { PgliteStore } from '@baton/store';
import { ApiServer, parseAccessKeys, type ApiServerOptions } from '../../../apps/api/src/index.js';
import { clearRedisPrefix, createTestDatabase, migratedStore, REDIS_URL, testPrefix } from '../../support/database.js';

export const ACCESS_KEY_ID = 'AKIDENGINE';
export const SECRET_KEY = 'engine-secret';
export const REST_KEY = 'rest-key-for-engine-tests';

export type Backend = 'postgres' | 'embedded';
export const BACKENDS: readonly Backend[] = ['postgres', 'embedded'];

export interface EngineStack {
  backend: Backend;
  url: string;
  engine: Engine;
  /** The engine's store (to read what the API wrote). */
  store: EngineStore;
  stop(): Promise<void>;
}

interface Backing {
  store: EngineStore & { close(): Promise<void> };
  queue: WorkQueue;
  auth: Pick<ApiServerOptions, 'auth' | 'apiKeys' | 'developerMode'>;
  drop(): Promise<void>;
}

async function postgresBacking(): Promise<Backing> {
  const db = await createTestDatabase('api');
  const prefix = testPrefix('api');
  const store = await migratedStore(db);
  return {
    store,
    queue: new BullmqQueue({ redisUrl: REDIS_URL, prefix }),
    auth: { auth: { mode: 'sigv4', accessKeys: parseAccessKeys(`${ACCESS_KEY_ID}:${SECRET_KEY}`) }, apiKeys: [REST_KEY] },
    async drop() {
      await db.drop();
      await clearRedisPrefix(prefix);
    },
  };
}

async function embeddedBacking(): Promise<Backing> {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-api-embedded-'));
  const store = await PgliteStore.open({ dataDir });
  await store.migrate();
  return {
    store,
    queue: new InProcessQueue(),
    auth: { auth: { mode: 'off' }, developerMode: true },
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * `engineOptions` adds to or overrides the engine's options (e.g. a scripted random source, smaller quotas);
 * `server` the API server's (e.g. the console's directory).
 */
export async function startEngineStack(
  backend: Backend = 'postgres',
  engineOptions: Partial<Omit<EngineOptions, 'store' | 'queue'>> = {},
  server: Partial<ApiServerOptions> = {},
): Promise<EngineStack> {
  const { store, queue, auth, drop } = backend === 'postgres' ? await postgresBacking() : await embeddedBacking();
  const engine = new Engine({ store, queue, activityPollMs: 2000, ...engineOptions });
  const worker = new EngineWorker(engine, { concurrency: 4, reconcileIntervalMs: 500 });
  await worker.start();
  const timers: TimerService = engine.newTimerService();
  await timers.start();
  const api = new ApiServer({ backend: engine, ...auth, ...server });
  const { url } = await api.listen(0, '127.0.0.1');
  return {
    backend,
    url,
    engine,
    store,
    async stop() {
      await api.close();
      await worker.stop().catch(() => {});
      await timers.stop().catch(() => {});
      await engine.close().catch(() => {});
      await queue.close().catch(() => {});
      await store.close().catch(() => {});
      await drop();
    },
  };
}
