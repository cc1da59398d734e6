/**
 * The worker role: consumes queue jobs (transitions and tasks) and runs the reconciler. SIGTERM handling in the
 * app calls `stop(graceMs)`, the graceful drain: stop taking jobs, let the task calls in flight finish and
 * commit for up to `graceMs`, hand back (release to other workers) those still running then, wait for the jobs
 * in progress, exit. `hurry()` (a second signal) hands back what still runs at once.
 */
import type { Engine } from './engine.js';
import type { Reconciler } from './reconciler.js';
import { ExecutionLogShipper } from './observability/execution-log-shipper.js';

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
  /** Drains the execution-log outbox to CloudWatch Logs, when the engine has a delivery. */
  private logShipper: ExecutionLogShipper | undefined;

  constructor(private readonly engine: Engine, private readonly options: WorkerOptions = {}) {}

  async start(): Promise<void> {
    this.engine.transitions.eager.enable(this.options.eagerTasks ?? this.options.concurrency ?? 16);
    // The first job's step would wait for an evaluation host to start (a process to spawn and load): start one now.
    this.engine.rt.evaluator.warm();
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

  /** Graceful stop; `graceMs` 0 hands every running call back at once. */
  async stop(graceMs = 0): Promise<void> {
    const { queue } = this.engine.rt;
    this.engine.transitions.eager.enable(0); // no new eager call: what the last commits schedule goes to the queue
    await queue.pause?.(); // no new job: the queue keeps them for the next worker
    const draining = this.engine.tasks.drain(graceMs); // no new claim either (a job taken just before)
    // Map Run drivers hand their lease over (another worker resumes them); the reconciler stops sweeping.
    await Promise.all([this.engine.mapRuns.stop(), this.reconciler?.stop()]);
    await draining;
    await this.logShipper?.stop(); // after the drain: the last transitions' log events go out first
    await queue.close(); // waits for the jobs still recording their outcome
  }

  /** During `stop()`: hand the calls still running back now. */
  hurry(): void {
    this.engine.tasks.stop();
  }
}
