/**
 * An engine on the real Postgres and Redis of this machine: a fresh database, a BullMQ prefix, N workers and
 * N timer services in this process (each with its own store, queue and engine, as separate replicas would be).
 */
import { Engine, EngineWorker, type EngineOptions, type TaskInvoker, type TimerService, type WorkQueue } from '@baton/engine';
import { BullmqQueue, InProcessQueue } from '@baton/queue';
import type { PgStore } from '@baton/store';
import type { HistoryEvent } from '@baton/api-contract';
import { createTestDatabase, migratedStore, REDIS_URL, testPrefix, type TestDatabase } from '../../support/database.js';

export interface HarnessOptions {
  label: string;
  invoker?: TaskInvoker;
  workers?: number;
  timers?: number;
  queue?: 'bullmq' | 'in-process';
  /** Wraps each replica's queue (e.g. to deliver every job twice). */
  wrapQueue?: (q: WorkQueue) => WorkQueue;
  engine?: Partial<EngineOptions>;
  concurrency?: number;
  /** Eager task calls per worker (EngineWorker's `eagerTasks`; default: its concurrency; 0: off). */
  eagerTasks?: number;
  reconcileIntervalMs?: number;
  /** Default: the machine's Redis, database 0. */
  redisUrl?: string;
}

interface Replica {
  store: PgStore;
  queue: WorkQueue;
  engine: Engine;
  worker?: EngineWorker;
  timer?: TimerService;
}

export class Harness {
  db!: TestDatabase;
  prefix!: string;
  /** The API-side engine (no worker), as apps/api would hold it. */
  api!: Engine;
  readonly replicas: Replica[] = [];
  private apiParts!: Replica;
  private shared: InProcessQueue | undefined;

  constructor(readonly options: HarnessOptions) {}

  static async start(options: HarnessOptions): Promise<Harness> {
    const h = new Harness(options);
    await h.init();
    return h;
  }

  private async init(): Promise<void> {
    this.db = await createTestDatabase(this.options.label);
    this.prefix = testPrefix(this.options.label);
    this.shared = this.options.queue === 'in-process' ? new InProcessQueue() : undefined;
    this.apiParts = await this.make();
    this.api = this.apiParts.engine;
    for (let i = 0; i < (this.options.workers ?? 1); i++) this.replicas.push(await this.startWorker());
    for (let i = 0; i < (this.options.timers ?? 1); i++) {
      const r = await this.make();
      r.timer = r.engine.newTimerService({ maxSleepMs: 2_000 });
      await r.timer.start();
      this.replicas.push(r);
    }
  }

  /** One replica's parts: its own store, queue and engine. */
  private async make(): Promise<Replica> {
    const store = await migratedStore(this.db);
    let queue: WorkQueue = this.shared ?? new BullmqQueue({ redisUrl: this.options.redisUrl ?? REDIS_URL, prefix: this.prefix, backoffMs: 50 });
    if (this.options.wrapQueue) queue = this.options.wrapQueue(queue);
    const engine = new Engine({
      store, queue, reconcileGraceMs: 1_000, taskLeaseMs: 2_000,
      ...(this.options.invoker ? { invoker: this.options.invoker } : {}), ...this.options.engine,
    });
    return { store, queue, engine };
  }

  private async startWorker(): Promise<Replica> {
    const r = await this.make();
    r.worker = new EngineWorker(r.engine, { concurrency: this.options.concurrency ?? 8, reconcileIntervalMs: this.options.reconcileIntervalMs ?? 500,
      ...(this.options.eagerTasks !== undefined ? { eagerTasks: this.options.eagerTasks } : {}) });
    await r.worker.start();
    return r;
  }

  /**
   * A worker replica started now, for a test that stops and starts workers itself (a queue processes jobs once: a
   * stopped worker is not started again, a new replica is). `stop()` stops it and closes its parts.
   */
  async addWorker(): Promise<{ stop(): Promise<void> }> {
    const r = await this.startWorker();
    return {
      stop: async () => {
        await r.worker!.stop();
        await r.engine.close();
        await r.store.close();
      },
    };
  }

  get store(): PgStore {
    return this.apiParts.store;
  }

  async createStateMachine(name: string, definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Promise<string> {
    const r = await this.api.createStateMachine({
      name, definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::123456789012:role/test', type,
    });
    return r.stateMachineArn;
  }

  async start(stateMachineArn: string, input: unknown = {}, name?: string): Promise<string> {
    const r = await this.api.startExecution({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) });
    return r.executionArn;
  }

  /** Waits until the execution is no longer RUNNING (polling Postgres), or throws after `timeoutMs`. */
  async finished(executionArn: string, timeoutMs = 20_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const d = await this.api.describeExecution({ executionArn });
      if (d.status !== 'RUNNING') return d;
      if (Date.now() > end) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async history(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.api.getExecutionHistory({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) });
      events.push(...page.events);
      nextToken = page.nextToken;
    } while (nextToken);
    return events;
  }

  async types(executionArn: string): Promise<string[]> {
    return (await this.history(executionArn)).map((e) => e.type);
  }

  async stop(): Promise<void> {
    for (const r of this.replicas) {
      await r.worker?.stop();
      await r.timer?.stop();
    }
    for (const r of [...this.replicas, this.apiParts]) {
      await r.engine.close();
      if (!r.worker) await r.queue.close().catch(() => {});
      await r.store.close();
    }
    await this.db.drop();
  }
}

/** Checks what every history must satisfy: ids 1..n in order, no duplicates, previousEventId pointing backwards. */
export function assertWellFormedHistory(events: readonly HistoryEvent[]): string[] {
  const problems: string[] = [];
  events.forEach((e, i) => {
    if (e.id !== i + 1) problems.push(`event #${i} has id ${e.id}`);
    if (e.previousEventId !== undefined && e.previousEventId >= e.id) problems.push(`event ${e.id} previousEventId ${e.previousEventId}`);
  });
  return problems;
}
