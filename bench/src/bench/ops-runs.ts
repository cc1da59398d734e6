/**
 * The operator's sections of the bench (issue 10): retention under steady load (does the database stay flat?)
 * and scale-out (throughput with 1, 2, 4 `baton worker` processes). Both run the real roles as child processes on
 * the scratch database and Redis prefix of the run, driven by the in-bench Engine playing the API.
 */
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { spawnRole, stopChild, type Child } from '../common/processes.js';
import { round, sleep, table } from '../common/stats.js';
import { createMachine, inPool, throughputRun, type BatonContext, type BatonFleet } from './baton-runs.js';
import { passChain } from './definitions.js';

const DAY_MS = 86_400_000;

/** `uptime`'s load averages (1, 5, 15 min): the machine is shared, figures mean little without them. */
export const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

// ------------------------------------------------------------------------------------------------ retention

export interface RetentionSample {
  second: number;
  databaseMiB: number;
  executions: number;
  historyEvents: number;
  started: number;
}

export interface RetentionResult {
  ratePerSecond: number;
  retentionSeconds: number;
  durationSeconds: number;
  started: number;
  deleted: number;
  samples: RetentionSample[];
  /** Size growth over the second half of the run (after the retention window filled), MiB. */
  secondHalfGrowthMiB: number;
  /** What the first half grew by, for comparison (the table fills up to its steady size). */
  firstHalfGrowthMiB: number;
  /** The server's `autovacuum` setting, and whether the bench vacuumed in its place (every `VACUUM_EVERY_S`). */
  autovacuum: string;
  benchVacuumed: boolean;
  load: string;
}

/** Tables the retention deletes from: what autovacuum would visit. */
const SWEPT_TABLES = 'executions, history_events, signals, tasks, timers, task_tokens, activity_tasks, map_runs, map_run_children';
const VACUUM_EVERY_S = 15;

/**
 * Steady load with a tiny retention: `rate` executions of the 10-state Pass chain started per second for
 * `durationS` seconds, on two `baton worker` processes and one `baton timer` with BATON_HISTORY_RETENTION_DAYS set
 * to `retentionS` seconds and a sweep every 2 s. Samples pg_database_size and the row counts every `sampleS`.
 */
export async function retentionRun(
  ctx: BatonContext, options: { rate: number; durationS: number; retentionS: number; sampleS?: number; vacuum?: boolean },
): Promise<RetentionResult> {
  const { rate, durationS, retentionS } = options;
  const sampleS = options.sampleS ?? 10;
  const env = roleEnv(ctx);
  const children: Child[] = [];
  try {
    children.push(...await Promise.all([
      spawnRole('worker', 'ret-worker-0', { ...env, BATON_WORKER_ID: 'ret-w0' }),
      spawnRole('worker', 'ret-worker-1', { ...env, BATON_WORKER_ID: 'ret-w1' }),
      spawnRole('timer', 'ret-timer', {
        ...env, BATON_HISTORY_RETENTION_DAYS: String(retentionS / (DAY_MS / 1000)), BATON_RETENTION_SWEEP_INTERVAL_MS: '2000',
      }),
    ]));
    const sm = await createMachine(ctx.engine, 'retention-steady', passChain());
    const samples: RetentionSample[] = [];
    let started = 0;
    // Deleted rows' space is reused once vacuum has passed. A server with autovacuum off (this development
    // machine's) would never reuse it: the bench then vacuums those tables itself, as autovacuum would.
    const autovacuum = (await retried(() => ctx.pool.query<{ autovacuum: string }>('SHOW autovacuum'))).rows[0]!.autovacuum;
    const benchVacuumed = options.vacuum ?? autovacuum !== 'on';
    let nextVacuum = Date.now() + VACUUM_EVERY_S * 1000;
    const t0 = Date.now();
    const sample = async (): Promise<void> => {
      const r = await retried(() => ctx.pool.query<{ size: string; executions: string; events: string }>(`SELECT
        pg_database_size(current_database())::text AS size,
        (SELECT count(*) FROM executions)::text AS executions,
        (SELECT count(*) FROM history_events)::text AS events`));
      const row = r.rows[0]!;
      samples.push({
        second: Math.round((Date.now() - t0) / 1000), databaseMiB: round(Number(row.size) / 1048576, 1),
        executions: Number(row.executions), historyEvents: Number(row.events), started,
      });
    };
    await sample();
    let nextSample = t0 + sampleS * 1000;
    // Starts in one-second ticks: `rate` executions, spread by the pool of 16 concurrent starts.
    for (let tick = 0; tick < durationS; tick++) {
      const tickStart = t0 + tick * 1000;
      await inPool(rate, 16, async () => {
        await retried(() => ctx.engine.startExecution({ stateMachineArn: sm, input: JSON.stringify({ n: started }) }));
        started++;
      });
      for (const c of children) if (c.proc.exitCode !== null) throw new Error(`${c.name} died:\n${c.stderr()}`);
      if (benchVacuumed && Date.now() >= nextVacuum) {
        await retried(() => ctx.pool.query(`VACUUM (SKIP_LOCKED) ${SWEPT_TABLES}`));
        nextVacuum += VACUUM_EVERY_S * 1000;
      }
      if (Date.now() >= nextSample) {
        await sample();
        nextSample += sampleS * 1000;
      }
      const wait = tickStart + 1000 - Date.now();
      if (wait > 0) await sleep(wait);
    }
    await sample();
    const deleted = started - samples[samples.length - 1]!.executions;
    const mid = samples[Math.floor(samples.length / 2)]!;
    const first = samples[0]!, last = samples[samples.length - 1]!;
    return {
      ratePerSecond: rate, retentionSeconds: retentionS, durationSeconds: round((Date.now() - t0) / 1000, 0), started, deleted, samples,
      firstHalfGrowthMiB: round(mid.databaseMiB - first.databaseMiB, 1), secondHalfGrowthMiB: round(last.databaseMiB - mid.databaseMiB, 1),
      autovacuum, benchVacuumed, load: load(),
    };
  } finally {
    for (const c of children) await stopChild(c);
  }
}

export function printRetention(r: RetentionResult): void {
  console.log(`\nretention under steady load: ${r.ratePerSecond} executions/s of the 10-state Pass chain for ${r.durationSeconds} s, ` +
    `BATON_HISTORY_RETENTION_DAYS = ${r.retentionSeconds} s, sweep every 2 s (load average ${r.load})`);
  console.log(table([
    ['second', 'started', 'executions kept', 'history events', 'pg_database_size MiB'],
    ...r.samples.map((s) => [s.second, s.started, s.executions, s.historyEvents, s.databaseMiB]),
  ]));
  console.log(`  ${r.started} started, ${r.deleted} deleted by the sweep; database grew ${r.firstHalfGrowthMiB} MiB in the first half ` +
    `and ${r.secondHalfGrowthMiB} MiB in the second (deleted rows' space is reused once vacuum has passed).`);
  console.log(`  the server's autovacuum is ${r.autovacuum}` + (r.benchVacuumed
    ? `: the bench ran VACUUM on the swept tables every ${VACUUM_EVERY_S} s in its place (--retention-vacuum off: it does not).`
    : '.'));
}

// ------------------------------------------------------------------------------------------------ scale-out

export interface ScaleOutRow {
  workers: number;
  workload: string;
  executions: number;
  seconds: number;
  executionsPerSecond: number;
  transitionsPerSecond: number;
  load: string;
}

/**
 * Throughput with N `baton worker` processes (each at `concurrency`), for each N of `counts`, on two workloads:
 * the 10-state Pass chain (CPU-bound: evaluation and Postgres) and a one-Lambda-Task workflow whose function (a
 * wire-level stand-in in the bench process) answers after `taskMs` (I/O-bound: waiting on the call).
 */
export async function scaleOutRun(
  ctx: BatonContext, fleetOf: (workers: number) => BatonFleet, counts: readonly number[],
  options: { executions: number; taskExecutions: number; taskMs: number },
): Promise<ScaleOutRow[]> {
  const lambda = await slowLambda(options.taskMs);
  const rows: ScaleOutRow[] = [];
  ctx = { ...ctx, engine: retrying(ctx.engine) };
  const measured = (row: ScaleOutRow): void => {
    rows.push(row);
    process.stderr.write(`  ${row.workers} workers, ${row.workload}: ${row.executionsPerSecond} executions/s, ${row.transitionsPerSecond} transitions/s (load ${row.load})\n`);
  };
  try {
    const port = (lambda.address() as { port: number }).port;
    for (const workers of counts) {
      const fleet = fleetOf(workers);
      await fleet.start({ env: { ...lambdaEnv(port), ...SMALL_POOLS } });
      try {
        const chain = await createMachine(ctx.engine, `scale-chain-${workers}`, passChain());
        const p = await throughputRun({ ...ctx, workers }, fleet, chain, options.executions);
        measured({ workers, workload: '10-state Pass chain', executions: p.executions, seconds: p.seconds,
          executionsPerSecond: round(p.executions / p.seconds, 1), transitionsPerSecond: p.transitionsPerSecond, load: load() });
        const task = await createMachine(ctx.engine, `scale-task-${workers}`, {
          StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:bench', End: true } },
        });
        const t = await throughputRun({ ...ctx, workers }, fleet, task, options.taskExecutions);
        measured({ workers, workload: `1 Lambda Task (${options.taskMs} ms)`, executions: t.executions, seconds: t.seconds,
          executionsPerSecond: round(t.executions / t.seconds, 1), transitionsPerSecond: t.transitionsPerSecond, load: load() });
      } finally {
        await fleet.stop();
      }
    }
    return rows;
  } finally {
    lambda.close();
  }
}

export function printScaleOut(rows: readonly ScaleOutRow[], concurrency: number): void {
  console.log(`\nscale-out: separate \`baton worker\` processes (${concurrency} jobs each) and one \`baton timer\`, on Postgres + BullMQ`);
  console.log(table([
    ['workers', 'workload', 'executions', 'seconds', 'executions/s', 'transitions/s', 'load average (1 5 15 min)'],
    ...rows.map((r) => [r.workers, r.workload, r.executions, r.seconds, r.executionsPerSecond, r.transitionsPerSecond, r.load]),
  ]));
}

/** A query retried while Postgres refuses new connections (53300: the shared server is full for a moment). */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if ((e as { code?: string }).code !== '53300' || attempt >= 20) throw e;
      await sleep(500);
    }
  }
}

/** The engine with the actions the bench calls retried while Postgres refuses new connections (the server is full). */
function retrying<T extends object>(target: T): T {
  const retriedActions = new Set<PropertyKey>(['startExecution', 'createStateMachine']);
  return new Proxy(target, {
    get(t, key, receiver) {
      const v = Reflect.get(t, key, receiver) as unknown;
      if (!retriedActions.has(key) || typeof v !== 'function') return v;
      return (...args: unknown[]) => retried(() => (v as (...a: unknown[]) => Promise<unknown>).apply(t, args));
    },
  });
}

function roleEnv(ctx: BatonContext): Record<string, string> {
  return {
    DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, BATON_QUEUE_PREFIX: ctx.prefix, BATON_AUTO_MIGRATE: 'false',
    BATON_WORKER_CONCURRENCY: String(ctx.concurrency), ...SMALL_POOLS,
  };
}

/** This machine's Postgres is shared (max_connections 100): each role keeps to a few connections. */
const SMALL_POOLS = { BATON_DATABASE_POOL_SIZE: '4' };

function lambdaEnv(port: number): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL_LAMBDA: `http://127.0.0.1:${port}`,
  };
}

/** Lambda's Invoke API, answering every call with its payload after `delayMs`. */
async function slowLambda(delayMs: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
      res.end(Buffer.concat(chunks).toString() || '{}');
    }, delayMs));
  });
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}
