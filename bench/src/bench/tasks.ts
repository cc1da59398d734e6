/**
 * The Task sections of `npm run bench` (issue 13): what a Task state costs, next to what the local states cost.
 *   - five `lambda:invoke` Tasks per execution on the real `baton worker` processes, the Lambda a wire-level HTTP
 *     endpoint in this process (lambda-server.ts) reached through AWS_ENDPOINT_URL_LAMBDA;
 *   - its ceiling: the bare pipeline with one call + one commit + one BullMQ hop per task (ceiling-worker.ts);
 *   - DBOS Transact running the same five calls as checkpointed steps, in the same run, on the same Postgres;
 *   - per-task p50/p99 at low load (one execution at a time), Baton and DBOS;
 *   - StartExecution through the API (`baton api`, the real @aws-sdk/client-sfn, many clients at once);
 *   - Postgres transactions (pg_stat_database.xact_commit) and, when pg_stat_statements is loaded, statements
 *     per transition / per Task.
 */
import { createTaskInvoker, type TaskRequest } from '@baton/integrations';
import type pg from 'pg';
import { cpuSince, machineCpu, processUsage, spawnRole, stopChild, type MachineCpu } from '../common/processes.js';
import { round, sleep, summary } from '../common/stats.js';
import { createMachine, lowLoadLatency, roleEnv, roleNodeArgs, throughputRun, type BatonContext, type BatonFleet } from './baton-runs.js';
import { runCeiling } from './ceiling.js';
import { runDbos, type PeerResult } from './dbos.js';
import { lambdaChain, TASKS_PER_EXECUTION } from './definitions.js';
import { loadEvents, throughputFromEvents, type ThroughputStats } from './history-stats.js';
import { invokeLambda, type LambdaServer } from './lambda-server.js';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StartClientsData } from './start-clients.js';

const ctxCpus = (): number => cpus().length;

/** Environment a Baton process needs to call the bench's Lambda through the real SDK. */
export function lambdaEnv(lambda: LambdaServer): Record<string, string> {
  return { AWS_ENDPOINT_URL_LAMBDA: lambda.url, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_REGION: 'us-east-1' };
}

export interface DbCost {
  /** Committed transactions in the run's database over the run, less the idle rate (pollers, reconcilers) times its length. */
  transactions: number;
  statements: number | null;
  perTransition: number;
  statementsPerTransition: number | null;
}

interface DbSnapshot { at: number; xact: number; statements: number | null }

async function snapshot(pool: pg.Pool): Promise<DbSnapshot> {
  const x = await pool.query<{ n: string }>('SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()');
  let statements: number | null = null;
  try {
    const s = await pool.query<{ n: string }>(
      'SELECT coalesce(sum(calls), 0) AS n FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())');
    statements = Number(s.rows[0]!.n);
  } catch {
    statements = null; // not loaded (shared_preload_libraries) or not created in this database
  }
  return { at: Date.now(), xact: Number(x.rows[0]!.n), statements };
}

// Backends report their counters to pg_stat_database at most once a second, and an idle one after up to 10 s.
const STATS_SETTLE_MS = 11_000;

/** The database's idle commit rate (per ms) while the fleet runs with nothing to do: subtracted from each run. */
export async function idleCommitRate(pool: pg.Pool, ms = 6_000): Promise<number> {
  await sleep(STATS_SETTLE_MS);
  const a = await snapshot(pool);
  await sleep(ms);
  const b = await snapshot(pool);
  return Math.max(0, (b.xact - a.xact) / (b.at - a.at));
}

export async function withDbCost<T extends { transitions: number }>(pool: pg.Pool, idleRate: number, run: () => Promise<T>): Promise<T & { db: DbCost }> {
  await sleep(STATS_SETTLE_MS);
  const a = await snapshot(pool);
  const r = await run();
  await sleep(STATS_SETTLE_MS);
  const b = await snapshot(pool);
  const transactions = Math.max(0, Math.round(b.xact - a.xact - idleRate * (b.at - a.at)));
  const statements = a.statements !== null && b.statements !== null ? b.statements - a.statements : null;
  return {
    ...r,
    db: {
      transactions, statements, perTransition: round(transactions / Math.max(1, r.transitions)),
      statementsPerTransition: statements !== null ? round(statements / Math.max(1, r.transitions)) : null,
    },
  };
}

/** CPU spent while a run's work was in flight (from letting it go to its end), whole machine and by process. */
export interface RunCpu {
  batonMs: number;
  machine: MachineCpu;
}

export function cpuMeter(fleet?: BatonFleet): { go(): void; done(): void; result(): RunCpu | undefined } {
  let m0: MachineCpu | undefined;
  let b0 = 0;
  let out: RunCpu | undefined;
  return {
    go() {
      m0 = machineCpu();
      b0 = fleet?.usage().cpuMs ?? 0;
    },
    done() {
      if (m0) out = { machine: cpuSince(m0), batonMs: (fleet?.usage().cpuMs ?? 0) - b0 };
    },
    result: () => out,
  };
}

/**
 * What one call to the Lambda stand-in costs in CPU, in this process (the caller and the stand-in both): through
 * Baton's task invoker, as its workers make the call (its AWS SDK client: SigV4 signing, the middleware stack; one
 * attempt), and as a bare `fetch`, which is how the ceiling and the DBOS workflow call it. Sequential calls, after a
 * warm-up.
 */
export async function callCost(lambda: LambdaServer, calls = 1000): Promise<{ sdkMs: number; fetchMs: number }> {
  const invoker = createTaskInvoker({
    region: 'us-east-1', endpoints: { lambda: lambda.url }, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const request: TaskRequest = {
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:bench:call-cost', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:bench', stateName: 'T0', taskId: 'k1',
    resource: 'arn:aws:states:::lambda:invoke', pattern: 'request-response', attempt: 0, region: 'us-east-1',
    parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:bench-echo', Payload: { step: 1 } },
  };
  const sdk = async () => {
    const r = await invoker.invoke(request, new AbortController().signal);
    if (r.kind !== 'succeeded') throw new Error(`the Lambda stand-in call failed: ${JSON.stringify(r)}`);
  };
  const bare = () => invokeLambda(lambda.url, 1);
  const cost = async (call: () => Promise<unknown>): Promise<number> => {
    for (let i = 0; i < 100; i++) await call();
    const c0 = process.cpuUsage();
    for (let i = 0; i < calls; i++) await call();
    const c = process.cpuUsage(c0);
    return round((c.user + c.system) / 1000 / calls);
  };
  try {
    return { sdkMs: await cost(sdk), fetchMs: await cost(bare) };
  } finally {
    invoker.destroy();
  }
}

export interface TaskSections {
  lambdaTasks: ThroughputStats & { inFlightAtStart: number; db: DbCost; cpuMsPerTask: number; cpu?: RunCpu };
  ceiling: ThroughputStats;
  dbos: PeerResult & { cpu?: RunCpu };
  lowLoad: { runs: number; perTaskMs: ReturnType<typeof summary>; endToEndMs: ReturnType<typeof summary>; dbosPerStepMs: ReturnType<typeof summary> | null };
  call: { sdkMs: number; fetchMs: number };
  /** Baton and DBOS back to back, alternating which goes first (pairedRounds); empty when DBOS did not run. */
  paired: PairedRound[];
}

export interface PairedRound {
  first: 'Baton' | 'DBOS';
  batonTasksPerSecond: number;
  dbosStepsPerSecond: number;
  ratio: number;
}

/**
 * The Lambda chain on Baton and on DBOS back to back, in `rounds` rounds that alternate which of the two goes first
 * (Baton then DBOS, DBOS then Baton, ...), each on new executions and a new DBOS database. On a shared machine the
 * speed drifts by up to half within a minute (other tenants' load), and the single runs above are half a minute
 * apart: a ratio of two such runs measures the drift as much as the code. Within a round the two runs are seconds
 * apart, and alternating the order cancels a steady drift. Baton's workers run only during Baton's part, as DBOS's
 * processes only during its own.
 */
export async function pairedRounds(
  ctx: BatonContext, fleet: BatonFleet, lambda: LambdaServer,
  o: { rounds: number; executions: number; dbosUrl: () => Promise<string> },
): Promise<PairedRound[]> {
  const out: PairedRound[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const arn = await createMachine(ctx.engine, `lambda-chain-paired-${r}`, lambdaChain());
    const baton = async (): Promise<number> => {
      await fleet.start();
      try {
        return (await throughputRun(ctx, fleet, arn, o.executions)).transitionsPerSecond;
      } finally {
        await fleet.stop();
      }
    };
    const dbos = async (): Promise<number> => {
      const d = await runDbos({ databaseUrl: await o.dbosUrl(), executions: o.executions, workers: ctx.workers, concurrency: ctx.concurrency, steps: TASKS_PER_EXECUTION, lambdaUrl: lambda.url });
      if (!d.ran) throw new Error(`DBOS did not run in a paired round: ${d.reason}`);
      return d.transitionsPerSecond!;
    };
    const first = r % 2 === 0 ? 'Baton' : 'DBOS';
    let batonTasksPerSecond: number;
    let dbosStepsPerSecond: number;
    if (first === 'Baton') {
      batonTasksPerSecond = await baton();
      dbosStepsPerSecond = await dbos();
    } else {
      dbosStepsPerSecond = await dbos();
      batonTasksPerSecond = await baton();
    }
    out.push({ first, batonTasksPerSecond, dbosStepsPerSecond, ratio: round(batonTasksPerSecond / dbosStepsPerSecond) });
  }
  return out;
}

/** The median of the rounds' ratios (the mean of the middle two for an even count). */
export function medianRatio(rounds: readonly PairedRound[]): number {
  const r = rounds.map((x) => x.ratio).sort((a, b) => a - b);
  const m = Math.floor(r.length / 2);
  return r.length % 2 === 1 ? r[m]! : round((r[m - 1]! + r[m]!) / 2);
}

export async function taskSections(
  ctx: BatonContext, fleet: BatonFleet, lambda: LambdaServer, idleRate: number,
  o: { executions: number; latencyRuns: number; skipDbos: boolean; pairedRounds: number; dbosUrl: () => Promise<string> },
): Promise<TaskSections> {
  const arn = await createMachine(ctx.engine, 'lambda-chain', lambdaChain());
  const meter = cpuMeter(fleet);
  const measured = await withDbCost(ctx.pool, idleRate, () => throughputRun(ctx, fleet, arn, o.executions, undefined, meter));
  // CPU of the worker and timer processes (and their evaluation processes) while the executions ran.
  const cpu = meter.result();
  const lambdaTasks = { ...measured, cpuMsPerTask: round((cpu?.batonMs ?? NaN) / Math.max(1, measured.transitions)), ...(cpu ? { cpu } : {}) };
  const lowArn = await createMachine(ctx.engine, 'lambda-chain-low-load', lambdaChain());
  const low = await lowLoadLatency(ctx, lowArn, o.latencyRuns);
  const lowStats = throughputFromEvents(await loadEvents(ctx.pool, { stateMachineArn: lowArn }));
  await fleet.stop();
  const ceiling = await runCeiling({
    pool: ctx.pool, databaseUrl: ctx.databaseUrl, redisUrl: ctx.redisUrl, prefix: `${ctx.prefix}-ceiling-tasks`,
    executions: o.executions, workers: ctx.workers, concurrency: ctx.concurrency, table: 'ceiling_tasks', steps: TASKS_PER_EXECUTION, lambdaUrl: lambda.url,
  });
  let dbos: TaskSections['dbos'] = { ran: false, reason: 'skipped (--skip-dbos)' };
  let dbosLow: PeerResult | undefined;
  if (!o.skipDbos) {
    const dbosMeter = cpuMeter();
    dbos = await runDbos({ databaseUrl: await o.dbosUrl(), executions: o.executions, workers: ctx.workers, concurrency: ctx.concurrency, steps: TASKS_PER_EXECUTION, lambdaUrl: lambda.url, phases: dbosMeter });
    const dbosCpu = dbosMeter.result();
    if (dbosCpu) dbos = { ...dbos, cpu: dbosCpu };
    dbosLow = await runDbos({ databaseUrl: await o.dbosUrl(), executions: o.latencyRuns, workers: 1, concurrency: 1, steps: TASKS_PER_EXECUTION, lambdaUrl: lambda.url });
  }
  const paired = !dbos.ran ? [] : await pairedRounds(ctx, fleet, lambda, { rounds: o.pairedRounds, executions: o.executions, dbosUrl: o.dbosUrl });
  const call = await callCost(lambda);
  return {
    lambdaTasks, ceiling, dbos, call, paired,
    lowLoad: { runs: low.runs, perTaskMs: lowStats.perTransitionMs, endToEndMs: low.endToEndMs, dbosPerStepMs: dbosLow?.ran ? dbosLow.perTransitionMs! : null },
  };
}

export interface StartsResult {
  calls: number;
  clients: number;
  /** The threads of the bench process the clients ran on. */
  threads: number;
  seconds: number;
  startsPerSecond: number;
  perCallMs: ReturnType<typeof summary>;
  db: DbCost;
  /** CPU time (user + system) of the API process per start, in microseconds: meaningful on a busy machine too. */
  apiCpuUsPerStart: number;
  /** The whole machine's CPU per start (the SDK clients in this process included), and how busy its CPUs were. */
  machineCpuUsPerStart: number;
  benchCpuUsPerStart: number;
  machineBusyPercent: number;
}

/**
 * A start-clients.ts thread: `ready` once its clients are warm, `done` with its latencies once its calls are made
 * (after `go`); either rejects if the thread fails or exits first.
 */
function startClientsThread(data: StartClientsData): { worker: Worker; ready: Promise<void>; done: Promise<number[]> } {
  const worker = new Worker(new URL('./start-clients.js', import.meta.url), { workerData: data });
  let warm = (): void => {};
  const warmed = new Promise<void>((resolve) => (warm = resolve));
  const done = new Promise<number[]>((resolve, reject) => {
    worker.on('message', (m: 'ready' | number[]) => (m === 'ready' ? warm() : resolve(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a start-clients thread exited (${code}) before its calls were done`)));
  });
  // Awaited only after every thread is ready: a failure before then is reported through `ready`.
  done.catch(() => undefined);
  return { worker, ready: Promise.race([warmed, done.then(() => undefined)]), done };
}

/**
 * StartExecution through a `baton api` process with `clients` SDK clients calling at once (the workers are
 * stopped, so this measures the API's path: accept, commit, enqueue). Every call must succeed.
 */
export async function startsThroughApi(ctx: BatonContext, idleRate: number, calls: number, clients: number, threads: number): Promise<StartsResult> {
  const api = await spawnRole('api', 'api', {
    DATABASE_URL: ctx.databaseUrl, REDIS_URL: ctx.redisUrl, BATON_QUEUE_PREFIX: ctx.prefix, BATON_AUTO_MIGRATE: 'false',
    BATON_DEV_MODE: 'true', BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0', ...roleEnv(),
  }, roleNodeArgs());
  const workers: Worker[] = [];
  try {
    const arn = await createMachine(ctx.engine, 'starts', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    // The clients, spread over `threads` threads of this process (start-clients.ts); each warms its connections and
    // the API's caches (state machine, program) before the clock starts.
    const spread = Math.min(threads, clients);
    const fleet = Array.from({ length: spread }, (_, t) => startClientsThread({
      url: api.url!, stateMachineArn: arn, clients: Math.floor(clients / spread) + (t < clients % spread ? 1 : 0), calls, thread: t, threads: spread,
    }));
    workers.push(...fleet.map((f) => f.worker));
    await Promise.all(fleet.map((f) => f.ready));
    let lat: number[] = [];
    let seconds = 0;
    let apiCpuMs = 0;
    let machine: MachineCpu | undefined;
    const r = await withDbCost(ctx.pool, idleRate, async () => {
      const t0 = Date.now();
      const cpu0 = processUsage(api.proc.pid!)?.cpuMs ?? NaN;
      const m0 = machineCpu();
      for (const w of workers) w.postMessage('go');
      lat = (await Promise.all(fleet.map((f) => f.done))).flat();
      seconds = (Date.now() - t0) / 1000;
      apiCpuMs = (processUsage(api.proc.pid!)?.cpuMs ?? NaN) - cpu0;
      machine = cpuSince(m0);
      return { transitions: calls };
    });
    const n = await ctx.pool.query<{ n: string }>(`SELECT count(*) AS n FROM executions WHERE state_machine_arn = $1 AND name LIKE 's%'`, [arn]);
    if (Number(n.rows[0]!.n) !== calls) throw new Error(`starts: ${n.rows[0]!.n} executions recorded for ${calls} calls`);
    return {
      calls, clients, threads: spread, seconds: round(seconds), startsPerSecond: Math.round(calls / seconds), perCallMs: summary(lat), db: r.db,
      apiCpuUsPerStart: Math.round((apiCpuMs * 1000) / calls), machineCpuUsPerStart: Math.round(((machine?.totalMs ?? NaN) * 1000) / calls),
      benchCpuUsPerStart: Math.round(((machine?.benchMs ?? NaN) * 1000) / calls),
      machineBusyPercent: Math.round((100 * (machine?.totalMs ?? NaN)) / (seconds * 1000 * ctxCpus())),
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await stopChild(api);
  }
}

export function printTasks(t: TaskSections | undefined, activity: (ThroughputStats & { db?: DbCost; cpu?: RunCpu }) | undefined, starts: StartsResult | undefined, load: string): void {
  console.log(`\nTasks (machine load at the time: ${load})`);
  if (t) {
    const l = t.lambdaTasks;
    console.log(`  Baton, 5 lambda:invoke Tasks: ${l.executions} executions, ${l.transitions} tasks in ${l.seconds} s = ${l.transitionsPerSecond} tasks/s; per task p50 ${l.perTransitionMs.p50} ms, p99 ${l.perTransitionMs.p99} ms (all in flight)`);
    console.log(`  ceiling (call + PG tx + BullMQ hop per task): ${t.ceiling.transitionsPerSecond} tasks/s; per task p50 ${t.ceiling.perTransitionMs.p50} ms`);
    if (t.dbos.ran) console.log(`  DBOS Transact, 5 checkpointed steps calling the same Lambda: ${t.dbos.transitionsPerSecond} steps/s; per step p50 ${t.dbos.perTransitionMs!.p50} ms`);
    else console.log(`  DBOS Transact did not run: ${t.dbos.reason}`);
    const single = t.dbos.ran ? (l.transitionsPerSecond / t.dbos.transitionsPerSecond!).toFixed(2) : 'n/a';
    if (t.paired.length > 0) {
      const rounds = t.paired.map((p) => `${p.ratio} (${p.batonTasksPerSecond} / ${p.dbosStepsPerSecond}, ${p.first} first)`).join(', ');
      console.log(`  paired rounds, Baton tasks/s / DBOS steps/s back to back: ${rounds}`);
      console.log(`ratio to DBOS (tasks): ${medianRatio(t.paired).toFixed(2)}  (target >= 1.0; the median of ${t.paired.length} paired rounds; the two runs above, half a minute apart: ${single})`);
    } else {
      console.log(`ratio to DBOS (tasks): ${single}  (target >= 1.0)`);
    }
    console.log(`ratio to ceiling (tasks): ${(l.transitionsPerSecond / t.ceiling.transitionsPerSecond).toFixed(2)}`);
    console.log(`  Baton worker + timer CPU per Task (with their evaluation processes): ${l.cpuMsPerTask} ms (${ctxCpus()} CPUs shared by Postgres, Redis, the Lambda and the bench)`);
    const per = (c: RunCpu | undefined, n: number | undefined): string => {
      if (!c || !n) return 'n/a';
      const f = (ms: number) => round(ms / n);
      return `machine ${f(c.machine.totalMs)} ms (Postgres ${f(c.machine.postgresMs)}, Redis ${f(c.machine.redisMs)}, the bench process with the Lambda stand-in ${f(c.machine.benchMs)})`;
    };
    // DBOS's processes (and their Postgres backends) have exited when its run is read: only its machine total counts.
    const dbosCpu = t.dbos.ran && t.dbos.cpu ? `machine ${round(t.dbos.cpu.machine.totalMs / t.dbos.transitions!)} ms` : 'n/a';
    console.log(`  CPU while the work ran, per Task: ${per(l.cpu, l.transitions)}; DBOS per step: ${dbosCpu}`);
    console.log(`  one call to the Lambda stand-in, CPU of caller and stand-in: ${t.call.sdkMs} ms through Baton's task invoker (its AWS SDK client, as a worker calls it), ${t.call.fetchMs} ms as a bare fetch (as the ceiling and DBOS call it)`);
    console.log(`  Postgres per Task: ${l.db.perTransition} transactions${l.db.statementsPerTransition !== null ? `, ${l.db.statementsPerTransition} statements` : ' (statements: pg_stat_statements is not loaded)'}`);
    const d = t.lowLoad;
    console.log(`  low load (${d.runs} executions one at a time): per task p50 ${d.perTaskMs.p50} ms, p99 ${d.perTaskMs.p99} ms (target p50 <= 5 ms); end-to-end p50 ${d.endToEndMs.p50} ms` +
      (d.dbosPerStepMs ? `; DBOS per step p50 ${d.dbosPerStepMs.p50} ms, p99 ${d.dbosPerStepMs.p99} ms` : ''));
  }
  if (activity?.db) {
    const c = activity.cpu;
    const f = (ms: number) => round(ms / Math.max(1, activity.transitions));
    // The pollers call GetActivityTask and SendTaskSuccess on the bench's own engine (no HTTP): the API's share of the
    // work is in the bench process's figure.
    const cpu = c ? `; CPU per Task: Baton worker + timer ${f(c.batonMs)} ms, Postgres ${f(c.machine.postgresMs)} ms, the bench process (the pollers' API calls) ${f(c.machine.benchMs)} ms, machine ${f(c.machine.totalMs)} ms` : '';
    console.log(`  activity Tasks: ${activity.transitionsPerSecond} tasks/s, ${activity.db.perTransition} transactions per Task${activity.db.statementsPerTransition !== null ? `, ${activity.db.statementsPerTransition} statements` : ''}${cpu}`);
  }
  if (starts) {
    console.log(`  StartExecution through the API (${starts.clients} SDK clients at once, on ${starts.threads} thread${starts.threads === 1 ? '' : 's'} of the bench): ${starts.calls} in ${starts.seconds} s = ${starts.startsPerSecond} starts/s (target >= 1000); ` +
      `per call p50 ${starts.perCallMs.p50} ms, p99 ${starts.perCallMs.p99} ms; ${starts.db.perTransition} transactions per start; API process CPU ${starts.apiCpuUsPerStart} µs per start`);
    console.log(`    machine CPU per start ${starts.machineCpuUsPerStart} µs (the SDK clients in the bench process ${starts.benchCpuUsPerStart} µs); the ${ctxCpus()} CPUs ${starts.machineBusyPercent}% busy`);
  }
}
