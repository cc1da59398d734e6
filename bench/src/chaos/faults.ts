/**
 * The faults of a chaos run, on a schedule: SIGKILL a random worker every `workerEveryMs` and the timer every
 * `timerEveryMs` (each restarted a moment later), and once each: kill and restart the API, wipe Redis, restart
 * Postgres. `safe` mode (for the test suite, which shares Postgres and Redis with other test files): the wipe is
 * FLUSHDB of the run's own Redis database, and the Postgres "restart" terminates every connection to the run's
 * database for two seconds, instead of FLUSHALL and `pg_ctlcluster restart`.
 */
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { sleep } from '../common/stats.js';

export interface FaultTargets {
  killWorker(): Promise<string>;
  killTimer(): Promise<string>;
  killApi(): Promise<string>;
}

export interface FaultOptions {
  safe: boolean;
  redisUrl: string;
  adminUrl: string;
  database: string;
  pgCluster: [string, string];
  workerEveryMs: number;
  timerEveryMs: number;
  /** When the one-off faults happen, in ms from the start. */
  apiAtMs: number;
  flushAtMs: number;
  postgresAtMs: number;
  /** The recurring kills stop after this many ms from the start (the one-offs come earlier); default: never. */
  recurringForMs?: number;
}

export class FaultInjector {
  readonly done: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];

  constructor(private readonly o: FaultOptions, private readonly targets: FaultTargets, private readonly log: (m: string) => void) {}

  start(): void {
    const t0 = Date.now();
    const every = (ms: number, fn: () => Promise<string>) => (async () => {
      const until = t0 + (this.o.recurringForMs ?? Infinity);
      while (!this.stopped && Date.now() < until) {
        await this.pause(ms);
        if (!this.stopped && Date.now() < until) await this.record(fn);
      }
    })();
    const at = (ms: number, fn: () => Promise<string>) => (async () => {
      await this.pause(ms - (Date.now() - t0));
      if (!this.stopped) await this.record(fn);
    })();
    this.loops = [
      every(this.o.workerEveryMs, this.targets.killWorker),
      every(this.o.timerEveryMs, this.targets.killTimer),
      at(this.o.apiAtMs, this.targets.killApi),
      at(this.o.flushAtMs, () => this.wipeRedis()),
      at(this.o.postgresAtMs, () => this.restartPostgres()),
    ];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** True once every one-off fault has happened. */
  get oneOffsDone(): boolean {
    return ['api', 'redis', 'postgres'].every((k) => this.done.some((d) => d.startsWith(k)));
  }

  private async record(fn: () => Promise<string>): Promise<void> {
    try {
      const what = await fn();
      this.done.push(what);
      this.log(`fault: ${what}`);
    } catch (e) {
      this.log(`fault failed: ${(e as Error).message}`);
    }
  }

  private async pause(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (!this.stopped && Date.now() < end) await sleep(Math.min(100, end - Date.now()));
  }

  private async wipeRedis(): Promise<string> {
    const redis = new Redis(this.o.redisUrl, { maxRetriesPerRequest: 3 });
    try {
      await (this.o.safe ? redis.flushdb() : redis.flushall());
    } finally {
      redis.disconnect();
    }
    return this.o.safe ? 'redis FLUSHDB (the run\'s own Redis database)' : 'redis FLUSHALL';
  }

  private async restartPostgres(): Promise<string> {
    if (!this.o.safe) {
      const [version, cluster] = this.o.pgCluster;
      const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, cluster, 'restart'], { encoding: 'utf8', timeout: 120_000 });
      if (r.status !== 0) throw new Error(`pg_ctlcluster restart failed: ${r.stderr || r.error?.message}`);
      return `postgres restarted (pg_ctlcluster ${version} ${cluster} restart)`;
    }
    const end = Date.now() + 2_000;
    let killed = 0;
    while (Date.now() < end) {
      const c = new pg.Client({ connectionString: this.o.adminUrl });
      await c.connect();
      try {
        const r = await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [this.o.database]);
        killed += r.rowCount ?? 0;
      } finally {
        await c.end();
      }
      await sleep(100);
    }
    return `postgres connections to the run's database terminated for 2 s (${killed} backends)`;
  }
}

/** Makes sure the Postgres cluster is running (after a failed or interrupted restart). */
export function ensurePostgresUp(cluster: [string, string], adminUrl: string): void {
  const url = new URL(adminUrl);
  const ready = () => spawnSync('pg_isready', ['-h', url.hostname, '-p', url.port || '5432', '-t', '5'], { encoding: 'utf8' }).status === 0;
  for (let i = 0; i < 3 && !ready(); i++) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster[0], cluster[1], 'start'], { encoding: 'utf8', timeout: 120_000 });
    spawnSync('sleep', ['1']);
  }
}
