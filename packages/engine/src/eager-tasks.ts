/**
 * Eager task execution (issue 13). The worker whose transition schedules a Task, when it has room for one more
 * call, inserts the task row already claimed (`running`, under its own lease) in that same transaction and, once it
 * has committed, makes the call itself: no task job, no claim, no queue hop. The outcome is then committed together
 * with the next transition (TransitionRunner.commitOutcome: release the claim, step, append the events, one
 * transaction), which may schedule the next task eagerly in turn. A Task on the happy path costs one call and one
 * commit.
 *
 * Nothing durable changes: the row and its lease are exactly those of a claimed task, so every failure falls back to
 * the path that exists without eager execution.
 *   - The worker dies before, during or after the call: the lease expires and the reconciler turns the task into
 *     a failed attempt (reconciler.ts), as for any worker lost mid-call.
 *   - The outcome's commit loses the race (another process advanced the execution): one retry from a fresh load,
 *     then the outcome is recorded as signals and a transition job (TaskRunner.record), the ordinary path. The
 *     same when the commit fails on a database error, the recording tried again a few times while the lease is
 *     kept; only if that fails too does the lease run out, as for a lost worker.
 *   - The claim was lost meanwhile (cancelled, or declared lost): the outcome is dropped, as TaskRunner drops it.
 *   - `.sync` polls and shutdown take TaskRunner's own paths (a poll timer; release to another worker).
 *   - A `.waitForTaskToken` call's report (submitted) is recorded as a signal at once, as before: the task's answer
 *     (SendTaskSuccess) may come right behind it, and its signal must come after the report's, not race a step.
 */
import type { ScheduleTaskCommand, Signal } from '@baton/asl';
import type { EagerClaim } from './apply-commands.js';
import { ensureError } from './logger.js';
import type { ExecutionRecord, TaskRecord, TaskResult } from './ports.js';
import type { Runtime } from './runtime.js';
import type { TaskRunner } from './task-runner.js';

/** An outcome that a step can consume directly (a `.sync` poll instead parks the task behind a timer). */
export type FinalTaskResult = Exclude<TaskResult, { kind: 'poll' }>;

/** Commits an eager task's outcome with the next transition; false: not done, record it the ordinary way. */
export type OutcomeCommitter = (task: TaskRecord, result: FinalTaskResult, work: EagerWork) => Promise<boolean>;

/** The eager calls a job started (and those their commits started): the job waits for all of them. */
export class EagerWork {
  private readonly running: Promise<void>[] = [];

  add(p: Promise<void>): void {
    this.running.push(p);
  }

  async settle(): Promise<void> {
    while (this.running.length > 0) await Promise.all(this.running.splice(0));
  }
}

/** The tasks one transaction claimed for this worker. */
export interface EagerBatch extends EagerClaim {
  readonly taken: ScheduleTaskCommand[];
}

export class EagerTasks {
  private limit = 0;
  private calls = 0;
  /** The last committed state of executions with eager calls in flight here: their next step starts from it. */
  private readonly latest = new Map<string, { exec: ExecutionRecord; refs: number }>();

  constructor(private readonly rt: Runtime, private readonly tasks: TaskRunner) {}

  /** At most `limit` eager calls at once in this process (0: off, every task goes through the queue). */
  enable(limit: number): void {
    this.limit = Math.max(0, limit);
  }

  /** A claim for one transaction, or undefined when eager execution is off. */
  claim(): EagerBatch | undefined {
    if (this.limit === 0 || this.tasks.isStopping) return undefined;
    const taken: ScheduleTaskCommand[] = [];
    return {
      owner: this.rt.options.workerId,
      leaseUntil: new Date(this.rt.clock.now() + this.rt.options.taskLeaseMs),
      taken,
      take: (c) => {
        if (this.calls >= this.limit || this.tasks.isStopping) return false;
        this.calls++;
        taken.push(c);
        return true;
      },
    };
  }

  /** The transaction rolled back: nothing was claimed. */
  abandon(batch: EagerBatch | undefined): void {
    if (!batch) return;
    this.calls -= batch.taken.length;
    batch.taken.length = 0;
  }

  /** The transaction committed as `exec`: make the claimed calls. */
  start(batch: EagerBatch | undefined, exec: ExecutionRecord, work: EagerWork, commit: OutcomeCommitter): void {
    this.committed(exec);
    if (!batch || batch.taken.length === 0) return;
    const entry = this.latest.get(exec.id) ?? { exec, refs: 0 };
    entry.refs += batch.taken.length;
    this.latest.set(exec.id, entry);
    for (const c of batch.taken.splice(0)) work.add(this.callOne(exec, c, batch, work, commit));
  }

  /** The last state this process committed for an execution with eager calls in flight (else undefined). */
  current(executionId: string): ExecutionRecord | undefined {
    return this.latest.get(executionId)?.exec;
  }

  /** Keeps the state of executions with eager calls in flight up to date (any commit of this process). */
  committed(exec: ExecutionRecord): void {
    const entry = this.latest.get(exec.id);
    if (entry) entry.exec = exec;
  }

  private async callOne(exec: ExecutionRecord, c: ScheduleTaskCommand, batch: EagerBatch, work: EagerWork, commit: OutcomeCommitter): Promise<void> {
    const task: TaskRecord = {
      executionId: exec.id, taskId: c.taskId, status: 'running', request: c, started: false, claims: 1,
      leaseOwner: batch.owner, leaseExpiresAt: batch.leaseUntil, pollState: null, pollCount: 0,
    };
    let calling = true;
    try {
      const result = await this.tasks.call(task, exec);
      this.calls--; // the call is over: the commit below may claim the next task in this room
      calling = false;
      if (!result) return;
      // The commit may wait behind other work of this process (connections, evaluation threads): the claim stays
      // renewed meanwhile, so a busy worker is not mistaken for a lost one.
      let done = false;
      if (result.kind !== 'poll' && result.kind !== 'submitted') {
        const stopRenewing = this.tasks.keepLease(task);
        try {
          done = await commit(task, result, work);
        } catch (e) {
          // A database error (a connection refused, a statement cancelled): the outcome is not lost with it.
          this.rt.log.warn('eager task outcome not committed with its transition; recording it as signals', {
            executionId: exec.id, taskId: c.taskId, error: ensureError(e).message,
          });
        } finally {
          stopRenewing();
        }
      }
      // recordSurely keeps the lease itself while it records.
      if (!done) await this.tasks.recordSurely(task, result);
    } catch (e) {
      // The claim stays until its lease expires; the reconciler then makes it a failed attempt (worker lost).
      this.rt.log.warn('eager task outcome not recorded; its lease will expire', { executionId: exec.id, taskId: c.taskId, error: ensureError(e).message });
    } finally {
      if (calling) this.calls--;
      const entry = this.latest.get(exec.id);
      if (entry && --entry.refs <= 0) this.latest.delete(exec.id);
    }
  }
}

/** The signals an outcome makes (`taskStarted` travels with the first one), as TaskRunner.record writes them. */
export function outcomeSignals(task: TaskRecord, result: FinalTaskResult): Signal[] {
  const { taskId } = task;
  const signals: Signal[] = task.started ? [] : [{ kind: 'taskStarted', taskId }];
  switch (result.kind) {
    case 'succeeded':
      signals.push({ kind: 'taskSucceeded', taskId, output: result.output });
      break;
    case 'failed':
      signals.push({ kind: 'taskFailed', taskId, error: result.error, ...(result.cause !== undefined ? { cause: result.cause } : {}) });
      break;
    case 'submitted':
      if (result.output !== undefined) signals.push({ kind: 'taskSubmitted', taskId, output: result.output });
      break;
    default: {
      const never: never = result;
      throw new Error(`unknown task result ${JSON.stringify(never)}`);
    }
  }
  return signals;
}
