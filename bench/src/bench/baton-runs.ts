/**
 * Baton's side of the bench: `baton worker` and `baton timer` processes (the real CLI) on a scratch database,
 * driven by an in-bench Engine that plays the API (StartExecution) and the activity poller
 * (GetActivityTask / SendTaskSuccess). Throughput runs preload their executions into a paused queue, then
 * resume it, so every execution is in flight at once and worker start-up is not measured.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import type { Engine } from '@baton/engine';
import { processUsage, spawnChild, spawnRole, stopChild, waitForOutput, type Child } from '../common/processes.js';
import { round, sleep, summary } from '../common/stats.js';
import { loadEvents, throughputFromEvents, type ThroughputStats } from './history-stats.js';

export interface BatonContext {
  engine: Engine;
  pool: pg.Pool;
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  workers: number;
  concurrency: number;
  /** Added to every Baton process's environment (the Lambda endpoint and credentials). */
  env?: Record<string, string>;
}

/**
 * `BENCH_NODE_ARGS`: more node options for the `baton worker` and `baton api` processes, space-separated (say
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a worker's time goes; node refuses these in NODE_OPTIONS).
 */
export function roleNodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/**
 * `BENCH_ROLE_ENV`: more variables for the Baton roles, space-separated `NAME=value` pairs (say
 * `BATON_EVALUATION_ISOLATION=thread` to see what evaluation processes cost).
 */
export function roleEnv(): Record<string, string> {
  return Object.fromEntries((process.env.BENCH_ROLE_ENV ?? '').split(' ').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`BENCH_ROLE_ENV: ${pair} is not NAME=value`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }));
}

export class BatonFleet {
  readonly children: Child[] = [];

  constructor(private readonly ctx: BatonContext) {}

  /**
   * `perStateCommit`: bench/src/bench/step-worker.ts processes (one commit per state) instead of `baton worker`.
   * `env`: more variables for every process (a Lambda endpoint, say).
   */
  async start(options: { perStateCommit?: boolean; env?: Record<string, string> } = {}): Promise<void> {
    const env = {
      ...options.env,
      DATABASE_URL: this.ctx.databaseUrl, REDIS_URL: this.ctx.redisUrl, BATON_QUEUE_PREFIX: this.ctx.prefix,
      BATON_AUTO_MIGRATE: 'false', BATON_WORKER_CONCURRENCY: String(this.ctx.concurrency),
      // Preloaded executions wait in a paused queue on purpose: the reconciler must not re-enqueue them meanwhile.
      BATON_RECONCILE_GRACE_MS: '600000',
      ...this.ctx.env,
      ...roleEnv(),
    };
    const stepWorker = new URL('./step-worker.js', import.meta.url).pathname;
    const starting = Array.from({ length: this.ctx.workers }, async (_, i) => {
      if (!options.perStateCommit) return spawnRole('worker', `worker-${i}`, { ...env, BATON_WORKER_ID: `bench-w${i}` }, roleNodeArgs());
      const c = spawnChild(`step-worker-${i}`, [...roleNodeArgs(), stepWorker], env);
      await waitForOutput(c, /"message":"started"/, 30_000);
      return c;
    });
    starting.push(spawnRole('timer', 'timer', env));
    this.children.push(...(await Promise.all(starting)));
  }

  async stop(): Promise<void> {
    for (const c of this.children.splice(0)) await stopChild(c);
  }

  assertAlive(): void {
    for (const c of this.children) if (c.proc.exitCode !== null || c.proc.signalCode !== null) throw new Error(`${c.name} died:\n${c.stderr()}`);
  }

  usage(): { cpuMs: number; rssBytes: number } {
    let cpuMs = 0, rssBytes = 0;
    for (const c of this.children) {
      const u = processUsage(c.proc.pid!);
      if (u) {
        cpuMs += u.cpuMs;
        rssBytes += u.rssBytes;
      }
    }
    return { cpuMs, rssBytes };
  }
}

export async function createMachine(engine: Engine, name: string, definition: object): Promise<string> {
  const r = await engine.createStateMachine({ name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/bench' });
  return r.stateMachineArn;
}

/** Runs `fn(i)` for i in 0..n-1 with at most `concurrency` at once. */
export async function inPool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function running(pool: pg.Pool, stateMachineArn: string): Promise<number> {
  const r = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM executions WHERE state_machine_arn = $1 AND status = 'RUNNING'`, [stateMachineArn]);
  return Number(r.rows[0]!.n);
}

export async function waitAllDone(ctx: BatonContext, fleet: BatonFleet, stateMachineArn: string, timeoutMs: number, pollMs = 200): Promise<void> {
  const end = Date.now() + timeoutMs;
  while ((await running(ctx.pool, stateMachineArn)) > 0) {
    fleet.assertAlive();
    if (Date.now() > end) throw new Error(`executions of ${stateMachineArn} still running after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
  const bad = await ctx.pool.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM executions WHERE state_machine_arn = $1 AND status <> 'SUCCEEDED' GROUP BY status`, [stateMachineArn]);
  if (bad.rows.length > 0) {
    const sample = await ctx.pool.query<{ error: string | null; cause: string | null; n: string }>(
      `SELECT error, left(cause, 300) AS cause, count(*) AS n FROM executions WHERE state_machine_arn = $1 AND status <> 'SUCCEEDED' GROUP BY 1, 2 LIMIT 5`, [stateMachineArn]);
    throw new Error(`executions did not succeed: ${JSON.stringify(bad.rows)}; ${JSON.stringify(sample.rows)}`);
  }
}

/** Preloads `executions` into the paused queue, resumes it, and measures until all have finished. */
export async function throughputRun(
  ctx: BatonContext, fleet: BatonFleet, stateMachineArn: string, executions: number, during?: () => () => Promise<void>,
  /** Called when the preloaded executions are let go, and again when all have ended (CPU is measured between). */
  phases?: { go(): void; done(): void },
): Promise<ThroughputStats & { inFlightAtStart: number }> {
  const connection = new Redis(ctx.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('work', { connection, prefix: ctx.prefix });
  let stopDuring: (() => Promise<void>) | undefined;
  try {
    await queue.pause();
    await inPool(executions, 32, async (i) => {
      await ctx.engine.startExecution({ stateMachineArn, name: `e${i}`, input: JSON.stringify({ n: i }) });
    });
    const inFlightAtStart = await running(ctx.pool, stateMachineArn);
    stopDuring = during?.();
    phases?.go();
    await queue.resume();
    await waitAllDone(ctx, fleet, stateMachineArn, 30 * 60_000);
    phases?.done();
    return { ...throughputFromEvents(await loadEvents(ctx.pool, { stateMachineArn })), inFlightAtStart };
  } finally {
    await stopDuring?.();
    await queue.resume().catch(() => {});
    await queue.close();
    connection.disconnect();
  }
}

/** `lanes` pollers answering every task of the activity with its input, until stopped. */
export function activityPollers(engine: Engine, activityArn: string, lanes: number): () => () => Promise<void> {
  return () => {
    let stopped = false;
    let answered = 0;
    const loops = Array.from({ length: lanes }, async (_, i) => {
      while (!stopped) {
        const t = await engine.getActivityTask({ activityArn, workerName: `bench-poller-${i}` });
        if (!t.taskToken) continue;
        await engine.sendTaskSuccess({ taskToken: t.taskToken, output: t.input ?? '{}' });
        answered++;
      }
    });
    return async () => {
      stopped = true;
      await Promise.all(loops);
      void answered;
    };
  };
}

/**
 * Start latency (StartExecution to the first state entered) and end-to-end latency (to the execution's closing
 * event), one execution at a time. Both are read from the history's timestamps (the roles and the bench share this
 * machine's clock), so the poll interval does not enter the figures, and the wait for the end polls every 5 ms
 * rather than every millisecond, which kept a Postgres backend and this process busy beside the execution measured,
 * on the same CPUs. (Three alternating pairs of the Lambda chain, 40 executions each, gave a per-task p50 of 8, 7 and
 * 7 ms polling every millisecond and 5, 8 and 7 ms every 5 ms: within this machine's noise.)
 */
export async function lowLoadLatency(ctx: BatonContext, stateMachineArn: string, runs: number) {
  const start: number[] = [], e2e: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = Date.now();
    const { executionArn } = await ctx.engine.startExecution({ stateMachineArn, input: JSON.stringify({ n: i }) });
    for (;;) {
      const r = await ctx.pool.query<{ status: string }>('SELECT status FROM executions WHERE arn = $1', [executionArn]);
      if (r.rows[0]?.status !== 'RUNNING') break;
      await sleep(5);
    }
    const marks = await ctx.pool.query<{ entered: number; closed: number }>(
      `SELECT (SELECT (extract(epoch from min(h."timestamp")) * 1000)::float8 FROM history_events h WHERE h.execution_id = e.id AND h.type LIKE '%StateEntered') AS entered,
              (SELECT (extract(epoch from max(h."timestamp")) * 1000)::float8 FROM history_events h WHERE h.execution_id = e.id) AS closed
         FROM executions e WHERE e.arn = $1`, [executionArn]);
    const m = marks.rows[0]!;
    start.push(Math.round(Number(m.entered)) - t0);
    e2e.push(Math.round(Number(m.closed)) - t0);
  }
  return { runs, startMs: summary(start), endToEndMs: summary(e2e) };
}

export interface ParkedResult {
  executions: number;
  startSeconds: number;
  parkSeconds: number;
  idleWindowSeconds: number;
  idleCpuPercent: number;
  idleRssMiB: number;
  processes: number;
  databaseMiB: number;
  resumeSeconds: number;
  resumedPerSecond: number;
}

/**
 * `n` executions parked in a day-long Wait: start them, wait until every one holds a timer, sample the CPU and
 * memory of the worker and timer processes while nothing is due, then bring every timer forward to now (what
 * happens when they come due) and measure how long until all have finished.
 */
export async function parkedRun(ctx: BatonContext, fleet: BatonFleet, stateMachineArn: string, n: number, idleMs = 10_000): Promise<ParkedResult> {
  const t0 = Date.now();
  await inPool(n, 64, async (i) => {
    await ctx.engine.startExecution({ stateMachineArn, name: `p${i}`, input: JSON.stringify({ n: i }) });
  });
  const startSeconds = (Date.now() - t0) / 1000;
  for (;;) {
    const r = await ctx.pool.query<{ n: string }>('SELECT count(*) AS n FROM timers');
    if (Number(r.rows[0]!.n) >= n) break;
    fleet.assertAlive();
    await sleep(1_000);
  }
  const parkSeconds = (Date.now() - t0) / 1000;
  await sleep(2_000);
  const u0 = fleet.usage();
  const w0 = Date.now();
  await sleep(idleMs);
  const u1 = fleet.usage();
  const window = Date.now() - w0;
  const size = await ctx.pool.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n');
  const r0 = Date.now();
  await ctx.pool.query(`UPDATE timers SET fire_at = now()`);
  await ctx.pool.query(`SELECT pg_notify('baton_timers', '')`);
  // Counting 100,000 rows is not free: poll once a second so that the bench does not slow down what it measures.
  await waitAllDone(ctx, fleet, stateMachineArn, 60 * 60_000, 1_000);
  const resumeSeconds = (Date.now() - r0) / 1000;
  return {
    executions: n, startSeconds: round(startSeconds, 1), parkSeconds: round(parkSeconds, 1), idleWindowSeconds: round(window / 1000, 1),
    idleCpuPercent: round(((u1.cpuMs - u0.cpuMs) / window) * 100, 1), idleRssMiB: round(u1.rssBytes / 1048576, 0),
    processes: fleet.children.length, databaseMiB: round(Number(size.rows[0]!.n) / 1048576, 0),
    resumeSeconds: round(resumeSeconds, 1), resumedPerSecond: Math.round(n / resumeSeconds),
  };
}
