/**
 * The worker role: consumes queue jobs (transitions and tasks) and runs the reconciler. SIGTERM handling in the
 * app calls `stop()`: stop taking jobs, hand running task calls back (released to other workers), wait for
 * the transitions in progress, exit.
 */
import type { Engine } from './engine.js';
import type { Reconciler } from './reconciler.js';
import { ExecutionLogShipper } from './observability/execution-log-shipper.js';

export interface WorkerOptions {
  concurrency?: number;
  reconcileIntervalMs?: number;
}

export class EngineWorker {
  private reconciler: Reconciler | undefined;
  /** Drains the execution-log outbox to CloudWatch Logs, when the engine has a delivery. */
  private logShipper: ExecutionLogShipper | undefined;

  constructor(private readonly engine: Engine, private readonly options: WorkerOptions = {}) {}

  async start(): Promise<void> {
    await this.engine.rt.queue.process((job) => this.engine.handleJob(job), { concurrency: this.options.concurrency ?? 16 });
    this.reconciler = this.engine.newReconciler(this.options.reconcileIntervalMs);
    this.reconciler.start();
    const logs = this.engine.rt.executionLogs;
    if (logs) {
      const rt = this.engine.rt;
      this.logShipper = new ExecutionLogShipper(rt.store.executionLogs, logs.delivery, rt.clock, rt.log, logs.options);
      this.logShipper.start();
    }
  }

  async stop(): Promise<void> {
    this.engine.tasks.stop();
    await this.engine.mapRuns.stop();
    await this.reconciler?.stop();
    await this.logShipper?.stop();
    await this.engine.rt.queue.close();
  }
}
