/**
 * What the engine runs on, parsed once at boot by the `baton` command (the composition root). Every problem is
 * reported at once, by variable name, and the process exits before touching anything.
 *   DATABASE_URL    postgres://... : Postgres. Unset (only `server` and `migrate`): the embedded default,
 *                   PGlite in BATON_DATA_DIR (default ./.baton/data)
 *   REDIS_URL       redis://... : BullMQ. Unset (only `server`): the in-process queue
 *   BATON_QUEUE_PREFIX, BATON_AUTO_MIGRATE (default true), BATON_REGION (else AWS_REGION), BATON_ACCOUNT,
 *   BATON_TASK_LEASE_MS, BATON_RECONCILE_GRACE_MS, BATON_PAGINATION_KEY, BATON_WORKER_ID
 *   BATON_MAX_PAYLOAD_BYTES (default 262144), BATON_MAX_HISTORY_EVENTS (default 25000): AWS's limits, which
 *                   Baton lets you raise
 *   BATON_EVALUATION_TIMEOUT_MS (default 5000), BATON_EVALUATION_MEMORY_MB (default 256): the budgets of every
 *                   evaluation a state performs (time per evaluation, heap per evaluation thread); one over them
 *                   fails its state (States.QueryEvaluationError in JSONata, States.Runtime otherwise)
 *   BATON_EVALUATION_THREADS (default min(4, CPUs)): evaluation threads per process; 0 evaluates on the main
 *                   thread with no budgets at all (for measuring what the budgets cost, never for service)
 *   BATON_MAX_CRASHED_ATTEMPTS (default 5): processes in a row that may die while stepping an execution before
 *                   it is failed as a poison execution (States.Runtime)
 *   BATON_SELF_URL  Baton's own API, called by nested executions (states:startExecution) when
 *                   AWS_ENDPOINT_URL_SFN is unset; default http://127.0.0.1:$PORT (8080). Signed with the first
 *                   BATON_ACCESS_KEYS pair when that is set.
 * The roles' own settings are parsed by their apps (apps/api, apps/worker, apps/timer: env.ts).
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { EnvReader } from '@baton/observability';

export type StoreConfig = { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDir: string };
export type QueueConfig = { kind: 'bullmq'; url: string; prefix: string } | { kind: 'in-process' };

export interface BackendConfig {
  store: StoreConfig;
  queue: QueueConfig;
  autoMigrate: boolean;
  region: string;
  account: string;
  taskLeaseMs: number;
  reconcileGraceMs: number;
  paginationKey: string | undefined;
  workerId: string | undefined;
  limits: { payloadBytes: number; historyEvents: number };
  /** threads 0: on the main thread, without budgets. */
  evaluation: { threads: number; timeoutMs: number; memoryMb: number };
  maxCrashedAttempts: number;
  /** Where nested executions start: Baton's own API, and the key it accepts (if auth is on). */
  self: { url: string; accessKey?: { accessKeyId: string; secretAccessKey: string } };
}

/** Which roles may run on the embedded default (one process owns the data folder and the in-process queue). */
export type BackendNeeds = 'shared' | 'single-process' | 'database-only';

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_DATA_DIR = './.baton/data';

/**
 * `shared`: api, worker, timer (other processes share the work: Postgres and Redis required).
 * `single-process`: server (embedded default without DATABASE_URL; in-process queue without REDIS_URL).
 * `database-only`: migrate (no queue).
 */
export function parseBackendEnv(env: Env, needs: BackendNeeds): BackendConfig {
  const read = new EnvReader(env);
  const problems = read.problems;

  const databaseUrl = read.url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = read.url('REDIS_URL', ['redis:', 'rediss:']);
  if (needs === 'shared') {
    if (!env.DATABASE_URL) problems.push('DATABASE_URL is required (e.g. postgres://user@host:5432/baton); `baton server` runs embedded without it');
    if (!env.REDIS_URL) problems.push('REDIS_URL is required (e.g. redis://host:6379); `baton server` runs embedded without it');
  }
  if (needs === 'single-process' && redisUrl !== undefined && databaseUrl === undefined) {
    problems.push('REDIS_URL is set but DATABASE_URL is not: the embedded database serves one process, set both or neither');
  }
  const store: StoreConfig = databaseUrl !== undefined
    ? { kind: 'postgres', url: databaseUrl }
    : { kind: 'embedded', dataDir: resolve(env.BATON_DATA_DIR?.trim() || DEFAULT_DATA_DIR) };
  const queue: QueueConfig = redisUrl !== undefined && needs !== 'database-only'
    ? { kind: 'bullmq', url: redisUrl, prefix: env.BATON_QUEUE_PREFIX?.trim() || 'baton' }
    : { kind: 'in-process' };

  const account = env.BATON_ACCOUNT?.trim() || '123456789012';
  if (!/^\d{12}$/.test(account)) problems.push(`BATON_ACCOUNT must be 12 digits (got '${account}')`);
  const config: BackendConfig = {
    store,
    queue,
    autoMigrate: read.bool('BATON_AUTO_MIGRATE', true),
    region: env.BATON_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1',
    account,
    taskLeaseMs: read.int('BATON_TASK_LEASE_MS', 30_000, 100),
    reconcileGraceMs: read.int('BATON_RECONCILE_GRACE_MS', 5_000, 0),
    paginationKey: env.BATON_PAGINATION_KEY,
    workerId: env.BATON_WORKER_ID,
    limits: {
      payloadBytes: read.int('BATON_MAX_PAYLOAD_BYTES', 262_144, 1_024),
      historyEvents: read.int('BATON_MAX_HISTORY_EVENTS', 25_000, 100),
    },
    evaluation: evaluationConfig(read, env),
    maxCrashedAttempts: read.int('BATON_MAX_CRASHED_ATTEMPTS', 5, 1),
    self: {
      url: read.url('BATON_SELF_URL', ['http:', 'https:']) ?? `http://127.0.0.1:${env.BATON_API_PORT?.trim() || env.PORT?.trim() || '8080'}`,
      ...firstAccessKey(env.BATON_ACCESS_KEYS),
    },
  };
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}

function evaluationConfig(read: EnvReader, env: Env): BackendConfig['evaluation'] {
  const threads = read.int('BATON_EVALUATION_THREADS', Math.min(4, availableParallelism()), 0);
  if (threads === 0) {
    for (const name of ['BATON_EVALUATION_TIMEOUT_MS', 'BATON_EVALUATION_MEMORY_MB']) {
      if (env[name]?.trim()) read.problems.push(`${name} cannot apply with BATON_EVALUATION_THREADS=0 (evaluation on the main thread has no budgets)`);
    }
  }
  return { threads, timeoutMs: read.int('BATON_EVALUATION_TIMEOUT_MS', 5_000, 10), memoryMb: read.int('BATON_EVALUATION_MEMORY_MB', 256, 32) };
}

/** The first `id:secret` pair of BATON_ACCESS_KEYS (the API parses and validates the whole list). */
function firstAccessKey(list: string | undefined): { accessKey?: { accessKeyId: string; secretAccessKey: string } } {
  const first = list?.split(',')[0]?.trim();
  const at = first?.indexOf(':') ?? -1;
  if (!first || at <= 0) return {};
  return { accessKey: { accessKeyId: first.slice(0, at), secretAccessKey: first.slice(at + 1) } };
}
