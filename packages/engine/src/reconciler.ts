/**
 * Postgres is the source of truth; the queue only carries work. Every worker runs this cheap sweep: executions
 * with signals pending longer than the grace period and tasks scheduled but unclaimed for as long are enqueued
 * again (Redis restarted empty, or a process died between commit and enqueue; job ids make it idempotent), and
 * tasks whose lease expired become failed attempts: their worker vanished mid-call, and the state's Retry decides.
 */
import type { Signal } from '@baton/asl';
import { taskJob, transitionJob, type Dispatch } from './job-ids.js';
import { ensureError } from './logger.js';
import { mapRunJob } from './map-run/commands.js';
import type { Runtime } from './runtime.js';

/** The error a task gets when the worker running it was lost. */
export const WORKER_LOST_ERROR = 'States.TaskFailed';
export const workerLostCause = (workerId: string | null): string =>
  `The worker running this task (${workerId ?? 'unknown'}) was lost before it reported a result (its lease expired); the task may or may not have run.`;

export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(private readonly rt: Runtime, private readonly intervalMs = 2_000) {}

  start(): void {
    if (this.timer) return;
    const tick = (): void => {
      this.round = this.reconcileOnce().then(
        () => {},
        (e) => this.rt.log.error('reconcile round failed', { error: ensureError(e).message }),
      ).finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  async reconcileOnce(): Promise<{ requeued: number; lost: number }> {
    const { store, clock, options } = this.rt;
    const now = clock.now();
    const before = new Date(now - options.reconcileGraceMs);
    const dispatch: Dispatch[] = [];
    // A fresh id per grace window: the job that should have carried this work may still sit in the queue as
    // "active" on a worker that died (the queue would ignore the same id until its own stall detection).
    const round = `r${Math.floor(now / Math.max(1_000, options.reconcileGraceMs))}`;
    const again = (d: Dispatch): Dispatch => ({ job: d.job, jobId: `${d.jobId}-${round}` });
    for (const s of await store.signals.stale(before, 1000)) dispatch.push(again(transitionJob(s.executionId, s.signalId)));
    for (const t of await store.tasks.stale(before, 1000)) dispatch.push(again(taskJob(t.executionId, t.taskId, t.pollCount)));
    // Map Runs no worker drives (its driver's process died): the job lets a worker take the expired lease.
    // A failure here must not hold back the signals and tasks above.
    const orphaned = await store.mapRuns.orphaned(new Date(now), 100).catch((e) => {
      this.rt.log.warn('map run sweep failed', { error: ensureError(e).message });
      return [];
    });
    for (const id of orphaned) dispatch.push(mapRunJob(id, round));
    const requeued = dispatch.length;
    const lost = await store.transaction(async (tx) => {
      const expired = await tx.tasks.takeExpired(new Date(now), 200);
      for (const t of expired) {
        const signals: Signal[] = t.started ? [] : [{ kind: 'taskStarted', taskId: t.taskId }];
        signals.push({ kind: 'taskFailed', taskId: t.taskId, error: WORKER_LOST_ERROR, cause: workerLostCause(t.leaseOwner) });
        let last = '';
        for (const s of signals) last = await tx.signals.insert(t.executionId, s);
        dispatch.push(transitionJob(t.executionId, last));
      }
      return expired.length;
    });
    await this.rt.dispatch(dispatch);
    this.rt.metrics.reconciled(requeued, lost);
    return { requeued, lost };
  }
}
