/**
 * Fires durable timers. Each round claims due rows with FOR UPDATE SKIP LOCKED, deletes them and inserts their
 * `timerFired` signals in the same transaction (a `poll` timer instead hands its task back to the workers), then
 * enqueues. Between rounds it sleeps until the next due time, woken early by NOTIFY when an earlier timer is
 * written; parked executions cost nothing. Several replicas never fire one timer twice.
 */
import { taskJob, transitionJob, type Dispatch } from './job-ids.js';
import { ensureError } from './logger.js';
import { CHANNELS } from './ports.js';
import type { Runtime } from './runtime.js';

export interface TimerServiceOptions {
  /** Timers claimed per transaction (default 200). */
  batchSize?: number;
  /** Longest sleep without a NOTIFY (default 10 s): a safety net if a notification is lost. */
  maxSleepMs?: number;
}

export class TimerService {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeAt = Infinity;
  private wake: (() => void) | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly batchSize: number;
  private readonly maxSleepMs: number;
  /** Timers fired by this instance (tests and metrics). */
  fired = 0;

  constructor(private readonly rt: Runtime, options: TimerServiceOptions = {}) {
    this.batchSize = options.batchSize ?? 200;
    this.maxSleepMs = options.maxSleepMs ?? 10_000;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.unlisten = await this.rt.store.listen(CHANNELS.timers, (payload) => {
      const at = Number(payload);
      if (!Number.isFinite(at) || payload === '' || at < this.wakeAt) this.wake?.();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.unlisten?.();
  }

  /** Fires every timer due now; returns how many. */
  async fireDue(): Promise<number> {
    const { store, clock } = this.rt;
    let total = 0;
    for (;;) {
      const dispatch: Dispatch[] = [];
      const startedAt = Date.now();
      const n = await store.transaction(async (tx) => {
        const firedAt = clock.now();
        const due = await tx.timers.claimDue(new Date(firedAt), this.batchSize);
        for (const t of due) {
          if (t.purpose === 'poll') {
            const count = t.taskId === null ? undefined : await tx.tasks.wake(t.executionId, t.taskId);
            if (count !== undefined && t.taskId !== null) dispatch.push(taskJob(t.executionId, t.taskId, count));
          } else {
            const task = t.taskId !== null && (t.purpose === 'taskTimeout' || t.purpose === 'heartbeat') ? { taskId: t.taskId, purpose: t.purpose } : {};
            const signalId = await tx.signals.insert(t.executionId, { kind: 'timerFired', timerId: t.timerId, firedAt, ...task });
            dispatch.push(transitionJob(t.executionId, signalId));
          }
        }
        return due.length;
      });
      await this.rt.dispatch(dispatch);
      total += n;
      this.fired += n;
      this.rt.telemetry.timersFired(n, startedAt);
      if (n < this.batchSize) return total;
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sleepMs = this.maxSleepMs;
      try {
        await this.fireDue();
        const next = await this.rt.store.timers.nextDue();
        if (next) sleepMs = Math.min(sleepMs, Math.max(0, next.getTime() - this.rt.clock.now()));
      } catch (e) {
        this.rt.log.error('timer round failed', { error: ensureError(e).message });
        sleepMs = 1_000;
      }
      if (!this.running) break;
      await this.sleep(sleepMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    this.wakeAt = this.rt.clock.now() + ms;
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    }).finally(() => {
      this.wakeAt = Infinity;
    });
  }
}
