/**
 * A worker process like `baton worker`, except that every state transition is its own committed step
 * (`maxTransitionsPerStep: 1`): the bench's apples-to-apples comparison with the per-step ceiling.
 *   env: DATABASE_URL, REDIS_URL, BATON_QUEUE_PREFIX, BATON_WORKER_CONCURRENCY, and as `baton worker` reads them
 *   BATON_EVALUATION_THREADS (0: in this thread) and BATON_EVALUATION_ISOLATION
 */
import { Engine, EngineWorker, InThreadEvaluator } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';

const concurrency = Number(process.env.BATON_WORKER_CONCURRENCY ?? 16);
const store = new PgStore({ connectionString: process.env.DATABASE_URL!, maxConnections: concurrency + 2, applicationName: 'baton-bench-step-worker' });
const queue = new BullmqQueue({ redisUrl: process.env.REDIS_URL!, prefix: process.env.BATON_QUEUE_PREFIX! });
const threads = process.env.BATON_EVALUATION_THREADS;
const isolation = process.env.BATON_EVALUATION_ISOLATION as 'thread' | 'process' | undefined;
const evaluation = threads === '0' ? new InThreadEvaluator() : { ...(threads ? { threads: Number(threads) } : {}), ...(isolation ? { isolation } : {}) };
const engine = new Engine({ store, queue, maxTransitionsPerStep: 1, reconcileGraceMs: 600_000, evaluation });
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
