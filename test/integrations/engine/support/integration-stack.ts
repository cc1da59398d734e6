/**
 * The durable path with the REAL task invoker: the emulators (dynalite, fauxqs, the wire-level Lambda and ECS servers)
 * behind `createTaskInvoker`, the engine on a fresh Postgres database and a fresh BullMQ prefix with a worker and a
 * timer service, and the API server (SigV4) in front. The invoker's Step Functions client points at that API server,
 * so nested executions (`states:startExecution*`, `aws-sdk:sfn:*`) run in the same Baton, as an app wires it.
 * Everything the tests do to Baton goes through the real `@aws-sdk/client-sfn` (`stack.sfn`).
 */
import * as S from '@aws-sdk/client-sfn';
import { Engine, EngineWorker, type TimerService } from '@baton/engine';
import type { S3Client } from '@aws-sdk/client-s3';
import { createMapRunStorage, createTaskInvoker, type BatonTaskInvoker, type TaskInvokerOptions } from '@baton/integrations';
import { BullmqQueue } from '@baton/queue';
import type { PgStore } from '@baton/store';
import { ApiServer, parseAccessKeys } from '../../../../apps/api/src/index.js';
import { startEmulators, type Emulators } from '../../../../packages/integrations/test/support/emulators.js';
import { clearRedisPrefix, createTestDatabase, migratedStore, REDIS_URL, testPrefix, type TestDatabase } from '../../../support/database.js';

/** fauxqs names its account 000000000000; the engine uses it too, so every ARN of a run names one account. */
export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/baton-test`;
const KEY_ID = 'AKIDINTEGRATIONS';
const SECRET = 'integrations-secret';

export interface StackOptions {
  label: string;
  /** Overrides of the invoker's options (poll intervals, timeouts). */
  invoker?: Partial<TaskInvokerOptions>;
  /** Worker concurrency (default 8). */
  concurrency?: number;
  /** GetActivityTask long-poll (default 1 s, so a poller's empty answer comes quickly). */
  activityPollMs?: number;
}

export interface IntegrationStack {
  emu: Emulators;
  engine: Engine;
  invoker: BatonTaskInvoker;
  url: string;
  /** Errors the API server logged (unexpected 500s), for a test to report. */
  apiErrors: string[];
  /** Every line the engines and the API server logged (tests check nothing secret is logged). */
  logs: string[];
  /** The test database's connection URL (tests may look at durable state, e.g. pending timers). */
  databaseUrl: string;
  /** The test's own Step Functions client (the SDK against the API server). */
  sfn: S.SFNClient;
  /** A client of the s3rver that Distributed Map Runs read and write. */
  s3: S3Client;
  createStateMachine(name: string, definition: object | string, type?: 'STANDARD' | 'EXPRESS'): Promise<string>;
  start(stateMachineArn: string, input: unknown, name?: string): Promise<string>;
  /** DescribeExecution until the execution leaves RUNNING. */
  finished(executionArn: string, timeoutMs?: number): Promise<S.DescribeExecutionCommandOutput>;
  history(executionArn: string): Promise<S.HistoryEvent[]>;
  stop(): Promise<void>;
}

export function sfnClient(url: string): S.SFNClient {
  return new S.SFNClient({
    endpoint: url, region: REGION, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET }, disableHostPrefix: true, maxAttempts: 1,
  });
}

export async function startIntegrationStack(options: StackOptions): Promise<IntegrationStack> {
  const emu = await startEmulators({ account: ACCOUNT });
  let db: TestDatabase | undefined;
  const prefix = testPrefix(options.label);
  const closers: (() => Promise<void>)[] = [];
  const apiErrors: string[] = [];
  const logs: string[] = [];
  const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  const engineLogger = { info: capture('info'), warn: capture('warn'), error: capture('error') };
  try {
    db = await createTestDatabase(options.label);
    const apiStore = await migratedStore(db);
    const workerStore = await migratedStore(db);
    closers.push(() => apiStore.close(), () => workerStore.close());
    const api: { url?: string } = {};
    const nestedClients: S.SFNClient[] = [];
    const invoker = createTaskInvoker(emu.options({
      // Resolved on first use, once the API server listens: the app's wiring points this at Baton's own API.
      stepFunctions: () => {
        if (!api.url) throw new Error('API server not started');
        const c = sfnClient(api.url);
        nestedClients.push(c);
        return c;
      },
      pollIntervalMs: { ecs: 20, states: 50 },
      ...options.invoker,
    }));
    const engineOptions = (store: PgStore) => ({
      store, invoker, logger: engineLogger, account: ACCOUNT, region: REGION, reconcileGraceMs: 1_000,
      taskLeaseMs: 5_000, activityPollMs: options.activityPollMs ?? 1_000, mapRunPollMs: 20,
      // Distributed Map Runs read and write the emulators' s3rver, as the invoker's S3 tasks do.
      mapRunStorage: createMapRunStorage(emu.options(), REGION),
    });
    const queue = (): BullmqQueue => new BullmqQueue({ redisUrl: REDIS_URL, prefix, backoffMs: 50 });
    // The API's engine and the worker's engine are separate replicas over the same database and queue.
    const apiQueue = queue();
    const apiEngine = new Engine({ ...engineOptions(apiStore), queue: apiQueue });
    const workerEngine = new Engine({ ...engineOptions(workerStore), queue: queue() });
    const worker = new EngineWorker(workerEngine, { concurrency: options.concurrency ?? 8, reconcileIntervalMs: 500 });
    await worker.start();
    const timers: TimerService = workerEngine.newTimerService({ maxSleepMs: 1_000 });
    await timers.start();
    const logger = {
      info: capture('info'),
      warn: capture('warn'),
      error: (message: string, fields?: Record<string, unknown>) => {
        capture('error')(message, fields);
        apiErrors.push(`${message} ${JSON.stringify(fields ?? {})}`);
      },
    };
    const server = new ApiServer({ backend: apiEngine, logger, auth: { mode: 'sigv4', accessKeys: parseAccessKeys(`${KEY_ID}:${SECRET}`) } });
    const { url } = await server.listen(0, '127.0.0.1');
    api.url = url;
    const sfn = sfnClient(url);
    closers.unshift(async () => {
      sfn.destroy();
      await server.close();
      await worker.stop().catch(() => {});
      await timers.stop().catch(() => {});
      invoker.destroy();
      for (const c of nestedClients) c.destroy();
      await workerEngine.close();
      await apiEngine.close();
      await apiQueue.close().catch(() => {});
    });

    const stack: IntegrationStack = {
      emu, engine: apiEngine, invoker, url, sfn, s3: emu.s3, apiErrors, logs, databaseUrl: db.url,
      async createStateMachine(name, definition, type = 'STANDARD') {
        const r = await sfn.send(new S.CreateStateMachineCommand({
          name, type, roleArn: ROLE, definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
        }));
        return r.stateMachineArn!;
      },
      async start(stateMachineArn, input, name) {
        const r = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }));
        return r.executionArn!;
      },
      async finished(executionArn, timeoutMs = 30_000) {
        const end = Date.now() + timeoutMs;
        for (;;) {
          const d = await sfn.send(new S.DescribeExecutionCommand({ executionArn }));
          if (d.status !== 'RUNNING') return d;
          if (Date.now() > end) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async history(executionArn) {
        const events: S.HistoryEvent[] = [];
        let nextToken: string | undefined;
        do {
          const page = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
          events.push(...(page.events ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        return events;
      },
      async stop() {
        for (const close of closers) await close().catch(() => {});
        await emu.close().catch(() => {});
        await db?.drop();
        await clearRedisPrefix(prefix);
      },
    };
    return stack;
  } catch (e) {
    for (const close of closers) await close().catch(() => {});
    await emu.close().catch(() => {});
    await db?.drop().catch(() => {});
    throw e;
  }
}
