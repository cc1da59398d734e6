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

export const pollTimerId = (taskId: string): string => `poll-${taskId}`;

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
  const dispatch: Dispatch[] = [];
  let earliestTimer: number | undefined;
  let activityArns: string[] = [];
  for (const c of commands) {
    switch (c.kind) {
      case 'scheduleTask':
        if (c.taskToken !== undefined) await tx.tokens.insert(hashToken(c.taskToken), executionId, c.taskId);
        if (c.family === 'activity') {
          await tx.activities.insertTask({ executionId, taskId: c.taskId, activityArn: c.resource, input: JSON.stringify(c.parameters) });
          activityArns.push(c.resource);
        } else if (eager?.take(c)) {
          await tx.tasks.insert(executionId, c, { owner: eager.owner, leaseUntil: eager.leaseUntil });
        } else {
          await tx.tasks.insert(executionId, c);
          dispatch.push(taskJob(executionId, c.taskId, 0));
        }
        break;
      case 'cancelTask':
        await tx.tasks.delete(executionId, c.taskId);
        await tx.activities.deleteTask(executionId, c.taskId);
        await tx.timers.delete(executionId, pollTimerId(c.taskId));
        await tx.tokens.close(executionId, c.taskId, 'timedOut');
        break;
      case 'startTimer':
        await tx.timers.upsert({
          executionId, timerId: c.timerId, fireAt: new Date(c.fireAt), purpose: c.purpose,
          taskId: after.timers[c.timerId]?.taskId ?? null,
        });
        earliestTimer = Math.min(earliestTimer ?? Infinity, c.fireAt);
        break;
      case 'cancelTimer':
        await tx.timers.delete(executionId, c.timerId);
        break;
      case 'finish':
        await tx.tasks.deleteAll(executionId);
        await tx.timers.deleteAll(executionId);
        await tx.activities.deleteTasks(executionId);
        await tx.tokens.close(executionId, undefined, 'timedOut');
        activityArns = [];
        break;
      case 'startMapRun':
        dispatch.push(...(await startMapRun(tx, executionId, after, c, new Date(), traceContext ?? undefined)));
        break;
      case 'stopMapRun':
        dispatch.push(...(await stopMapRun(tx, c.mapRunArn)));
        break;
      case 'redriveMapRun':
        dispatch.push(...(await redriveMapRun(tx, c.mapRunArn, c.redriveCount, new Date())));
        break;
      case 'continue': {
        const signalId = await tx.signals.insert(executionId, { kind: 'continue' });
        dispatch.push(transitionJob(executionId, signalId));
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
    if (t.family === 'activity' || parseResource(t.resource).pattern === 'waitForTaskToken') {
      await tx.tokens.close(executionId, taskId, 'completed');
    }
  }
  if (earliestTimer !== undefined) await tx.notify(CHANNELS.timers, String(earliestTimer));
  for (const arn of new Set(activityArns)) await tx.notify(CHANNELS.activities, arn);
  return dispatch;
}
