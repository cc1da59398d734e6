/**
 * The worker role: consumes queue jobs (transitions and tasks) and runs the reconciler. SIGTERM handling in the
 * app calls `stop()`: stop taking jobs, hand running task calls back (released to other workers), wait for
 * the transitions in progress, exit.
 */
import type { Engine } from './engine.js';
import type { Reconciler } from './reconciler.js';

export interface WorkerOptions {
  concurrency?: number;
  reconcileIntervalMs?: number;
  /**
   * Task calls this worker makes itself, at once, when its own transition schedules them (eager-tasks.ts);
   * default: `concurrency`. 0: every task goes through the queue.
   */
  eagerTasks?: number;
}

export class EngineWorker {
  private reconciler: Reconciler | undefined;

  constructor(private readonly engine: Engine, private readonly options: WorkerOptions = {}) {}

  async start(): Promise<void> {
    this.engine.transitions.eager.enable(this.options.eagerTasks ?? this.options.concurrency ?? 16);
    await this.engine.rt.queue.process((job) => this.engine.handleJob(job), { concurrency: this.options.concurrency ?? 16 });
    this.reconciler = this.engine.newReconciler(this.options.reconcileIntervalMs);
    this.reconciler.start();
  }

  async stop(): Promise<void> {
    this.engine.transitions.eager.enable(0);
    this.engine.tasks.stop();
    await this.engine.mapRuns.stop();
    await this.reconciler?.stop();
    await this.engine.rt.queue.close();
  }
}
