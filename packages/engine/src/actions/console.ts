/**
 * The operations Baton's REST surface offers beyond the Step Functions API (`ConsoleBackend` of
 * @baton/api-contract): history by event id, the tasks of an execution waiting for an answer from outside, answering
 * one of them by its task id, and a bounded search of a machine's executions.
 *
 * Answering by task id exists because task tokens are kept only as SHA-256 hashes and an activity's token is
 * minted only when GetActivityTask hands the task out: nobody can look a token up. It gives the guarantees of
 * SendTaskSuccess / SendTaskFailure (./task-callbacks.ts) in one transaction: an activity task not yet handed
 * out is removed (no poller gets it afterwards), the open tokens of the task are used up (a worker that holds one
 * gets TaskDoesNotExist), and the outcome is recorded as signals. A task already answered, timed out or ended is
 * TaskDoesNotExist / TaskTimedOut, exactly as its token would be.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import { parseResource, type ExecutionDoc, type Json, type Signal } from '@baton/asl';
import { toApiEvent } from '../history-shape.js';
import { transitionJob } from '../job-ids.js';
import type { ExecutionSearchQuery } from '../ports.js';
import type { Runtime } from '../runtime.js';

/** The worker name an activity answered from the console records in ActivityStarted. */
export const CONSOLE_WORKER_NAME = 'baton-console';

export class ConsoleActions {
  constructor(private readonly rt: Runtime) {}

  async getExecutionEvents(input: api.GetExecutionEventsInput): Promise<api.GetExecutionEventsOutput> {
    const e = await this.summary(input.executionArn);
    const limit = Math.min(Math.max(1, input.maxResults), 1000);
    const [events, lastEventId] = await Promise.all([
      this.rt.store.history.range(e.id, Math.max(1, input.fromEventId), limit),
      this.rt.store.history.lastEventId(e.id),
    ]);
    const include = input.includeExecutionData !== false;
    return { events: events.map((ev) => toApiEvent(ev, include)), lastEventId };
  }

  async listWaitingTasks(input: api.ListWaitingTasksInput): Promise<api.ListWaitingTasksOutput> {
    const e = await this.record(input.executionArn);
    if (e.status !== 'RUNNING') return { tasks: [] };
    const tasks: api.WaitingTask[] = [];
    for (const [taskId, t] of Object.entries(e.doc.tasks)) {
      const kind = waitingKind(t);
      if (!kind) continue;
      const run = e.doc.runs[t.runId];
      const started = run?.phase.kind === 'task' && run.phase.taskId === taskId && run.phase.started;
      tasks.push({ taskId, stateName: t.stateName, resource: t.resource, kind, started, path: pathOf(e.doc, t.runId) });
    }
    return { tasks };
  }

  async completeWaitingTask(input: api.CompleteWaitingTaskInput): Promise<api.CompleteWaitingTaskOutput> {
    const e = await this.record(input.executionArn);
    const task = e.doc.tasks[input.taskId];
    const kind = task && waitingKind(task);
    if (e.status !== 'RUNNING' && task) throw new ApiError('TaskTimedOut', "Task Timed Out: 'The execution has ended'");
    if (!kind) throw new ApiError('TaskDoesNotExist', `Task Does Not Exist: 'No task ${input.taskId} of this execution waits for an answer'`);
    const outcome = outcomeSignal(input.taskId, input.outcome);
    const dispatch = await this.rt.store.transaction(async (tx) => {
      const signals: Signal[] = [];
      // Not handed out yet: nobody will get it now, and the console is the worker that started it.
      const removed = kind === 'activity' && (await tx.activities.removeTask(e.id, input.taskId));
      if (removed) signals.push({ kind: 'taskStarted', taskId: input.taskId, workerName: CONSOLE_WORKER_NAME });
      const used = await tx.tokens.completeOpen(e.id, input.taskId);
      if (!removed && used === 0) {
        const statuses = await tx.tokens.statuses(e.id, input.taskId);
        if (statuses.includes('timedOut')) throw new ApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
        throw new ApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist anymore'");
      }
      if (kind === 'callback') {
        // The answer may overtake the call itself, as with SendTaskSuccess: record the start and drop the call.
        const row = await tx.tasks.get(e.id, input.taskId);
        if (row && !row.started) signals.push({ kind: 'taskStarted', taskId: input.taskId });
        if (row) await tx.tasks.delete(e.id, input.taskId);
      }
      signals.push(outcome);
      let last = '';
      for (const s of signals) last = await tx.signals.insert(e.id, s);
      return [transitionJob(e.id, last)];
    });
    await this.rt.dispatch(dispatch);
    return {};
  }

  async searchExecutions(input: api.SearchExecutionsInput): Promise<api.SearchExecutionsOutput> {
    api.parseStateMachineArn(input.stateMachineArn);
    const sm = await this.rt.store.stateMachines.get(input.stateMachineArn);
    if (!sm) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const query: ExecutionSearchQuery = {
      stateMachineArn: sm.arn,
      ...(input.statusFilter ? { status: input.statusFilter } : {}),
      ...(input.nameContains ? { nameContains: input.nameContains } : {}),
      ...(input.errorContains ? { errorContains: input.errorContains } : {}),
      ...(input.startedAfter ? { startedAfter: input.startedAfter } : {}),
      ...(input.startedBefore ? { startedBefore: input.startedBefore } : {}),
      ...(input.input ? { input: input.input } : {}),
      ...(input.cursor ? { after: readCursor(input.cursor) } : {}),
    };
    const pageSize = input.maxResults === undefined || input.maxResults <= 0 ? 100 : Math.min(input.maxResults, 1000);
    const found = await this.rt.store.executions.search(query, { pageSize, scanLimit: this.rt.options.searchScanLimit });
    return {
      executions: found.rows.map((r) => ({
        executionArn: r.arn, stateMachineArn: r.stateMachineArn, name: r.name, status: r.status, startDate: r.startDate,
        ...(r.stopDate ? { stopDate: r.stopDate } : {}), ...(r.error !== null ? { error: r.error } : {}),
      })),
      ...(found.next ? { nextCursor: writeCursor(found.next) } : {}),
      scanned: found.scanned,
    };
  }

  private async summary(arn: string) {
    api.parseExecutionArn(arn);
    const e = await this.rt.store.executions.getSummaryByArn(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  private async record(arn: string) {
    api.parseExecutionArn(arn);
    const e = await this.rt.store.executions.getByArn(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }
}

/** Only tasks answered from outside can be answered here: activities and `.waitForTaskToken` calls. */
function waitingKind(t: ExecutionDoc['tasks'][string]): api.WaitingTask['kind'] | undefined {
  if (t.family === 'activity') return 'activity';
  return parseResource(t.resource).pattern === 'waitForTaskToken' ? 'callback' : undefined;
}

/** The Map iterations and Parallel branches around a run, outermost first. */
function pathOf(doc: ExecutionDoc, runId: string): api.WaitingTask['path'] {
  const path: api.WaitingTask['path'] = [];
  for (let run = doc.runs[runId]; run?.parent; run = doc.runs[run.parent.runId]) {
    const parent = doc.runs[run.parent.runId];
    if (parent?.state !== undefined) path.unshift({ stateName: parent.state, index: run.parent.index });
  }
  return path;
}

function outcomeSignal(taskId: string, outcome: api.TaskOutcome): Signal {
  switch (outcome.kind) {
    case 'success': {
      let output: Json;
      try {
        output = JSON.parse(outcome.output) as Json;
      } catch {
        throw new ApiError('InvalidOutput', `Invalid Output: '${outcome.output}'`);
      }
      return { kind: 'taskSucceeded', taskId, output };
    }
    case 'failure':
      return { kind: 'taskFailed', taskId, error: outcome.error ?? '', ...(outcome.cause !== undefined ? { cause: outcome.cause } : {}) };
    default: {
      const never: never = outcome;
      throw new Error(`unknown outcome ${JSON.stringify(never)}`);
    }
  }
}

/** A search cursor names the last execution examined; it is a position, not a secret, so it is not signed. */
function writeCursor(at: { startDate: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: at.startDate.toISOString(), i: at.id })).toString('base64url');
}

function readCursor(cursor: string): { startDate: Date; id: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { t?: unknown; i?: unknown };
    const startDate = new Date(String(v.t));
    if (typeof v.t === 'string' && typeof v.i === 'string' && /^\d{1,19}$/.test(v.i) && !Number.isNaN(startDate.getTime())) {
      return { startDate, id: v.i };
    }
  } catch {
    // falls through to the error below
  }
  throw new ApiError('ValidationException', 'The search cursor is not valid: pass back the nextCursor of a previous search.');
}
