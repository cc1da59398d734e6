/**
 * Benchmark (not a test): N executions of a 10-state Pass chain in flight on the durable engine (Postgres +
 * BullMQ, one worker process). Each state is its own committed transition (maxTransitionsPerStep = 1), so every
 * transition pays a load, a step and a transaction. Prints transitions/s and p50/p99 time per transition.
 *
 *   npx tsc -p bench && node bench/dist/pass-chain.js [executions=200] [concurrency=16]
 * Uses DATABASE_URL's server (default local postgres; a scratch database is created and dropped) and REDIS_URL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Engine } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';

const executions = Number(process.argv[2] ?? 200);
const concurrency = Number(process.argv[3] ?? 16);
const admin = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const states: Record<string, object> = {};
for (let i = 0; i < 10; i++) states[`S${i}`] = { Type: 'Pass', Result: { step: i }, ResultPath: `$.s${i}`, ...(i < 9 ? { Next: `S${i + 1}` } : { End: true }) };
const definition = { StartAt: 'S0', States: states };

async function main(): Promise<void> {
  const name = `baton_bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const store = new PgStore({ connectionString: url.toString(), maxConnections: concurrency + 4 });
  const queue = new BullmqQueue({ redisUrl, prefix: `baton-bench-${name}` });
  try {
    await store.migrate();
    const engine = new Engine({ store, queue, maxTransitionsPerStep: 1 });
    const perTransition: number[] = [];
    let transitions = 0;
    await queue.process(async (job) => {
      if (job.kind !== 'transition') return engine.handleJob(job);
      const t0 = performance.now();
      const n = await engine.transitions.run(job.executionId);
      const ms = performance.now() - t0;
      for (let i = 0; i < n; i++) perTransition.push(ms / n);
      transitions += n;
    }, { concurrency });
    const { stateMachineArn } = await engine.createStateMachine({ name: 'chain', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/bench' });
    const t0 = performance.now();
    const arns = await Promise.all(Array.from({ length: executions }, (_, i) => engine.startExecution({ stateMachineArn, input: JSON.stringify({ i }) })));
    for (const { executionArn } of arns) {
      for (;;) {
        const d = await engine.describeExecution({ executionArn });
        if (d.status !== 'RUNNING') break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    perTransition.sort((a, b) => a - b);
    const pct = (p: number) => perTransition[Math.min(perTransition.length - 1, Math.floor((p / 100) * perTransition.length))]!.toFixed(2);
    console.log(JSON.stringify({
      executions, concurrency, transitions, seconds: Number(seconds.toFixed(2)),
      transitionsPerSecond: Math.round(transitions / seconds), p50Ms: Number(pct(50)), p99Ms: Number(pct(99)),
    }));
    await engine.close();
  } finally {
    await queue.close();
    await store.close();
    await c.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await c.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
