/**
 * The ceiling: the same 10-step chain as a bare pipeline (see ceiling-worker.ts), same worker count and
 * concurrency, on tables shaped exactly like Baton's (`LIKE executions INCLUDING ALL`, indexes included).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { spawnChild, stopChild, waitForOutput } from '../common/processes.js';
import { sleep } from '../common/stats.js';
import { loadEvents, throughputFromEvents, type ThroughputStats } from './history-stats.js';

export interface CeilingOptions {
  pool: pg.Pool;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  executions: number;
  workers: number;
  concurrency: number;
  /** Table and queue name (default `ceiling`); `steps` per execution (default 10); `lambdaUrl`: each step is a Task. */
  table?: string;
  steps?: number;
  lambdaUrl?: string;
}

export async function runCeiling(o: CeilingOptions): Promise<ThroughputStats> {
  const table = o.table ?? 'ceiling';
  await o.pool.query(`CREATE TABLE ${table}_executions (LIKE executions INCLUDING ALL)`);
  await o.pool.query(`CREATE TABLE ${table}_events (LIKE history_events INCLUDING ALL)`);
  const ids: string[] = [];
  for (let i = 0; i < o.executions; i += 1000) {
    const n = Math.min(1000, o.executions - i);
    const r = await o.pool.query<{ id: string }>(
      `INSERT INTO ${table}_executions (arn, state_machine_arn, state_machine_revision, name, status, input, start_date, doc)
       SELECT 'arn:ceiling:' || g, 'arn:ceiling', 1, 'e' || g, 'RUNNING', '{}', now(), json_build_object('state', 'S0', 'data', json_build_object('i', g))
         FROM generate_series($1::int, $2::int) g RETURNING id::text`, [i, i + n - 1]);
    ids.push(...r.rows.map((x) => x.id));
  }
  const connection = new Redis(o.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(table, { connection, prefix: o.prefix });
  await queue.pause();
  for (let i = 0; i < ids.length; i += 500) {
    await queue.addBulk(ids.slice(i, i + 500).map((id) => ({ name: 'step', data: { id, step: 0 }, opts: { jobId: `c-${id}-0`, removeOnComplete: true, removeOnFail: true } })));
  }
  const env: Record<string, string> = {
    DATABASE_URL: o.databaseUrl, REDIS_URL: o.redisUrl, CEILING_PREFIX: o.prefix, CONCURRENCY: String(o.concurrency),
    CEILING_TABLE: table, STEPS: String(o.steps ?? 10), ...(o.lambdaUrl !== undefined ? { LAMBDA_URL: o.lambdaUrl } : {}),
  };
  const script = new URL('./ceiling-worker.js', import.meta.url).pathname;
  const workers = Array.from({ length: o.workers }, (_, i) => spawnChild(`${table}-${i}`, [script], env));
  try {
    for (const w of workers) await waitForOutput(w, /"message":"started"/, 30_000);
    await queue.resume();
    for (;;) {
      const r = await o.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}_executions WHERE status = 'RUNNING'`);
      if (Number(r.rows[0]!.n) === 0) break;
      for (const w of workers) if (w.proc.exitCode !== null) throw new Error(`${w.name} died:\n${w.stderr()}`);
      await sleep(200);
    }
  } finally {
    for (const w of workers) await stopChild(w);
    await queue.close();
    connection.disconnect();
  }
  return throughputFromEvents(await loadEvents(o.pool, { ceiling: table }));
}
