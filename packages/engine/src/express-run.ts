/**
 * StartSyncExecution (EXPRESS): the execution runs in this process, in memory, against the wall clock, and the
 * call answers with its result. Nothing is persisted (AWS keeps no history for Express executions either).
 * Tasks go to the invoker; `.sync` polls wait in-process; activities and callbacks are refused by validation.
 */
import type { ExecutionDoc, HistoryEvent, ScheduleTaskCommand, Signal } from '@baton/asl';
import type { ProgramSource } from './evaluation/evaluator.js';
import { safeStep } from './evaluation/safe-step.js';
import type { TaskRequest, TaskResult } from './ports.js';
import type { Runtime } from './runtime.js';
import { boundTaskResult } from './task-result-depth.js';

export interface ExpressRunOptions {
  signal?: AbortSignal;
  /** Receives each step's history events (execution logs are the only history an Express execution has). */
  onEvents?: (events: readonly HistoryEvent[]) => void;
  /** The execution's trace context: task calls carry it (observability/execution-spans.ts). */
  traceparent?: string;
}

export async function runExpress(rt: Runtime, program: ProgramSource, doc: ExecutionDoc, o: ExpressRunOptions = {}): Promise<ExecutionDoc> {
  const { signal } = o;
  const inbox: Signal[][] = [[{ kind: 'start', input: doc.input }]];
  const timers = new Map<string, NodeJS.Timeout>();
  const calls = new Map<string, AbortController>();
  let notify: (() => void) | undefined;
  const push = (signals: Signal[]): void => {
    inbox.push(signals);
    notify?.();
  };
  try {
    while (doc.status === 'RUNNING') {
      const signals = inbox.shift();
      if (!signals) {
        if (signal?.aborted) throw new Error('StartSyncExecution aborted');
        await new Promise<void>((resolve) => (notify = resolve));
        notify = undefined;
        continue;
      }
      const now = rt.clock.now();
      const result = await safeStep(rt.evaluator, {
        program, doc, signals, now, maxTransitions: rt.options.maxTransitionsPerStep, limits: rt.options.limits,
      });
      // The timers that fired, as spans of the execution's trace (observability/execution-spans.ts).
      if (o.traceparent !== undefined) {
        rt.executionSpans.timersFired({ arn: doc.context.executionArn, stateMachineArn: doc.context.stateMachineArn, traceContext: o.traceparent }, signals, doc, now);
      }
      doc = result.doc;
      o.onEvents?.(result.events);
      for (const c of result.commands) {
        switch (c.kind) {
          case 'startTimer':
            timers.set(c.timerId, armTimer(rt.clock, c.fireAt, (firedAt) => push([{ kind: 'timerFired', timerId: c.timerId, firedAt }]), (t) => timers.set(c.timerId, t)));
            break;
          case 'cancelTimer':
            clearTimeout(timers.get(c.timerId));
            timers.delete(c.timerId);
            break;
          case 'scheduleTask': {
            const abort = new AbortController();
            calls.set(c.taskId, abort);
            void invokeUntilDone(rt, doc, c, abort.signal, o.traceparent).then((s) => push(s));
            break;
          }
          case 'cancelTask':
            calls.get(c.taskId)?.abort();
            calls.delete(c.taskId);
            break;
          case 'continue':
            push([{ kind: 'continue' }]);
            break;
          case 'startMapRun':
            // Validation refuses a Distributed Map in an EXPRESS machine; should one get here, it fails rather than hangs.
            if (!c.failed) push([{ kind: 'mapRunEnded', mapRunArn: c.mapRunArn, status: 'FAILED', error: 'States.Runtime', cause: 'A Distributed Map cannot run in an Express execution' }]);
            break;
          case 'stopMapRun':
          case 'redriveMapRun': // EXPRESS executions are never redriven
          case 'finish':
            break;
          default: {
            const never: never = c;
            throw new Error(`unknown command ${JSON.stringify(never)}`);
          }
        }
      }
    }
    return doc;
  } finally {
    for (const t of timers.values()) clearTimeout(t);
    for (const c of calls.values()) c.abort();
  }
}

async function invokeUntilDone(rt: Runtime, doc: ExecutionDoc, c: ScheduleTaskCommand, signal: AbortSignal, traceparent: string | undefined): Promise<Signal[]> {
  const started: Signal = { kind: 'taskStarted', taskId: c.taskId };
  if (c.family === 'activity' || !rt.invoker) {
    return [started, { kind: 'taskFailed', taskId: c.taskId, error: 'States.TaskFailed', cause: `Resource ${c.resource} cannot run in an Express execution here.` }];
  }
  const request: TaskRequest = {
    executionArn: doc.context.executionArn, stateMachineArn: doc.context.stateMachineArn, stateName: c.stateName, taskId: c.taskId,
    resource: c.resource, pattern: c.pattern, parameters: c.parameters, attempt: c.attempt, region: doc.context.region ?? rt.options.region,
    ...(c.credentials !== undefined ? { credentials: c.credentials } : {}),
    ...(c.timeoutSeconds !== undefined ? { timeoutSeconds: c.timeoutSeconds } : {}),
    ...(c.heartbeatSeconds !== undefined ? { heartbeatSeconds: c.heartbeatSeconds } : {}),
    ...(traceparent !== undefined ? { traceparent } : {}),
  };
  for (let count = 0; ; count++) {
    let r: TaskResult;
    try {
      r = boundTaskResult(await rt.invoker.invoke(request, signal));
    } catch (e) {
      r = { kind: 'failed', error: 'States.TaskFailed', cause: e instanceof Error ? e.message : String(e) };
    }
    switch (r.kind) {
      case 'succeeded':
        return [started, { kind: 'taskSucceeded', taskId: c.taskId, output: r.output }];
      case 'failed':
        return [started, { kind: 'taskFailed', taskId: c.taskId, error: r.error, ...(r.cause !== undefined ? { cause: r.cause } : {}) }];
      case 'submitted':
        return [started, { kind: 'taskFailed', taskId: c.taskId, error: 'States.TaskFailed', cause: 'Callbacks are not supported in Express executions.' }];
      case 'poll':
        await new Promise((resolve) => setTimeout(resolve, r.afterMs));
        request.poll = { state: r.state, count: count + 1 };
        break;
      default: {
        const never: never = r;
        throw new Error(`unknown task result ${JSON.stringify(never)}`);
      }
    }
  }
}

/**
 * A Wait of an Express execution, in this process: never fired before its time. Node's timers can fire a
 * millisecond before the wall clock reaches the deadline (they run on a monotonic clock, rounded), so an early
 * firing is armed once more for the rest (once only: a clock that does not move, in tests, still fires).
 */
function armTimer(clock: { now(): number }, fireAt: number, fire: (firedAt: number) => void, rearmed: (t: NodeJS.Timeout) => void): NodeJS.Timeout {
  return setTimeout(() => {
    const now = clock.now();
    if (now >= fireAt) return fire(now);
    rearmed(setTimeout(() => fire(Math.max(fireAt, clock.now())), fireAt - now));
  }, Math.max(0, fireAt - clock.now()));
}
