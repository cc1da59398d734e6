/**
 * `npm run bench`: Baton against the physical ceiling of its architecture and against DBOS Transact, on this
 * machine's Postgres and Redis (or BENCH_DATABASE_URL / BENCH_REDIS_URL). Prints a table and writes
 * bench/results/<timestamp>.json. Everything it creates (a scratch database, a Redis key prefix, child
 * processes) is removed when it ends.
 *
 *   --executions N        Pass chain and Choice/Wait-0 executions, all in flight at once (default 2000)
 *   --task-executions N   executions of the Task-heavy workflow (default 500)
 *   --workers N           worker processes, for Baton, the ceiling and DBOS alike (default 3)
 *   --concurrency N       jobs (or workflows) at once per worker process (default 16)
 *   --parked N            parked executions (default 100000; 0 skips)
 *   --latency-runs N      sequential executions for the low-load latencies (default 50)
 *   --skip-dbos           do not run the DBOS peer
 *   --isolation-steps N   steps per workload and evaluator in the evaluation-budget comparison (default 2000; 0 skips)
 *   --retention-seconds N, --retention-rate N, --scale-workers 1,2,4, --scale-executions N, --scale-task-executions N
 *                         the operator's sections (ops.ts: retention under steady load, scale-out; 0 / none skips)
 *   --lambda-executions N executions of the five-lambda:invoke Task chain (default 500; 0 skips the Task sections)
 *   --paired-rounds N     rounds of the Task chain on Baton and on DBOS back to back, alternating which goes first
 *                         (default 4; 0: the ratio to DBOS comes from the two single runs only)
 *   --start-calls N       StartExecution calls through the API (default 2000; 0 skips)
 *   --start-clients N     SDK clients calling StartExecution at once (default 16)
 *   --start-threads N     threads of the bench process the start clients run on, apart from its main thread (default 1)
 *   --only tasks          run only the Task sections (Lambda chain, its ceiling and DBOS, activity Tasks, starts)
 *   --only states         run only the Pass chain with one commit per state and the ceiling it is compared with
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { Engine } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import { intFlag, parseFlags } from '../common/args.js';
import { killAllChildren, repoRoot } from '../common/processes.js';
import { createScratch } from '../common/services.js';
import { round, table } from '../common/stats.js';
import {
  activityPollers, BatonFleet, createMachine, lowLoadLatency, parkedRun, throughputRun, type BatonContext, type ParkedResult,
} from './baton-runs.js';
import { runCeiling } from './ceiling.js';
import { runDbos, type PeerResult } from './dbos.js';
import { choiceWaitMix, parked, passChain, taskHeavy } from './definitions.js';
import type { ThroughputStats } from './history-stats.js';
import { isolationCost, printIsolation } from './isolation.js';
import { opsOptions, opsSections } from './ops.js';
import { startLambdaServer } from './lambda-server.js';
import { cpuMeter, idleCommitRate, lambdaEnv, printTasks, type RunCpu, startsThroughApi, taskSections, withDbCost, type StartsResult, type TaskSections } from './tasks.js';

const flags = parseFlags(process.argv.slice(2));
const executions = intFlag(flags, 'executions', 2000, 1);
const taskExecutions = intFlag(flags, 'task-executions', 500, 1);
const workers = intFlag(flags, 'workers', 3, 1);
const concurrency = intFlag(flags, 'concurrency', 16, 1);
const parkedCount = intFlag(flags, 'parked', 100_000, 0);
const latencyRuns = intFlag(flags, 'latency-runs', 50, 1);
const skipDbos = flags.has('skip-dbos');
const isolationSteps = intFlag(flags, 'isolation-steps', 2000, 0);
const ops = opsOptions(flags);
const lambdaExecutions = intFlag(flags, 'lambda-executions', 500, 0);
const pairedRounds = intFlag(flags, 'paired-rounds', 4, 0);
const startCalls = intFlag(flags, 'start-calls', 2000, 0);
const startClients = intFlag(flags, 'start-clients', 16, 1);
const startThreads = intFlag(flags, 'start-threads', 1, 1);
const only = flags.get('only');
if (only !== undefined && only !== 'tasks' && only !== 'states') throw new Error(`--only takes 'tasks' or 'states' (got '${only}')`);
const all = only === undefined;
const tasksToo = all || only === 'tasks';
const perStateToo = all || only === 'states';
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

const log = (m: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function main(): Promise<number> {
  const began = Date.now();
  const scratch = await createScratch('bench', adminUrl, redisUrl);
  const pool = new pg.Pool({ connectionString: scratch.url, max: 4 });
  const store = new PgStore({ connectionString: scratch.url, maxConnections: 12, applicationName: 'baton-bench' });
  const queue = new BullmqQueue({ redisUrl, prefix: scratch.prefix });
  const engine = new Engine({ store, queue, activityPollMs: 1_000 });
  const lambda = await startLambdaServer();
  const ctx: BatonContext = { engine, pool, databaseUrl: scratch.url, redisUrl, prefix: scratch.prefix, workers, concurrency, env: lambdaEnv(lambda) };
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  const fleet = new BatonFleet(ctx);
  const stop = (): void => {
    killAllChildren();
    void scratch.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await store.migrate();
    log(`database ${scratch.name}, Redis prefix ${scratch.prefix}; ${workers} workers x ${concurrency}, ${cpus().length} CPUs`);
    await fleet.start();
    const idleRate = await idleCommitRate(pool);
    log(`idle commit rate with the fleet running: ${(idleRate * 1000).toFixed(1)}/s (subtracted from the transaction counts)`);
    const loads: Record<string, string> = {};

    const empty = { executions: 0, transitions: 0, seconds: 0, transitionsPerSecond: 0, perTransitionMs: { n: 0, p50: NaN, p99: NaN, max: NaN }, sameCommitShare: 0, inFlightAtStart: 0 };
    let pass = empty, mix = empty, latency: Awaited<ReturnType<typeof lowLoadLatency>> | undefined;
    if (all) {
      log(`Pass chain: ${executions} executions of 10 Pass states`);
      pass = await throughputRun(ctx, fleet, await createMachine(engine, 'pass-chain', passChain()), executions);
      log(`Choice/Wait-0 mix: ${executions} executions`);
      mix = await throughputRun(ctx, fleet, await createMachine(engine, 'choice-wait', choiceWaitMix()), executions);
    }
    let tasks: Awaited<ReturnType<typeof throughputRun>> & { cpu?: RunCpu } = empty;
    if (tasksToo) {
      log(`Task-heavy: ${taskExecutions} executions of 5 activity tasks, ${workers * concurrency} in-bench pollers`);
      const { activityArn } = await engine.createActivity({ name: 'bench-activity' });
      loads.activity = load();
      const meter = cpuMeter(fleet);
      tasks = await withDbCost(pool, idleRate, async () => throughputRun(ctx, fleet, await createMachine(engine, 'task-heavy', taskHeavy(activityArn)), taskExecutions,
        activityPollers(engine, activityArn, workers * concurrency), meter));
      const cpu = meter.result();
      if (cpu) tasks = { ...tasks, cpu };
    }
    if (all) {
      log(`low-load latency: ${latencyRuns} sequential executions`);
      latency = await lowLoadLatency(ctx, await createMachine(engine, 'latency', passChain()), latencyRuns);
    }
    let taskRuns: TaskSections | undefined;
    if (tasksToo && lambdaExecutions > 0) {
      log(`Lambda Task chain: ${lambdaExecutions} executions of 5 lambda:invoke Tasks (Lambda at ${lambda.url}), its ceiling and DBOS; then ${latencyRuns} one at a time`);
      loads.lambda = load();
      taskRuns = await taskSections(ctx, fleet, lambda, idleRate, { executions: lambdaExecutions, latencyRuns, skipDbos, pairedRounds, dbosUrl: () => scratch.extraDatabase(`dbos_t${Date.now() % 1_000_000}`) });
    }
    await fleet.stop();
    let perState = empty;
    if (perStateToo) {
      log(`Pass chain again, one commit per state (maxTransitionsPerStep = 1): ${executions} executions`);
      await fleet.start({ perStateCommit: true });
      perState = await withDbCost(pool, idleRate, async () => throughputRun(ctx, fleet, await createMachine(engine, 'pass-chain-per-state', passChain()), executions));
      await fleet.stop();
    }

    let ceiling: ThroughputStats = empty;
    if (perStateToo) {
      log(`ceiling: the same chain as a bare Postgres + BullMQ pipeline, ${executions} executions`);
      ceiling = await runCeiling({ pool, databaseUrl: scratch.url, redisUrl, prefix: `${scratch.prefix}-ceiling`, executions, workers, concurrency });
    }

    let dbos: PeerResult = { ran: false, reason: all ? 'skipped (--skip-dbos)' : 'skipped (--only tasks)' };
    if (all && !skipDbos) {
      log(`DBOS Transact: the same 10-step workflow, ${executions} executions`);
      dbos = await runDbos({ databaseUrl: await scratch.extraDatabase('dbos'), executions, workers, concurrency });
    }

    let park: ParkedResult | undefined;
    if (all && parkedCount > 0) {
      log(`parked: ${parkedCount} executions in a Wait state`);
      await fleet.start();
      park = await parkedRun(ctx, fleet, await createMachine(engine, 'parked', parked()), parkedCount);
      await fleet.stop();
    }

    let starts: StartsResult | undefined;
    if (tasksToo && startCalls > 0) {
      log(`StartExecution through the API: ${startCalls} calls from ${startClients} SDK clients at once, on ${startThreads} thread${startThreads === 1 ? '' : 's'}`);
      loads.starts = load();
      starts = await startsThroughApi(ctx, idleRate, startCalls, startClients, startThreads);
    }

    const runIsolation = all && isolationSteps > 0;
    log(runIsolation ? `evaluation budgets: ${isolationSteps} steps per workload, in thread and in the thread pool` : 'evaluation budgets: skipped');
    const isolation = runIsolation ? await isolationCost(isolationSteps, concurrency) : [];
    const operations = all ? await opsSections(ctx, ops, log) : undefined;

    const result = {
      date: new Date().toISOString(), machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      settings: { executions, taskExecutions, workers, concurrency, parked: parkedCount, latencyRuns },
      baton: { passChain: pass, passChainPerStateCommit: perState, choiceWaitMix: mix, taskHeavy: tasks, latency, parked: park },
      ceiling, dbos, isolation, operations, tasks: taskRuns, starts, load: loads,
      ratioToDbosTasks: taskRuns?.dbos.ran ? round(taskRuns.lambdaTasks.transitionsPerSecond / taskRuns.dbos.transitionsPerSecond!) : null,
      ratioToCeilingTasks: taskRuns ? round(taskRuns.lambdaTasks.transitionsPerSecond / taskRuns.ceiling.transitionsPerSecond) : null,
      ratioToCeiling: round(pass.transitionsPerSecond / ceiling.transitionsPerSecond),
      ratioToCeilingPerStateCommit: round(perState.transitionsPerSecond / ceiling.transitionsPerSecond),
      ratioToDbos: dbos.ran ? round(pass.transitionsPerSecond / dbos.transitionsPerSecond!) : null,
      durationSeconds: round((Date.now() - began) / 1000, 0),
    };
    if (all) print(result.baton, ceiling, dbos, result.ratioToCeiling, result.ratioToDbos);
    if (only === 'states') console.log(`\nPass chain, one commit per state: ${perState.transitionsPerSecond} transitions/s; ceiling ${ceiling.transitionsPerSecond} steps/s; ratio ${result.ratioToCeilingPerStateCommit.toFixed(2)} (target >= 0.70)`);
    if (perStateToo && 'db' in perState) console.log(`\nPass chain, one commit per state: ${(perState as { db: { perTransition: number } }).db.perTransition} Postgres transactions per transition`);
    if (tasksToo) printTasks(taskRuns, tasks, starts, JSON.stringify(loads));
    console.log(`\nbench took ${result.durationSeconds} s`);
    if (isolation.length > 0) printIsolation(isolation);
    mkdirSync(`${repoRoot}bench/results`, { recursive: true });
    const file = `${repoRoot}bench/results/${result.date.replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nwritten: ${file.slice(repoRoot.length)}`);
    return 0;
  } finally {
    await fleet.stop().catch(() => {});
    killAllChildren();
    await engine.close().catch(() => {});
    await queue.close().catch(() => {});
    await store.close().catch(() => {});
    await pool.end().catch(() => {});
    await lambda.close().catch(() => {});
    await scratch.drop();
  }
}

function print(
  b: { passChain: ThroughputStats & { inFlightAtStart: number }; passChainPerStateCommit: ThroughputStats & { inFlightAtStart: number }; choiceWaitMix: ThroughputStats & { inFlightAtStart: number }; taskHeavy: ThroughputStats & { inFlightAtStart: number }; latency: Awaited<ReturnType<typeof lowLoadLatency>> | undefined; parked: ParkedResult | undefined },
  ceiling: ThroughputStats, dbos: PeerResult, ratio: number, ratioDbos: number | null,
): void {
  const row = (name: string, s: ThroughputStats & { inFlightAtStart?: number }) =>
    [name, s.executions, s.inFlightAtStart ?? s.executions, s.transitions, s.seconds, s.transitionsPerSecond, s.perTransitionMs.p50, s.perTransitionMs.p99, `${Math.round(s.sameCommitShare * 100)}%`];
  const rows: (string | number)[][] = [
    ['workload', 'executions', 'in flight', 'transitions', 'seconds', 'transitions/s', 'p50 ms', 'p99 ms', 'same commit'],
    row('Baton: 10-state Pass chain', b.passChain),
    row('Baton: Pass chain, 1 commit/state', b.passChainPerStateCommit),
    row('Baton: Choice/Wait-0 mix', b.choiceWaitMix),
    row('Baton: 5 activity Tasks', b.taskHeavy),
    row('ceiling: PG tx + BullMQ hop', ceiling),
  ];
  if (dbos.ran) rows.push(['DBOS Transact: 10 steps', dbos.executions!, dbos.executions!, dbos.transitions!, dbos.seconds!, dbos.transitionsPerSecond!, dbos.perTransitionMs!.p50, dbos.perTransitionMs!.p99, '-']);
  console.log('\n' + table(rows));
  console.log('\np50/p99 ms: time from entering a state to entering the next (or ending), read from the committed history.');
  console.log(`\nratio to ceiling: ${ratio.toFixed(2)}  (Pass chain transitions/s over the bare pipeline's steps/s; target >= 0.70)`);
  const perStateRatio = b.passChainPerStateCommit.transitionsPerSecond / ceiling.transitionsPerSecond;
  console.log(`ratio to ceiling with one commit per state (maxTransitionsPerStep = 1, like the ceiling): ${perStateRatio.toFixed(2)}`);
  if (b.passChain.sameCommitShare > 0) {
    console.log(
      `  Baton beats a per-state ceiling by running consecutive local states (Pass, Choice, Wait 0) in ONE transition\n` +
      `  transaction without a queue hop (${Math.round(b.passChain.sameCommitShare * 100)}% of the chain's transitions shared a commit); exactly-once holds because the\n` +
      `  whole step commits under a compare-and-set on the execution's version.`);
  }
  console.log(dbos.ran ? `ratio to DBOS:    ${ratioDbos!.toFixed(2)}  (DBOS Transact ${dbos.transitionsPerSecond} steps/s on the same Postgres)` : `DBOS Transact did not run: ${dbos.reason}`);
  const l = b.latency;
  if (l) console.log(`\nlow load (${l.runs} sequential executions of the Pass chain): start latency p50 ${l.startMs.p50} ms, p99 ${l.startMs.p99} ms; end-to-end p50 ${l.endToEndMs.p50} ms, p99 ${l.endToEndMs.p99} ms`);
  const p = b.parked;
  if (p) {
    console.log(`\nparked: ${p.executions} executions in a Wait state (started in ${p.startSeconds} s, all parked after ${p.parkSeconds} s; database ${p.databaseMiB} MiB)`);
    console.log(`  while waiting, over ${p.idleWindowSeconds} s: ${p.idleCpuPercent}% of one CPU and ${p.idleRssMiB} MiB RSS in total for ${p.processes} Baton processes (workers + timer)`);
    console.log(`  resuming all of them: ${p.resumeSeconds} s (${p.resumedPerSecond} executions/s)`);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    killAllChildren();
    process.exit(1);
  },
);
