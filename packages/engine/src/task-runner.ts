/**
 * Runs one task job: claim the task row (scheduled -> running, under a lease renewed while the call lasts), call
 * the invoker OUTSIDE any transaction, then record the outcome as signals in one transaction that also releases
 * the claim. A claim lost meanwhile (cancelled, or declared lost by the reconciler) discards the outcome.
 * `taskStarted` travels with the first outcome. `.sync` polls park the task behind a durable `poll` timer.
 * Eager execution (eager-tasks.ts) uses `call` on a task its commit inserted claimed, and `recordSurely` as its fallback.
 */
import type { Signal } from '@baton/asl';
import { context, formatTraceparent, ROOT_CONTEXT, spanIds, trace } from '@baton/observability';
import { executionContext } from './observability/execution-spans.js';
import { pollTimerId } from './apply-commands.js';
import { taskJob, transitionJob, type Dispatch } from './job-ids.js';
import { ensureError } from './logger.js';
import { CHANNELS, type ExecutionRecord, type TaskRecord, type TaskRequest, type TaskResult } from './ports.js';
import type { Runtime } from './runtime.js';
import { boundTaskResult } from './task-result-depth.js';

/** Pauses between tries to record an outcome after a database error (within the default lease of 30 s). */
const RECORD_RETRY_MS = [100, 500, 2_000, 5_000];

export class TaskRunner {
  private readonly inFlight = new Map<string, AbortController>();
  private stopping = false;

  constructor(private readonly rt: Runtime) {}

  async run(executionId: string, taskId: string): Promise<void> {
    const { store, clock, options } = this.rt;
    if (this.stopping) throw new Error('worker is shutting down');
    const owner = options.workerId;
    const task = await store.tasks.claim(executionId, taskId, owner, new Date(clock.now() + options.taskLeaseMs));
    if (!task) return;
    const exec = await store.executions.get(executionId);
    if (!exec || exec.status !== 'RUNNING') {
      await store.tasks.complete(executionId, taskId, owner);
      return;
    }
    const result = await this.call(task, exec);
    if (result) await this.recordSurely(task, result);
  }

  /**
   * `record`, tried again after a database error (a connection refused, a statement cancelled) while the lease is
   * kept: a worker that is alive should not have its task failed as lost for a moment's outage. `record` is guarded
   * by the claim, so an outcome already recorded (or committed with a transition) is not recorded twice. The last
   * error is thrown: the lease then runs out, as for a lost worker.
   */
  async recordSurely(task: TaskRecord, result: TaskResult): Promise<void> {
    const stopRenewing = this.keepLease(task);
    try {
      for (let i = 0; ; i++) {
        try {
          return await this.record(task, result);
        } catch (e) {
          if (i >= RECORD_RETRY_MS.length) throw e;
          this.rt.log.warn('task outcome not recorded; trying again', { executionId: task.executionId, taskId: task.taskId, error: ensureError(e).message });
          await new Promise((r) => setTimeout(r, RECORD_RETRY_MS[i]));
        }
      }
    } finally {
      stopRenewing();
    }
  }

  /**
   * Calls a task this worker holds the claim of (claimed above, or inserted claimed by an eager commit), renewing
   * its lease while the call lasts. Undefined when the outcome must be dropped: the claim was lost meanwhile, or
   * the worker is shutting down (the task is then released to other workers).
   */
  async call(task: TaskRecord, exec: Pick<ExecutionRecord, 'arn' | 'stateMachineArn' | 'doc' | 'traceContext'>): Promise<TaskResult | undefined> {
    const { store, options } = this.rt;
    const { executionId, taskId } = task;
    const owner = options.workerId;
    const request: TaskRequest = {
      executionArn: exec.arn, stateMachineArn: exec.stateMachineArn, stateName: task.request.stateName, taskId,
      resource: task.request.resource, pattern: task.request.pattern, parameters: task.request.parameters,
      ...(task.request.taskToken !== undefined ? { taskToken: task.request.taskToken } : {}),
      ...(task.request.credentials !== undefined ? { credentials: task.request.credentials } : {}),
      ...(task.request.timeoutSeconds !== undefined ? { timeoutSeconds: task.request.timeoutSeconds } : {}),
      ...(task.request.heartbeatSeconds !== undefined ? { heartbeatSeconds: task.request.heartbeatSeconds } : {}),
      attempt: task.request.attempt, region: exec.doc.context.region ?? options.region,
      ...(task.pollState !== null ? { poll: { state: task.pollState, count: task.pollCount } } : {}),
    };
    const key = `${executionId}/${taskId}`;
    const abort = new AbortController();
    this.inFlight.set(key, abort);
    let lost = false;
    const stopRenewing = this.keepLease(task, () => {
      lost = true;
      abort.abort(new Error('task claim lost'));
    });
    let result: TaskResult;
    // A child of the execution's root span; integrations send its traceparent so the callee's trace joins.
    const parent = executionContext(exec);
    const span = this.rt.telemetry.startTask(request, parent);
    const ids = spanIds(span);
    if (ids) request.traceparent = formatTraceparent(ids);
    try {
      // never throws: failures are data. The span is active meanwhile (HTTP, AWS SDK instrumentations parent on it).
      result = await context.with(trace.setSpan(parent ?? ROOT_CONTEXT, span), () => this.invoke(request, abort.signal));
    } finally {
      stopRenewing();
      this.inFlight.delete(key);
    }
    this.rt.telemetry.taskEnded(span, result.kind);
    if (lost) return undefined;
    if (this.stopping && abort.signal.aborted) {
      // Hand it back: another worker will run it (a job now; the reconciler if the queue is already closed).
      if (await store.tasks.release(executionId, taskId, owner)) await this.rt.dispatch([taskJob(executionId, taskId, task.pollCount)]);
      return undefined;
    }
    return result;
  }

  /** Renews the claim's lease (every third of it) until the returned function is called; `lost` if it is gone. */
  keepLease(task: TaskRecord, lost: () => void = () => {}): () => void {
    const { store, clock, options } = this.rt;
    const renew = setInterval(() => {
      store.tasks.renewLease(task.executionId, task.taskId, options.workerId, new Date(clock.now() + options.taskLeaseMs)).then(
        (held) => {
          if (!held) lost();
        },
        () => {},
      );
    }, Math.max(50, Math.floor(options.taskLeaseMs / 3)));
    return () => clearInterval(renew);
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Shutdown, at once: running calls are aborted and their tasks released to other workers. */
  stop(): void {
    this.stopping = true;
    for (const c of this.inFlight.values()) c.abort(new Error('worker shutting down'));
  }

  /**
   * Graceful shutdown: no new claim; calls in flight may finish and record their outcome for up to `graceMs`;
   * those still running then are aborted and handed back (`stop()`). Resolves when no call is in flight.
   */
  async drain(graceMs: number): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
    if (this.inFlight.size > 0) this.stop();
  }

  /** Calls running now (tests, logs). */
  get callsInFlight(): number {
    return this.inFlight.size;
  }

  private async invoke(request: TaskRequest, signal: AbortSignal): Promise<TaskResult> {
    const invoker = this.rt.invoker;
    if (!invoker) return { kind: 'failed', error: 'States.TaskFailed', cause: `No task invoker is configured for resource ${request.resource}.` };
    try {
      return boundTaskResult(await invoker.invoke(request, signal));
    } catch (e) {
      // Integrations return failures as data; a throw is a bug there, still a failed attempt here.
      return { kind: 'failed', error: 'States.TaskFailed', cause: ensureError(e).message };
    }
  }

  /** The outcome as signals, the claim released, then a transition job: the path every outcome can take. */
  async record(task: TaskRecord, result: TaskResult): Promise<void> {
    const { store, clock, options } = this.rt;
    const { executionId, taskId } = task;
    const owner = options.workerId;
    const signals: Signal[] = task.started ? [] : [{ kind: 'taskStarted', taskId }];
    const dispatch: Dispatch[] = [];
    await store.transaction(async (tx) => {
      let held: boolean;
      switch (result.kind) {
        case 'succeeded':
          held = await tx.tasks.complete(executionId, taskId, owner);
          signals.push({ kind: 'taskSucceeded', taskId, output: result.output });
          break;
        case 'failed':
          held = await tx.tasks.complete(executionId, taskId, owner);
          signals.push({ kind: 'taskFailed', taskId, error: result.error, ...(result.cause !== undefined ? { cause: result.cause } : {}) });
          break;
        case 'submitted':
          held = await tx.tasks.complete(executionId, taskId, owner);
          if (result.output !== undefined) signals.push({ kind: 'taskSubmitted', taskId, output: result.output });
          break;
        case 'poll': {
          held = await tx.tasks.park(executionId, taskId, owner, result.state);
          if (task.pollCount === 0 && result.output !== undefined) signals.push({ kind: 'taskSubmitted', taskId, output: result.output });
          const fireAt = clock.now() + Math.max(0, result.afterMs);
          await tx.timers.upsert({ executionId, timerId: pollTimerId(taskId), fireAt: new Date(fireAt), purpose: 'poll', taskId });
          await tx.notify(CHANNELS.timers, String(fireAt));
          break;
        }
        default: {
          const never: never = result;
          throw new Error(`unknown task result ${JSON.stringify(never)}`);
        }
      }
      if (!held) throw new ClaimLost();
      let last: string | undefined;
      for (const s of signals) last = await tx.signals.insert(executionId, s);
      if (last !== undefined) dispatch.push(transitionJob(executionId, last));
    }).catch((e) => {
      if (!(e instanceof ClaimLost)) throw e;
    });
    await this.rt.dispatch(dispatch);
  }
}

class ClaimLost extends Error {}
