/**
 * `/readyz`: whether this role can do its work now. Postgres must answer (within a couple of seconds) with the
 * schema this version needs (migrations not behind); Redis must answer PING where the role uses it. Not ready is
 * a 503 whose JSON body names each check and what is wrong, as is a role that is draining after SIGTERM/SIGINT; `/healthz` stays a liveness answer (the process
 * serves HTTP), so an orchestrator stops routing to a replica whose backends are gone without restarting it.
 *
 * The Redis client here is its own, with no offline queue: a PING while Redis is down fails at once instead of
 * waiting for the reconnection, and its reconnection loop never ends (Redis coming back is noticed).
 */
import { Redis } from 'ioredis';
import { loadMigrations, type ClusterStats } from '@baton/store';

const CHECK_TIMEOUT_MS = 2_000;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export class Readiness {
  private readonly redis: Redis | undefined;
  private readonly neededVersion: number;
  /** The signal that started the drain, once it has. */
  private draining: string | undefined;

  constructor(private readonly stats: ClusterStats, redisUrl: string | undefined) {
    this.neededVersion = Math.max(0, ...loadMigrations().map((m) => m.version));
    if (redisUrl !== undefined) {
      this.redis = new Redis(redisUrl, {
        lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: CHECK_TIMEOUT_MS,
        retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
      });
      this.redis.on('error', () => {}); // reported by check(), not as an unhandled error event
      this.redis.connect().catch(() => {});
    }
  }

  /**
   * From the stop signal on, the role is not ready whatever its backends say: it takes no new work while it drains
   * (BATON_SHUTDOWN_GRACE_MS), and its probes stay served until it exits so that they say so.
   */
  drain(signal: string): void {
    this.draining = signal;
  }

  async check(): Promise<ReadinessReport> {
    if (this.draining !== undefined) {
      return { ready: false, checks: { draining: { ok: false, detail: `stopping (${this.draining}): finishing the work in progress, taking no new work` } } };
    }
    const checks: ReadinessReport['checks'] = {};
    // Both at once, each settled (a rejection left waiting would be an unhandled one).
    const [postgres, redis] = await Promise.allSettled([
      withTimeout(this.stats.schemaVersion(), 'Postgres'),
      this.redis ? withTimeout(this.redis.ping(), 'Redis') : Promise.resolve(undefined),
    ]);
    if (postgres.status === 'fulfilled') {
      const version = postgres.value;
      checks.postgres = { ok: true };
      checks.migrations = version >= this.neededVersion
        ? { ok: true }
        : { ok: false, detail: `the database is at migration ${version}, this version needs ${this.neededVersion}: run baton migrate` };
    } else {
      checks.postgres = { ok: false, detail: describe(postgres.reason) };
    }
    if (this.redis) checks.redis = redis.status === 'fulfilled' ? { ok: true } : { ok: false, detail: describe(redis.reason) };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  }

  /** The HTTP answer: 200 or 503, with the report as JSON. */
  async respond(): Promise<{ status: number; body: string }> {
    const report = await this.check();
    return { status: report.ready ? 200 : 503, body: JSON.stringify({ status: report.ready ? 'ready' : 'not ready', checks: report.checks }) };
  }

  /** Whether the Redis connection is up now (its client reconnects on its own); undefined without Redis. */
  get redisUp(): boolean | undefined {
    return this.redis ? this.redis.status === 'ready' : undefined;
  }

  close(): void {
    this.redis?.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref();
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/** An error's code and message, without connection strings (they may hold a password). */
function describe(e: unknown): string {
  const err = e as { code?: string; message?: string };
  const message = (err.message ?? String(e)).replace(/\b[a-z]+:\/\/[^\s]+/gi, '<url>');
  return err.code && !message.includes(err.code) ? `${err.code} ${message}` : message;
}
