/**
 * `npm run chaos`: fault injection before trusting Baton. Worker, timer and API processes (the real `baton`
 * roles) on Postgres + BullMQ run `--executions` (default 1000) executions of a workflow mixing Pass, Choice,
 * Wait, Parallel, Map, Retry/Catch and activity tasks answered through the API, while workers and timers are
 * SIGKILLed and restarted every few seconds, the API is killed and restarted, Redis is wiped and Postgres is
 * restarted; among them runs a poison execution that aborts the process evaluating it (poison.ts). Then every
 * execution is checked (see check.ts), and the poison one must have been failed. Exit code 0 only with nothing
 * lost or duplicated.
 *
 *   --executions N      (default 1000)          --workers N (3)   --timers N (2)   --lanes N activity pollers (16)
 *   --safe-faults       FLUSHDB of a Redis database of the run's own and dropped connections instead of
 *                       FLUSHALL and a Postgres restart (what the test suite uses; it shares both services)
 *   --redis-db N        Redis database index (default 0; 12 with --safe-faults)
 *   --pg-cluster "15 main"   the cluster `pg_ctlcluster` restarts
 *   --deadline-seconds N     give up waiting after N seconds (default 900)
 *   --faults-for-seconds N   stop the recurring worker and timer kills after N seconds (default: until the end);
 *                            the suite uses it so a loaded machine, where each restart is slow, still converges
 *   --isolation process|thread   BATON_EVALUATION_ISOLATION of the workers (default process): with threads the
 *                            poison execution crashes workers until the poison guard fails it
 *   --keep-database          leave the run's database for a look afterwards (its name is printed; drop it yourself)
 * Prints the counts and one line `CHAOS_RESULT <json>`.
 */
import { createServer } from 'node:net';
import pg from 'pg';
import { PgStore } from '@baton/store';
import { intFlag, parseFlags } from '../common/args.js';
import { killAllChildren, spawnRole, type Child } from '../common/processes.js';
import { createScratch } from '../common/services.js';
import { sleep, summary } from '../common/stats.js';
import { ActivityWorkers } from './activity-workers.js';
import { ChaosApi } from './api-client.js';
import { checkRun } from './check.js';
import { ensurePostgresUp, FaultInjector } from './faults.js';
import { inPool } from '../bench/baton-runs.js';
import { chaosDefinition, chaosInput } from './workflow.js';
import { CRASH_HOOK_ENV, FATAL_MARK, Poison } from './poison.js';

const flags = parseFlags(process.argv.slice(2));
const executions = intFlag(flags, 'executions', 1000, 1);
const workerCount = intFlag(flags, 'workers', 3, 1);
const timerCount = intFlag(flags, 'timers', 2, 1);
const lanes = intFlag(flags, 'lanes', 16, 1);
const safe = flags.has('safe-faults');
const redisDb = intFlag(flags, 'redis-db', safe ? 12 : 0, 0);
const deadlineMs = intFlag(flags, 'deadline-seconds', 900, 10) * 1000;
const faultsForMs = flags.has('faults-for-seconds') ? intFlag(flags, 'faults-for-seconds', 0, 1) * 1000 : undefined;
const isolationFlag = flags.get('isolation') ?? 'process';
if (isolationFlag !== 'process' && isolationFlag !== 'thread') throw new Error(`--isolation must be process or thread, not ${isolationFlag}`);
const isolation: 'process' | 'thread' = isolationFlag;
const keepDatabase = flags.has('keep-database');
const pgCluster = (flags.get('pg-cluster') ?? '15 main').split(/\s+/) as [string, string];
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = `${(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '')}/${redisDb}`;
const t0 = Date.now();
const log = (m: string): void => void process.stderr.write(`[chaos +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}\n`);

/** One role slot: restarted whenever its process exits, until the run stops. */
class Slot {
  child: Child | undefined;
  restarts = 0;
  /** Exits by a fatal V8 error (the poison execution), as opposed to the injected kills. */
  fatalExits = 0;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(
    readonly role: 'worker' | 'timer' | 'api', readonly name: string, private readonly env: Record<string, string>,
    private readonly nodeArgs: string[] = [],
  ) {}

  async start(): Promise<void> {
    this.child = await spawnRole(this.role, this.name, this.env, this.nodeArgs);
    this.loop = this.supervise();
  }

  private async supervise(): Promise<void> {
    while (!this.stopping) {
      await this.child!.exited;
      if (this.child!.stderr().includes(FATAL_MARK)) this.fatalExits++;
      if (this.stopping) return;
      await sleep(500);
      for (;;) {
        if (this.stopping) return;
        try {
          this.child = await spawnRole(this.role, this.name, this.env, this.nodeArgs);
          this.restarts++;
          break;
        } catch (e) {
          log(`${this.name} failed to start, retrying: ${(e as Error).message.split('\n')[0]}`);
          await sleep(1_000);
        }
      }
    }
  }

  kill(): string {
    this.child?.proc.kill('SIGKILL');
    return `${this.name} SIGKILLed (pid ${this.child?.proc.pid})`;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const c = this.child;
    if (c && c.proc.exitCode === null && c.proc.signalCode === null) {
      c.proc.kill('SIGTERM');
      const t = setTimeout(() => c.proc.kill('SIGKILL'), 15_000);
      await c.exited;
      clearTimeout(t);
    }
    await this.loop;
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function main(): Promise<number> {
  const scratch = await createScratch('chaos', adminUrl, redisUrl);
  const pool = new pg.Pool({ connectionString: scratch.url, max: 3 });
  pool.on('error', () => {});
  const slots: Slot[] = [];
  let faults: FaultInjector | undefined;
  let workers: ActivityWorkers | undefined;
  try {
    const store = new PgStore({ connectionString: scratch.url });
    await store.migrate();
    await store.close();
    const port = await freePort();
    const env = {
      DATABASE_URL: scratch.url, REDIS_URL: redisUrl, BATON_QUEUE_PREFIX: scratch.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_TASK_LEASE_MS: '3000', BATON_RECONCILE_GRACE_MS: '1000', BATON_RECONCILE_INTERVAL_MS: '500', BATON_WORKER_CONCURRENCY: '8',
    };
    slots.push(new Slot('api', 'api', { ...env, BATON_DEV_MODE: 'true', BATON_API_HOST: '127.0.0.1', BATON_API_PORT: String(port) }));
    for (let i = 0; i < workerCount; i++) slots.push(new Slot('worker', `worker-${i}`, { ...env, ...CRASH_HOOK_ENV, BATON_EVALUATION_ISOLATION: isolation, BATON_WORKER_ID: `chaos-w${i}` }));
    for (let i = 0; i < timerCount; i++) slots.push(new Slot('timer', `timer-${i}`, env));
    await Promise.all(slots.map((s) => s.start()));
    log(`${workerCount} workers, ${timerCount} timers, API on port ${port}; database ${scratch.name}, Redis ${redisUrl} prefix ${scratch.prefix}${safe ? ' (safe faults)' : ''}`);

    const api = new ChaosApi(() => `http://127.0.0.1:${port}/`);
    const act = await api.call<{ activityArn: string }>('CreateActivity', { name: 'chaos-activity' });
    if (!act.ok) throw new Error(`CreateActivity: ${act.code} ${act.message}`);
    const sm = await api.call<{ stateMachineArn: string }>('CreateStateMachine', {
      name: 'chaos', roleArn: 'arn:aws:iam::123456789012:role/chaos', definition: JSON.stringify(chaosDefinition(act.value.activityArn, 10)),
    });
    if (!sm.ok) throw new Error(`CreateStateMachine: ${sm.code} ${sm.message}`);

    const pick = (role: string) => {
      const list = slots.filter((s) => s.role === role);
      return list[Math.floor(Math.random() * list.length)]!;
    };
    const scale = executions >= 500 ? 3 : 1;
    faults = new FaultInjector({
      safe, redisUrl, adminUrl, database: scratch.name, pgCluster, workerEveryMs: 2_500, timerEveryMs: 4_000,
      apiAtMs: 3_000 * scale, flushAtMs: 6_000 * scale, postgresAtMs: 9_000 * scale,
      ...(faultsForMs !== undefined ? { recurringForMs: faultsForMs } : {}),
    }, {
      killWorker: async () => pick('worker').kill(), killTimer: async () => pick('timer').kill(), killApi: async () => pick('api').kill(),
    }, log);
    faults.start();
    workers = new ActivityWorkers(api, act.value.activityArn);
    workers.start(lanes);

    const started = new Map<string, number>();
    let refused = 0;
    const poison = new Poison(api);
    await inPool(executions, 16, async (i) => {
      if (i === Math.floor(executions / 2)) await poison.start();
      const r = await api.call<{ executionArn: string }>('StartExecution', {
        stateMachineArn: sm.value.stateMachineArn, name: `c${i}`, input: JSON.stringify(chaosInput(i)),
      }, { deadlineMs: deadlineMs });
      if (r.ok) started.set(r.value.executionArn, i);
      else if (r.code === 'ExecutionAlreadyExists') started.set(`${sm.value.stateMachineArn.replace(':stateMachine:', ':execution:')}:c${i}`, i);
      else refused++;
    });
    log(`started ${started.size} executions (${refused} refused)`);

    const end = t0 + deadlineMs;
    for (;;) {
      const running = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM executions WHERE status = 'RUNNING'`).then((r) => Number(r.rows[0]!.n), () => -1);
      if (running === 0 && faults.oneOffsDone) break;
      if (Date.now() > end) {
        log(`deadline reached with ${running} executions still running`);
        break;
      }
      if (running > 0) log(`${running} running; faults so far: ${faults.done.length}`);
      await sleep(running > 0 ? 2_000 : 250);
    }
    await faults.stop();
    await workers.stop();
    for (const s of slots) await s.stop();
    const verdict = await checkRun(pool, started);
    const poisonVerdict = await poison.check(pool, isolation);
    const workerCrashes = slots.reduce((n, s) => n + s.fatalExits, 0);
    // With evaluation processes the poison may crash no worker at all.
    const poisoned = { ...poisonVerdict, ok: poisonVerdict.ok && (isolation === 'thread' || workerCrashes === 0), isolation, workerCrashes };
    const result = {
      executions, started: verdict.started, refused, succeeded: verdict.succeeded, lost: verdict.lost + refused, duplicated: verdict.duplicated,
      stillRunning: verdict.stillRunning, faults: faults.done.length,
      faultKinds: {
        workerKills: faults.done.filter((d) => d.startsWith('worker')).length, timerKills: faults.done.filter((d) => d.startsWith('timer')).length,
        apiKills: faults.done.filter((d) => d.startsWith('api')).length, redisWipes: faults.done.filter((d) => d.startsWith('redis')).length,
        postgresRestarts: faults.done.filter((d) => d.startsWith('postgres')).length,
      },
      activity: {
        answered: workers.answered, lateAnswers: workers.lateAnswers, lateByCode: Object.fromEntries(workers.lateByCode),
        answerCallSeconds: summary(workers.answerSeconds), duplicateAnswersTried: workers.duplicateAttempts, duplicateAnswersAccepted: workers.duplicateAccepted,
        tasks: verdict.activityTasks,
      },
      apiCalls: api.calls, apiRetries: api.retries, safeFaults: safe, seconds: Math.round((Date.now() - t0) / 1000), problems: verdict.problems,
      poison: poisoned,
    };
    result.duplicated += workers.duplicateAccepted;
    console.log(`\nchaos: ${result.executions} executions, ${result.faults} faults in ${result.seconds} s (${JSON.stringify(result.faultKinds)})`);
    console.log(`  started    ${result.started}`);
    console.log(`  succeeded  ${result.succeeded}`);
    console.log(`  lost       ${result.lost}`);
    console.log(`  duplicated ${result.duplicated}`);
    console.log(`  still running ${result.stillRunning}; activity answers ${workers.answered}, late ${workers.lateAnswers}; second answers refused ${workers.duplicateAttempts - workers.duplicateAccepted}/${workers.duplicateAttempts}`);
    const t = verdict.activityTasks;
    const spread = (s: { n: number; p50: number; p99: number; max: number }) => `${s.n} (p50 ${s.p50} s, p99 ${s.p99} s, max ${s.max} s)`;
    console.log(`  activity tasks: waited for a poller ${spread(t.waitForPoller)}; answered after ${spread(t.answered)}`);
    console.log(`  activity tasks timed out: ${t.timedOutNeverTaken} never taken by a poller; ${spread(t.timedOutAfterTaken)} taken (time to be taken) but not answered in time`);
    console.log(`  answer calls (SendTask*): ${spread(result.activity.answerCallSeconds)}; refused by code ${JSON.stringify(result.activity.lateByCode)}`);
    // An accepted answer the execution did not take (a step that timed the task out came first) shows here.
    console.log(`  answers accepted ${workers.answered}, in the histories ${t.answersRecorded}${workers.answered > t.answersRecorded ? ` (${workers.answered - t.answersRecorded} accepted and dropped)` : ''}`);
    for (const f of t.failedByTimeout) console.log(`  timed out: ${f}`);
    console.log(`  poison execution: ${poisoned.status} ${poisoned.error ?? ''} after ${poisoned.workerCrashes} worker crashes (evaluation ${isolation}es)${poisoned.ok ? '' : ' (NOT failed as it should be)'}`);
    for (const p of verdict.problems.slice(0, 20)) console.log(`  problem: ${p}`);
    console.log(`CHAOS_RESULT ${JSON.stringify(result)}`);
    const pass = result.lost === 0 && result.duplicated === 0 && result.stillRunning === 0 && result.started === executions && poisoned.ok;
    console.log(pass ? 'PASS: nothing lost, nothing duplicated' : 'FAIL');
    return pass ? 0 : 1;
  } finally {
    await faults?.stop().catch(() => {});
    await workers?.stop().catch(() => {});
    for (const s of slots) await s.stop().catch(() => {});
    killAllChildren();
    if (!safe) ensurePostgresUp(pgCluster, adminUrl);
    await pool.end().catch(() => {});
    if (keepDatabase) log(`database kept: ${scratch.url}`);
    else await scratch.drop();
  }
}

process.once('SIGINT', () => {
  killAllChildren();
  if (!safe) ensurePostgresUp(pgCluster, adminUrl);
  process.exit(130);
});

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    killAllChildren();
    if (!safe) ensurePostgresUp(pgCluster, adminUrl);
    process.exit(2);
  },
);
