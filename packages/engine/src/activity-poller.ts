/**
 * GetActivityTask (AWS API reference): a long poll, up to 60 seconds, that hands each scheduled activity task to
 * exactly one poller. The task row is taken with FOR UPDATE SKIP LOCKED and deleted, a fresh token (only its hash
 * is kept) and an ActivityStarted (`taskStarted` with the worker name) signal are written in the same
 * transaction. Pollers sleep until a NOTIFY names their activity (or a periodic re-check), never in a tight loop.
 */
import { newTaskToken, hashToken } from './crypto.js';
import { transitionJob } from './job-ids.js';
import { CHANNELS } from './ports.js';
import type { Runtime } from './runtime.js';

const RECHECK_MS = 5_000;

export class ActivityPoller {
  private readonly waiters = new Map<string, Set<() => void>>();
  private listening: Promise<() => Promise<void>> | undefined;

  constructor(private readonly rt: Runtime) {}

  async poll(activityArn: string, workerName: string | undefined, signal?: AbortSignal): Promise<{ taskToken?: string; input?: string }> {
    await this.listen();
    const deadline = this.rt.clock.now() + this.rt.options.activityPollMs;
    for (;;) {
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const set = this.waiters.get(activityArn) ?? this.waiters.set(activityArn, new Set()).get(activityArn)!;
      set.add(wake);
      try {
        const got = await this.take(activityArn, workerName);
        if (got) {
          set.delete(wake);
          this.wakeOne(activityArn);
          return got;
        }
        const left = deadline - this.rt.clock.now();
        if (left <= 0 || signal?.aborted) return {};
        await Promise.race([woken, delay(Math.min(left, RECHECK_MS)), aborted(signal)]);
        if (signal?.aborted) return {};
      } finally {
        set.delete(wake);
        if (set.size === 0) this.waiters.delete(activityArn);
      }
    }
  }

  async close(): Promise<void> {
    const stop = await this.listening?.catch(() => undefined);
    await stop?.();
  }

  private listen(): Promise<() => Promise<void>> {
    this.listening ??= this.rt.store.listen(CHANNELS.activities, (arn) => {
      if (arn === '') {
        for (const s of this.waiters.values()) for (const w of s) w();
        return;
      }
      // Wake the longest-waiting poller of this process only (waking them all made every poller race for one
      // row). Postgres folds identical notifications of one transaction into one, so a poller that gets a task
      // wakes the next (see poll): the chain stops at the first poller that finds nothing.
      this.wakeOne(arn);
    });
    return this.listening;
  }

  private wakeOne(activityArn: string): void {
    const set = this.waiters.get(activityArn);
    const first = set?.values().next().value;
    if (first) {
      set!.delete(first);
      first();
    }
  }

  private async take(activityArn: string, workerName: string | undefined): Promise<{ taskToken: string; input: string } | undefined> {
    const token = newTaskToken();
    const got = await this.rt.store.transaction(async (tx) => {
      const task = await tx.activities.takeTask(activityArn);
      if (!task) return undefined;
      await tx.tokens.insert(hashToken(token), task.executionId, task.taskId);
      const signalId = await tx.signals.insert(task.executionId, {
        kind: 'taskStarted', taskId: task.taskId, ...(workerName !== undefined ? { workerName } : {}),
      });
      return { input: task.input, dispatch: transitionJob(task.executionId, signalId) };
    });
    if (!got) return undefined;
    await this.rt.dispatch([got.dispatch]);
    return { taskToken: token, input: got.input };
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
