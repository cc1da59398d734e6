/**
 * The operator's sections of `npm run bench` on their own (issue 10: retention and scale-out), on this machine's
 * Postgres and Redis (or BENCH_DATABASE_URL / BENCH_REDIS_URL), cleaning up after itself:
 *
 *   node bench/dist/src/bench/ops.js [--retention-seconds 150] [--retention-rate 20] [--scale-workers 1,2,4]
 *                                   [--scale-executions 1000] [--scale-task-executions 1000] [--concurrency 16]
 *
 *   --retention-seconds N      how long the steady load runs (0 skips); the retention is a fifth of it
 *   --retention-rate N         executions started per second
 *   --retention-vacuum auto    VACUUM the swept tables every 15 s in autovacuum's place: auto (when the server's
 *                              autovacuum is off), on, off
 *   --scale-workers LIST       worker process counts ('none' skips)
 *   --scale-task-ms N          how long the Lambda stand-in takes to answer (default 100)
 */
import { cpus } from 'node:os';
import pg from 'pg';
import { Engine } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import { intFlag, parseFlags } from '../common/args.js';
import { killAllChildren } from '../common/processes.js';
import { createScratch } from '../common/services.js';
import { BatonFleet, type BatonContext } from './baton-runs.js';
import { load, printRetention, printScaleOut, retentionRun, scaleOutRun, type RetentionResult, type ScaleOutRow } from './ops-runs.js';

export interface OpsOptions {
  retentionSeconds: number;
  retentionRate: number;
  scaleWorkers: number[];
  scaleExecutions: number;
  scaleTaskExecutions: number;
  /** How long the Lambda stand-in takes to answer (ms). */
  scaleTaskMs: number;
  /** Vacuum in autovacuum's place: `auto` when the server's autovacuum is off. */
  retentionVacuum: 'auto' | 'on' | 'off';
}

export function opsOptions(flags: Map<string, string>): OpsOptions {
  const list = flags.get('scale-workers') ?? '1,2,4';
  const scaleWorkers = list === 'none' ? [] : list.split(',').map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--scale-workers must be a list of integers >= 1, or none (got '${list}')`);
    return n;
  });
  return {
    retentionSeconds: intFlag(flags, 'retention-seconds', 150, 0),
    retentionRate: intFlag(flags, 'retention-rate', 20, 1),
    scaleWorkers,
    scaleExecutions: intFlag(flags, 'scale-executions', 1000, 1),
    scaleTaskExecutions: intFlag(flags, 'scale-task-executions', 1000, 1),
    scaleTaskMs: intFlag(flags, 'scale-task-ms', 100, 0),
    retentionVacuum: vacuumFlag(flags.get('retention-vacuum') ?? 'auto'),
  };
}

function vacuumFlag(v: string): OpsOptions['retentionVacuum'] {
  if (v !== 'auto' && v !== 'on' && v !== 'off') throw new Error(`--retention-vacuum must be auto, on or off (got '${v}')`);
  return v;
}

/** Runs the sections `o` asks for on the run's context; prints each. */
export async function opsSections(ctx: BatonContext, o: OpsOptions, log: (m: string) => void): Promise<{ retention?: RetentionResult; scaleOut: ScaleOutRow[] }> {
  let retention: RetentionResult | undefined;
  if (o.retentionSeconds > 0) {
    const retentionS = Math.max(5, Math.round(o.retentionSeconds / 5));
    log(`retention: ${o.retentionRate} executions/s for ${o.retentionSeconds} s, retention ${retentionS} s (load ${load()})`);
    retention = await retentionRun(ctx, {
      rate: o.retentionRate, durationS: o.retentionSeconds, retentionS,
      ...(o.retentionVacuum === 'auto' ? {} : { vacuum: o.retentionVacuum === 'on' }),
    });
    printRetention(retention);
  }
  let scaleOut: ScaleOutRow[] = [];
  if (o.scaleWorkers.length > 0) {
    log(`scale-out: ${o.scaleWorkers.join(', ')} worker processes (load ${load()})`);
    scaleOut = await scaleOutRun(ctx, (workers) => new BatonFleet({ ...ctx, workers }), o.scaleWorkers,
      { executions: o.scaleExecutions, taskExecutions: o.scaleTaskExecutions, taskMs: o.scaleTaskMs });
    printScaleOut(scaleOut, ctx.concurrency);
  }
  return { ...(retention ? { retention } : {}), scaleOut };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const options = opsOptions(flags);
  const concurrency = intFlag(flags, 'concurrency', 16, 1);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const log = (m: string): void => void process.stderr.write(`[bench ops ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
  const scratch = await createScratch('ops', adminUrl, redisUrl);
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  const store = new PgStore({ connectionString: scratch.url, maxConnections: 6, applicationName: 'baton-bench' });
  const queue = new BullmqQueue({ redisUrl, prefix: scratch.prefix });
  const engine = new Engine({ store, queue });
  const ctx: BatonContext = { engine, pool, databaseUrl: scratch.url, redisUrl, prefix: scratch.prefix, workers: 1, concurrency };
  process.once('SIGINT', () => {
    killAllChildren();
    void scratch.drop().finally(() => process.exit(130));
  });
  try {
    await store.migrate();
    log(`database ${scratch.name}; ${cpus().length} CPUs; load ${load()}`);
    await opsSections(ctx, options, log);
    return 0;
  } finally {
    killAllChildren();
    await engine.close().catch(() => {});
    await queue.close().catch(() => {});
    await store.close().catch(() => {});
    await pool.end().catch(() => {});
    await scratch.drop();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  main().then((code) => process.exit(code), (e) => {
    console.error(e);
    killAllChildren();
    process.exit(1);
  });
}
