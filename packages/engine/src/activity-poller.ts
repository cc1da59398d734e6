/**
 * GetActivityTask (AWS API reference): a long poll, up to 60 seconds, that hands each scheduled activity task to
 * exactly one poller. The task row is taken with FOR UPDATE SKIP LOCKED and deleted, and a fresh token (only its
 * hash is kept) written in the same transaction, which also steps the execution with the task's start
 * (`taskStarted` with the worker name: ActivityStarted) when it can (TransitionRunner.stepAnswer), or else records
 * that start as a signal for a transition job. Pollers sleep until a NOTIFY names their activity (or a periodic
 * re-check), never in a tight loop.
 */
import { ApiError } from '@baton/api-contract';
import { againIfAnsweredMeanwhile } from './apply-commands.js';
import type { Signal } from '@baton/asl';
import { newTaskToken, hashToken } from './crypto.js';
import { transitionJob } from './job-ids.js';
import { CHANNELS } from './ports.js';
import type { Runtime } from './runtime.js';
import type { AnswerStep, TransitionRunner } from './transition-runner.js';

const RECHECK_MS = 5_000;

export class ActivityPoller {
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private listening: Promise<() => Promise<void>> | undefined;

  constructor(private readonly rt: Runtime, private readonly transitions: TransitionRunner) {}

  async poll(activityArn: string, workerName: string | undefined, signal?: AbortSignal): Promise<{ taskToken?: string; input?: string }> {
    await this.listen();
    const deadline = this.rt.clock.now() + this.rt.options.activityPollMs;
    // The activity must exist when the poll begins (checked by the first take, in its statement); a poll that began
    // goes on should it be deleted meanwhile.
    let first = true;
    for (;;) {
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const set = this.waiters.get(activityArn) ?? this.waiters.set(activityArn, new Set()).get(activityArn)!;
      set.add(wake);
      try {
        const got = await this.take(activityArn, workerName, first);
        first = false;
        if (got) {
          set.delete(wake);
          if (got.more) this.wakeOne(activityArn);
          return { taskToken: got.taskToken, input: got.input };
        }
        const left = deadline - this.rt.clock.now();
        if (left <= 0 || signal?.aborted) return {};
        this.recheck(activityArn);
        let timer: NodeJS.Timeout | undefined;
        const deadlineReached = new Promise<void>((resolve) => (timer = setTimeout(resolve, left).unref()));
        await Promise.race([woken, deadlineReached, aborted(signal)]).finally(() => clearTimeout(timer));
        if (signal?.aborted) return {};
      } finally {
        set.delete(wake);
        if (set.size === 0) {
          this.waiters.delete(activityArn);
          clearInterval(this.rechecks.get(activityArn));
          this.rechecks.delete(activityArn);
        }
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
      // wakes the next while tasks are left (see poll).
      this.wakeOne(arn);
    });
    return this.listening;
  }

  /**
   * The re-check behind the notifications (a notification lost with a dropped LISTEN connection): while pollers of
   * the activity wait here, one of them looks every RECHECK_MS (one per activity and process, not one per poller).
   */
  private recheck(activityArn: string): void {
    if (this.rechecks.has(activityArn)) return;
    this.rechecks.set(activityArn, setInterval(() => this.wakeOne(activityArn), RECHECK_MS).unref());
  }

  private wakeOne(activityArn: string): void {
    const set = this.waiters.get(activityArn);
    const first = set?.values().next().value;
    if (first) {
      set!.delete(first);
      first();
    }
  }

  private take(activityArn: string, workerName: string | undefined, mustExist: boolean): Promise<{ taskToken: string; input: string; more: boolean } | undefined> {
    // Again when the step timed out another task whose answer was being accepted meanwhile (AnsweredMeanwhile).
    return againIfAnsweredMeanwhile(() => this.takeOnce(activityArn, workerName, mustExist));
  }

  private async takeOnce(activityArn: string, workerName: string | undefined, mustExist: boolean): Promise<{ taskToken: string; input: string; more: boolean } | undefined> {
    const token = newTaskToken();
    let step: AnswerStep | undefined;
    const got = await this.rt.store.transaction(async (tx) => {
      // A task past its TimeoutSeconds is not handed out: it is timed out (its timer fires, late under load, or its step
      // is on the way), and could only be answered TaskTimedOut while live tasks wait.
      const task = await tx.activities.takeTask(activityArn, this.rt.clock.now(), mustExist);
      if (task === 'noSuchActivity') throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${activityArn}'`);
      if (!task) return undefined;
      await tx.tokens.insert(hashToken(token), task.executionId, task.taskId);
      const started: Signal = { kind: 'taskStarted', taskId: task.taskId, ...(workerName !== undefined ? { workerName } : {}) };
      // ActivityStarted (and the heartbeat timer it starts) committed with the take when the execution can be
      // stepped here and now; else a signal and a transition job, as before.
      step = await this.transitions.stepAnswer(tx, task.executionId, [started]);
      if (step) return { input: task.input, more: task.more, dispatch: [] };
      const signalId = await tx.signals.insert(task.executionId, started);
      return { input: task.input, more: task.more, dispatch: [transitionJob(task.executionId, signalId)] };
    }).catch((e: unknown) => {
      step?.failed(e);
      throw e;
    });
    if (!got) return undefined;
    if (step) await step.committed();
    else await this.rt.dispatch(got.dispatch);
    return { taskToken: token, input: got.input, more: got.more };
  }
}

function aborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
