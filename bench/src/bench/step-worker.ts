/**
 * A worker process like `baton worker`, except that every state transition is its own committed step
 * (`maxTransitionsPerStep: 1`): the bench's apples-to-apples comparison with the per-step ceiling.
 *   env: DATABASE_URL, REDIS_URL, BATON_QUEUE_PREFIX, BATON_WORKER_CONCURRENCY
 */
import { Engine, EngineWorker } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';

const concurrency = Number(process.env.BATON_WORKER_CONCURRENCY ?? 16);
const store = new PgStore({ connectionString: process.env.DATABASE_URL!, maxConnections: concurrency + 2, applicationName: 'baton-bench-step-worker' });
const queue = new BullmqQueue({ redisUrl: process.env.REDIS_URL!, prefix: process.env.BATON_QUEUE_PREFIX! });
const engine = new Engine({ store, queue, maxTransitionsPerStep: 1, reconcileGraceMs: 600_000 });
const worker = new EngineWorker(engine, { concurrency });
await worker.start();
process.stderr.write('{"message":"started"}\n');
process.once('SIGTERM', () => {
  void (async () => {
    await worker.stop();
    await engine.close();
    await store.close();
    process.exit(0);
  })();
});
