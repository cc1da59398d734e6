/**
 * What the engine runs on, declared once: `storeEnv` (Postgres, or the embedded PGlite) and `engineEnv` (the
 * queue, the engine's limits and leases, and Baton's own API for nested executions). The roles' own settings
 * are declared by their apps (apps/api, apps/worker, apps/timer: env.ts); `role-config.ts` composes them.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { apiEnv, arnScopeEnv } from '@baton/api';
import { boolean, defineFragment, integer, oneOf, text, url } from '@baton/config';

export type StoreConfig = { kind: 'postgres'; url: string; poolSize: number; preparedStatements: boolean } | { kind: 'embedded'; dataDir: string };
export type QueueConfig = { kind: 'bullmq'; url: string; prefix: string } | { kind: 'in-process' };

export interface BackendConfig {
  store: StoreConfig;
  queue: QueueConfig;
  autoMigrate: boolean;
  region: string;
  account: string;
  taskLeaseMs: number;
  mapRunLeaseMs: number;
  reconcileGraceMs: number;
  paginationKey: string | undefined;
  workerId: string | undefined;
  limits: { payloadBytes: number; historyEvents: number };
  /** threads 0: on the main thread, without budgets. */
  evaluation: { threads: number; timeoutMs: number; memoryMb: number; isolation: 'process' | 'thread' };
  maxCrashedAttempts: number;
  /** SIGTERM: how long in-flight work may take to finish before what still runs is handed back (ms). */
  shutdownGraceMs: number;
  /** Where nested executions start: Baton's own API, and the key it accepts (if auth is on). */
  self: { url: string; accessKey?: { accessKeyId: string; secretAccessKey: string } };
}

/**
 * `shared`: api, worker, timer (other processes share the work: Postgres and Redis required).
 * `single-process`: server (embedded default without DATABASE_URL; in-process queue without REDIS_URL).
 * `database-only`: migrate (no queue).
 */
export type BackendNeeds = 'shared' | 'single-process' | 'database-only';

export const DEFAULT_DATA_DIR = './.baton/data';

export const storeEnv = defineFragment({
  title: 'Database',
  variables: {
    DATABASE_URL: url({
      protocols: ['postgres:', 'postgresql:'], secret: true, example: 'postgres://baton:secret@db:5432/baton',
      description: 'Postgres, where every execution lives. Required by `api`, `worker` and `timer`; unset, `server` and `migrate` use the embedded PGlite in `BATON_DATA_DIR`.',
    }),
    BATON_DATABASE_POOL_SIZE: integer({
      min: 1, default: 10, example: '5',
      description: 'Most Postgres connections one process opens for its work (the timer and the API add one for LISTEN). Count them across every replica against the server\'s `max_connections`; see docs/scale-out.md.',
    }),
    BATON_DATABASE_PREPARED_STATEMENTS: boolean({
      default: true, example: 'false',
      description: 'Whether the statements every step runs are prepared on the server (parsed and planned once per connection). Set `false` behind a pooler that cannot keep prepared statements: PgBouncer before 1.21 in transaction mode, or with `max_prepared_statements = 0`.',
    }),
    BATON_DATA_DIR: text({
      default: DEFAULT_DATA_DIR, example: '/var/lib/baton',
      description: "The embedded PGlite database's folder, used when `DATABASE_URL` is unset.",
    }),
  },
  build(v, parse, needs: BackendNeeds): StoreConfig {
    if (needs === 'shared' && !parse.given('DATABASE_URL')) {
      parse.report('DATABASE_URL', 'is required (e.g. postgres://user@host:5432/baton); `baton server` runs embedded without it');
    }
    if (!parse.given('DATABASE_URL') && parse.given('BATON_DATABASE_PREPARED_STATEMENTS')) {
      parse.report('BATON_DATABASE_PREPARED_STATEMENTS', 'applies to Postgres (DATABASE_URL); the embedded database is in the process and has no pooler to set it for');
    }
    return v.DATABASE_URL !== undefined
      ? { kind: 'postgres', url: v.DATABASE_URL, poolSize: v.BATON_DATABASE_POOL_SIZE, preparedStatements: v.BATON_DATABASE_PREPARED_STATEMENTS }
      : { kind: 'embedded', dataDir: resolve(v.BATON_DATA_DIR) };
  },
});

export const engineEnv = defineFragment({
  title: 'Queue and engine',
  variables: {
    ...arnScopeEnv.variables,
    // For Baton's own address and key (nested executions): declared by the API.
    PORT: apiEnv.variables.PORT,
    BATON_API_PORT: apiEnv.variables.BATON_API_PORT,
    BATON_ACCESS_KEYS: apiEnv.variables.BATON_ACCESS_KEYS,
    REDIS_URL: url({
      protocols: ['redis:', 'rediss:'], secret: true, example: 'redis://redis:6379',
      description: 'Redis for BullMQ, which carries work between processes (Postgres stays the source of truth). Required by `api`, `worker` and `timer`; unset, `server` uses an in-process queue.',
    }),
    BATON_QUEUE_PREFIX: text({ default: 'baton', example: 'baton-staging', description: 'Prefix of every Redis key, so several Batons can share one Redis.' }),
    BATON_AUTO_MIGRATE: boolean({
      default: true, example: 'false',
      description: 'Apply pending migrations when a role starts. Set `false` when a `baton migrate` job does it once per upgrade.',
    }),
    BATON_TASK_LEASE_MS: integer({ min: 100, default: 30_000, example: '60000', description: 'How long a worker owns a task call before another may take it over (ms).' }),
    BATON_RECONCILE_GRACE_MS: integer({ min: 0, default: 5_000, example: '10000', description: 'How old unqueued work must be before the reconciler re-enqueues it (ms).' }),
    BATON_MAP_RUN_LEASE_MS: integer({
      min: 100, default: 10_000, example: '30000',
      description: 'How long a worker drives a Distributed Map Run without renewing its lease (ms); after a worker dies, its Map Runs resume on another worker after this long.',
    }),
    BATON_PAGINATION_KEY: text({
      secret: true, minLength: 32, example: 'c2VjcmV0LXBhZ2luYXRpb24ta2V5LTMyLWJ5dGVz',
      description: 'Overrides the key that signs page tokens (`nextToken`); at least 32 characters. No default: unset, Baton uses a key of its own.',
    }),
    BATON_WORKER_ID: text({ defaultText: '`<hostname>-<pid>`', example: 'worker-1', description: 'The name this process leases task calls under.' }),
    BATON_MAX_PAYLOAD_BYTES: integer({
      min: 1_024, default: 262_144, example: '1048576',
      description: "Largest input, output or state payload (bytes). AWS's limit by default; Baton lets you raise it.",
    }),
    BATON_MAX_HISTORY_EVENTS: integer({
      min: 100, default: 25_000, example: '100000',
      description: "Most history events one execution may have. AWS's limit by default; Baton lets you raise it.",
    }),
    BATON_EVALUATION_TIMEOUT_MS: integer({
      min: 10, default: 5_000, example: '10000',
      description: 'Time budget of every evaluation a state performs (ms); one over it fails its state (`States.QueryEvaluationError` in JSONata, `States.Runtime` otherwise).',
    }),
    BATON_EVALUATION_MEMORY_MB: integer({
      min: 32, default: 256, example: '512',
      description: 'Heap of each evaluation process (or thread) (MiB); an evaluation that outgrows it fails its state as above.',
    }),
    BATON_EVALUATION_THREADS: integer({
      min: 0, defaultText: '`min(4, CPUs)`', example: '2',
      description: 'Evaluation processes (or threads) per role process: how many steps evaluate at once. The first starts with the role (`server`, `api`, `worker`), so that no request or job waits for one to start; the others start when steps wait for them. `0` evaluates on the main thread with no budgets at all (for measuring what the budgets cost, never for service).',
    }),
    BATON_EVALUATION_ISOLATION: oneOf(['process', 'thread'], {
      default: 'process', example: 'thread',
      description: "Where evaluations run: `process`, child processes (nothing an evaluation does can take the role down); `thread`, worker threads (cheaper per step, but V8 can abort the whole process when one allocation outgrows a thread's heap, nodejs/node#47224: in a worker the poison-execution guard then bounds it, but steps the API runs itself (StartSyncExecution, TestState, activity answers) have no such guard).",
    }),
    BATON_MAX_CRASHED_ATTEMPTS: integer({
      min: 1, default: 5, example: '3',
      description: 'Processes in a row that may die while stepping an execution before it is failed as a poison execution (`States.Runtime`).',
    }),
    BATON_SHUTDOWN_GRACE_MS: integer({
      min: 0, default: 25_000, example: '50000',
      description: "On SIGTERM or SIGINT a role stops taking work (the API answers new requests 503 ServiceUnavailable, the worker stops taking jobs, the timer stops firing; `/readyz` answers 503 until the process exits) and lets what is in flight finish and commit for this long (ms); task calls still running then are handed back to other workers, which call them again. Keep it below the orchestrator's kill delay (compose `stop_grace_period: 30s`, Kubernetes `terminationGracePeriodSeconds`) by 5 s. A second signal ends the wait at once: API requests in progress are cut (their connections closed) and task calls in flight handed back.",
    }),
    BATON_SELF_URL: url({
      protocols: ['http:', 'https:'], example: 'http://api:8080', defaultText: '`http://127.0.0.1:$PORT`',
      description: "Baton's own API, which nested executions (`states:startExecution`) call when `AWS_ENDPOINT_URL_SFN` is unset; signed with the first `BATON_ACCESS_KEYS` pair.",
    }),
  },
  build(v, parse, context: { needs: BackendNeeds; store: StoreConfig }): BackendConfig {
    const { needs, store } = context;
    if (needs === 'shared' && !parse.given('REDIS_URL')) {
      parse.report('REDIS_URL', 'is required (e.g. redis://host:6379); `baton server` runs embedded without it');
    }
    if (needs === 'single-process' && parse.given('REDIS_URL') && store.kind === 'embedded') {
      parse.report('REDIS_URL', 'is set but DATABASE_URL is not: the embedded database serves one process, set both or neither');
    }
    const scope = arnScopeEnv.build(v, parse, undefined);
    const first = v.BATON_ACCESS_KEYS ? [...v.BATON_ACCESS_KEYS][0] : undefined;
    return {
      store,
      queue: v.REDIS_URL !== undefined && needs !== 'database-only' ? { kind: 'bullmq', url: v.REDIS_URL, prefix: v.BATON_QUEUE_PREFIX } : { kind: 'in-process' },
      autoMigrate: v.BATON_AUTO_MIGRATE,
      region: scope.region,
      account: scope.account,
      taskLeaseMs: v.BATON_TASK_LEASE_MS,
      mapRunLeaseMs: v.BATON_MAP_RUN_LEASE_MS,
      reconcileGraceMs: v.BATON_RECONCILE_GRACE_MS,
      paginationKey: v.BATON_PAGINATION_KEY,
      workerId: v.BATON_WORKER_ID,
      limits: { payloadBytes: v.BATON_MAX_PAYLOAD_BYTES, historyEvents: v.BATON_MAX_HISTORY_EVENTS },
      evaluation: evaluationConfig(v, parse),
      maxCrashedAttempts: v.BATON_MAX_CRASHED_ATTEMPTS,
      shutdownGraceMs: v.BATON_SHUTDOWN_GRACE_MS,
      self: {
        url: v.BATON_SELF_URL ?? `http://127.0.0.1:${v.BATON_API_PORT ?? v.PORT}`,
        ...(first ? { accessKey: { accessKeyId: first[0], secretAccessKey: first[1] } } : {}),
      },
    };
  },
});

/** The evaluation budgets; with no threads there are none, so setting one is a mistake worth saying. */
function evaluationConfig(
  v: { BATON_EVALUATION_THREADS: number | undefined; BATON_EVALUATION_TIMEOUT_MS: number; BATON_EVALUATION_MEMORY_MB: number; BATON_EVALUATION_ISOLATION: 'process' | 'thread' },
  parse: { given(name: string): boolean; report(name: string, message: string): void },
): BackendConfig['evaluation'] {
  const threads = v.BATON_EVALUATION_THREADS ?? Math.min(4, availableParallelism());
  if (threads === 0) {
    for (const name of ['BATON_EVALUATION_TIMEOUT_MS', 'BATON_EVALUATION_MEMORY_MB', 'BATON_EVALUATION_ISOLATION']) {
      if (parse.given(name)) parse.report(name, 'cannot apply with BATON_EVALUATION_THREADS=0 (evaluation on the main thread has no budgets)');
    }
  }
  return { threads, timeoutMs: v.BATON_EVALUATION_TIMEOUT_MS, memoryMb: v.BATON_EVALUATION_MEMORY_MB, isolation: v.BATON_EVALUATION_ISOLATION };
}
