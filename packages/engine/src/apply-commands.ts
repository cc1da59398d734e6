/**
 * Writes what one step's commands ask for, inside the transition's transaction: tasks (invoked by workers),
 * activity tasks (waiting for GetActivityTask), task tokens (hashed), timers, and the clean-up when an
 * execution ends. Returns the jobs to enqueue once the transaction has committed.
 * With `eager`, a task the committing worker has room for is inserted already claimed under that worker's lease,
 * and no task job is enqueued for it: the worker calls it as soon as the transaction has committed (eager-tasks.ts).
 */
import { parseResource, type Command, type ExecutionDoc, type ScheduleTaskCommand } from '@baton/asl';
import { hashToken } from './crypto.js';
import { taskJob, transitionJob, type Dispatch } from './job-ids.js';
import { CHANNELS, type StoreSession } from './ports.js';
import { redriveMapRun, startMapRun, stopMapRun } from './map-run/commands.js';

/**
 * Statements issued without waiting for each other: the store's transaction pipelines them (one round trip for
 * all). Each is marked handled at once, so one that fails while the caller is still issuing others is not an
 * unhandled rejection; `done` waits for all of them and fails with the first failure.
 */
export class Writes {
  private readonly all: Promise<unknown>[] = [];

  add<T>(p: Promise<T>): Promise<T> {
    p.catch(() => {});
    this.all.push(p);
    return p;
  }

  async done(): Promise<void> {
    await Promise.all(this.all);
  }
}

export const pollTimerId = (taskId: string): string => `poll-${taskId}`;

/**
 * A step timed a task out while an answer to it was being accepted (its token used; its signal committed after the
 * step loaded the pending ones). The step's transaction rolls back, and the step is taken again with the answer,
 * which goes first (the interpreter's `answersFirst`): a conflict, as when the compare-and-set loses.
 */
export class AnsweredMeanwhile extends Error {
  constructor(executionId: string, taskId: string) {
    super(`execution ${executionId}: task ${taskId} was answered while a step timed it out`);
  }
}

/** Runs `f` again (three times in all at most) while a step it takes meets AnsweredMeanwhile. */
export async function againIfAnsweredMeanwhile<T>(f: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof AnsweredMeanwhile) || attempt >= 3) throw e;
    }
  }
}

/** Lets the committing worker claim the tasks it has room for (eager-tasks.ts). */
export interface EagerClaim {
  owner: string;
  leaseUntil: Date;
  /** Reserves room for one more call; false when there is none (the task then goes through the queue). */
  take(c: ScheduleTaskCommand): boolean;
}

export async function applyCommands(
  tx: StoreSession,
  executionId: string,
  before: ExecutionDoc,
  after: ExecutionDoc,
  commands: readonly Command[],
  eager?: EagerClaim,
  /** The execution's trace context: a Map Run's children join its trace (map-run/children.ts). */
  traceContext?: string | null,
): Promise<Dispatch[]> {
  // Issued without waiting for each other (the store pipelines them: one round trip), awaited together at the end.
  const writes = new Writes();
  const dispatch: (Dispatch | Promise<Dispatch>)[] = [];
  let earliestTimer: number | undefined;
  let activityArns: string[] = [];
  for (const c of commands) {
    switch (c.kind) {
      case 'scheduleTask':
        if (c.taskToken !== undefined) writes.add(tx.tokens.insert(hashToken(c.taskToken), executionId, c.taskId));
        if (c.family === 'activity') {
          writes.add(tx.activities.insertTask({
            executionId, taskId: c.taskId, activityArn: c.resource, input: JSON.stringify(c.parameters), ...expiry(after, c.taskId),
          }));
          activityArns.push(c.resource);
        } else if (eager?.take(c)) {
          writes.add(tx.tasks.insert(executionId, c, { owner: eager.owner, leaseUntil: eager.leaseUntil }));
        } else {
          writes.add(tx.tasks.insert(executionId, c));
          dispatch.push(taskJob(executionId, c.taskId, 0));
        }
        break;
      case 'cancelTask':
        // The token first: an answer's transaction locks the token, then the task's row (task-callbacks.ts); taking
        // them in the same order, this one waits for it instead of deadlocking with it.
        if (c.timedOut) {
          writes.add(tx.tokens.closeTimedOut(executionId, c.taskId).then((answered) => {
            if (answered) throw new AnsweredMeanwhile(executionId, c.taskId);
          }));
        } else {
          writes.add(tx.tokens.close(executionId, c.taskId, 'timedOut'));
        }
        writes.add(tx.tasks.delete(executionId, c.taskId));
        writes.add(tx.activities.deleteTask(executionId, c.taskId));
        writes.add(tx.timers.delete(executionId, pollTimerId(c.taskId)));
        break;
      case 'startTimer':
        writes.add(tx.timers.upsert({
          executionId, timerId: c.timerId, fireAt: new Date(c.fireAt), purpose: c.purpose,
          taskId: after.timers[c.timerId]?.taskId ?? null,
        }));
        earliestTimer = Math.min(earliestTimer ?? Infinity, c.fireAt);
        break;
      case 'cancelTimer':
        writes.add(tx.timers.delete(executionId, c.timerId));
        break;
      case 'finish':
        // The tokens first, as for cancelTask.
        writes.add(tx.tokens.close(executionId, undefined, 'timedOut'));
        writes.add(tx.tasks.deleteAll(executionId));
        writes.add(tx.timers.deleteAll(executionId));
        writes.add(tx.activities.deleteTasks(executionId));
        activityArns = [];
        break;
      case 'startMapRun':
        dispatch.push(...(await writes.add(startMapRun(tx, executionId, after, c, new Date(), traceContext ?? undefined))));
        break;
      case 'stopMapRun':
        dispatch.push(...(await writes.add(stopMapRun(tx, c.mapRunArn))));
        break;
      case 'redriveMapRun':
        dispatch.push(...(await writes.add(redriveMapRun(tx, c.mapRunArn, c.redriveCount, new Date()))));
        break;
      case 'continue': {
        dispatch.push(writes.add(tx.signals.insert(executionId, { kind: 'continue' }).then((signalId) => transitionJob(executionId, signalId))));
        break;
      }
      default: {
        const never: never = c;
        throw new Error(`unknown command ${JSON.stringify(never)}`);
      }
    }
  }
  // A token task that ended any other way (its answer arrived, or the call failed) is done: its token too.
  for (const [taskId, t] of Object.entries(before.tasks)) {
    if (after.tasks[taskId]) continue;
    if (hasToken(t)) {
      writes.add(tx.tokens.close(executionId, taskId, 'completed'));
    }
  }
  if (earliestTimer !== undefined) writes.add(tx.notify(CHANNELS.timers, String(earliestTimer)));
  for (const arn of new Set(activityArns)) writes.add(tx.notify(CHANNELS.activities, arn));
  await writes.done();
  return Promise.all(dispatch);
}

/**
 * When an activity task scheduled in this step times out if no poller takes it: its earliest timeout or heartbeat
 * timer (both run from the scheduling); none, never.
 */
function expiry(after: ExecutionDoc, taskId: string): { expiresAt?: number } {
  let at: number | undefined;
  for (const t of Object.values(after.timers)) {
    if (t.taskId !== taskId || (t.purpose !== 'taskTimeout' && t.purpose !== 'heartbeat') || t.fireAt === undefined) continue;
    at = Math.min(at ?? Infinity, t.fireAt);
  }
  return at === undefined ? {} : { expiresAt: at };
}

/** An activity task or a `.waitForTaskToken` task: its token is closed when the task ends. */
function hasToken(t: ExecutionDoc['tasks'][string]): boolean {
  return t.family === 'activity' || parseResource(t.resource).pattern === 'waitForTaskToken';
}

/** What a step writes when all of it fits in `ExecutionRepo.commitStep`'s one statement. */
export interface OneStatementPlan {
  tasks: { request: ScheduleTaskCommand; claimedBy?: { owner: string; leaseUntil: Date } }[];
  continueSignal: boolean;
  finish: boolean;
  /** The jobs to enqueue once it committed (the `continue` signal's id comes back from the statement). */
  dispatch(continueSignalId: string | undefined): Dispatch[];
}

/**
 * The step's commands as one statement's parts, or undefined when one of them needs the general path
 * (`applyCommands` in a transaction): activity tasks and timers (they notify their listeners), task tokens, Map
 * Runs, cancelled tasks, and a token or activity task that ended (its token is closed). What the hot paths write —
 * Lambda and service tasks, `continue`, the end of an execution — fits. Eager claims are taken only once the plan
 * is known to fit.
 */
export function oneStatementPlan(
  executionId: string, before: ExecutionDoc, after: ExecutionDoc, commands: readonly Command[], eager?: EagerClaim,
): OneStatementPlan | undefined {
  let finish = false;
  for (const c of commands) {
    if (c.kind === 'finish') finish = true;
    else if (c.kind === 'continue') continue;
    else if (c.kind !== 'scheduleTask' || c.family === 'activity' || c.taskToken !== undefined) return undefined;
  }
  if (!finish) {
    for (const [taskId, t] of Object.entries(before.tasks)) {
      if (!after.tasks[taskId] && hasToken(t)) return undefined;
    }
  }
  const tasks: OneStatementPlan['tasks'] = [];
  const jobs: Dispatch[] = [];
  let continueSignal = false;
  for (const c of commands) {
    if (c.kind === 'continue') continueSignal = true;
    else if (c.kind === 'scheduleTask') {
      if (eager?.take(c)) tasks.push({ request: c, claimedBy: { owner: eager.owner, leaseUntil: eager.leaseUntil } });
      else {
        tasks.push({ request: c });
        jobs.push(taskJob(executionId, c.taskId, 0));
      }
    }
  }
  return {
    tasks, continueSignal, finish,
    dispatch: (continueSignalId) => (continueSignalId !== undefined ? [...jobs, transitionJob(executionId, continueSignalId)] : jobs),
  };
}
