/**
 * Step Functions' CloudWatch metric set, per state machine (names in @baton/observability's metrics.ts):
 * executions started / closed by status with their time, and the three task families (Activity*,
 * LambdaFunction*, Task* history events: scheduled, started, succeeded, failed, timed out, with schedule time,
 * run time and total time). Task metrics are read from the history events a transition committed, so they count
 * what the history says happened, once, whichever worker committed it. A closing event's times need its
 * Scheduled/Started events: found by following `previousEventId` (which points at the run's previous event: a
 * task's run emits nothing else while the task is open), in the same step or by primary key in the store, after
 * the commit and off the transition's path. The Scheduled and Started events this process committed lately are kept
 * (a bounded map, oldest out first): with eager tasks the worker that commits a task's outcome is the one that
 * committed its Scheduled event, so the walk back rarely reads the store (it did, once per Task, before).
 */
import { parseStateMachineArn } from '@baton/api-contract';
import type { ExecutionStatus, HistoryEvent } from '@baton/asl';
import {
  BatonMetricNames, batonMeter, isRecordingMeter, MetricLabels, StepFunctionsInstruments, type Counter, type TaskCount, type TaskFamily,
} from '@baton/observability';
import { ensureError, type Logger } from './logger.js';
import type { EngineStore } from './ports.js';

const FAMILIES: readonly (readonly [prefix: string, family: TaskFamily])[] = [
  ['Activity', 'activity'], ['LambdaFunction', 'lambda'], ['Task', 'service'],
];
type What = 'Scheduled' | 'Started' | 'Succeeded' | 'Failed' | 'TimedOut' | 'StartFailed' | 'ScheduleFailed' | 'SubmitFailed';
const WHATS = new Set<string>(['Scheduled', 'Started', 'Succeeded', 'Failed', 'TimedOut', 'StartFailed', 'ScheduleFailed', 'SubmitFailed']);

const CLOSED: Readonly<Partial<Record<ExecutionStatus, 'succeeded' | 'failed' | 'aborted' | 'timed_out'>>> = {
  SUCCEEDED: 'succeeded', FAILED: 'failed', ABORTED: 'aborted', TIMED_OUT: 'timed_out',
};

/** How many recent Scheduled/Started events a process keeps for the walk back (a few hundred bytes each). */
const OPENED_KEPT = 10_000;
/** How many series groups a process remembers having created at 0 (past it, it forgets them all and starts again). */
const ZEROED_KEPT = 10_000;

export class ExecutionMetrics {
  private readonly meter = batonMeter();
  /** Without a metrics SDK every instrument is a no-op: then the task events' look-ups are skipped too. */
  private readonly recording = isRecordingMeter(this.meter);
  private readonly instruments = new StepFunctionsInstruments(this.meter);
  private readonly reconciler: Counter = this.meter.createCounter(BatonMetricNames.ReconcilerActions, {
    description: 'What the reconciler did: work re-enqueued (requeued), tasks of lost workers failed (worker_lost)',
  });

  /** Recent task Scheduled/Started events committed here, by `${executionId}/${eventId}` (insertion order: oldest first). */
  private readonly opened = new Map<string, HistoryEvent>();
  /**
   * The machines and task resources whose series this process has already created at 0. Creating them again is
   * harmless but not free (each `add` hashes its labels): it was done at every start and every scheduled task.
   */
  private readonly zeroed = new Set<string>();

  constructor(private readonly store: EngineStore, private readonly log: Logger) {
    // Series exist from the start (at 0): rate() and alerts see the first action.
    for (const action of ['requeued', 'worker_lost']) this.reconciler.add(0, { [MetricLabels.Action]: action });
  }

  /** Executions started (StartExecution; a Map Run's child executions, which close under the same machine). */
  executionStarted(stateMachineArn: string, count = 1): void {
    const machine = machineName(stateMachineArn);
    const labels = StepFunctionsInstruments.machine(machine);
    const e = this.instruments.executions;
    e.started.add(count, labels);
    // Every series of the machine exists from its first start (at 0), so that increase() and alerts such as
    // "failed > 0" see the first failure; Baton has no state-transition quota (ExecutionThrottled's cause), so `throttled` stays at 0.
    if (this.firstTime(`machine\0${machine}`)) for (const c of [e.succeeded, e.failed, e.aborted, e.timed_out, e.throttled]) c.add(0, labels);
  }

  /** After a transition committed: an execution that closed, and the task events it appended. */
  stepCommitted(
    exec: { id: string; stateMachineArn: string; status: ExecutionStatus; startDate: Date },
    status: ExecutionStatus, events: readonly HistoryEvent[], nowMs: number,
  ): void {
    const machine = machineName(exec.stateMachineArn);
    const closed = exec.status === 'RUNNING' ? CLOSED[status] : undefined;
    if (closed) {
      const labels = StepFunctionsInstruments.machine(machine);
      this.instruments.executions[closed].add(1, labels);
      this.instruments.executionTime.record(Math.max(0, nowMs - exec.startDate.getTime()) / 1000, { ...labels, status });
    }
    if (!this.recording) return;
    const taskEvents = events.filter((e) => familyOf(e.type) !== undefined);
    if (taskEvents.length === 0) return;
    for (const e of taskEvents) {
      const what = familyOf(e.type)![1];
      if (what === 'Scheduled' || what === 'Started') this.remember(exec.id, e);
    }
    this.observeTasks(exec.id, machine, events, taskEvents).catch((e) =>
      this.log.warn('task metrics not recorded', { executionId: exec.id, error: ensureError(e).message }));
  }

  reconciled(requeued: number, lost: number): void {
    if (requeued > 0) this.reconciler.add(requeued, { [MetricLabels.Action]: 'requeued' });
    if (lost > 0) this.reconciler.add(lost, { [MetricLabels.Action]: 'worker_lost' });
  }

  /** True the first time this process sees `key` (and again after it forgot them all). */
  private firstTime(key: string): boolean {
    if (this.zeroed.has(key)) return false;
    if (this.zeroed.size >= ZEROED_KEPT) this.zeroed.clear();
    this.zeroed.add(key);
    return true;
  }

  private remember(executionId: string, e: HistoryEvent): void {
    this.opened.set(`${executionId}/${e.id}`, e);
    if (this.opened.size > OPENED_KEPT) this.opened.delete(this.opened.keys().next().value!);
  }

  private async observeTasks(executionId: string, machine: string, batch: readonly HistoryEvent[], taskEvents: readonly HistoryEvent[]): Promise<void> {
    const known = new Map(batch.map((e) => [e.id, e]));
    const get = async (id: number): Promise<HistoryEvent | undefined> => {
      const found = known.get(id) ?? this.opened.get(`${executionId}/${id}`);
      if (found) return found;
      const [e] = await this.store.history.range(executionId, id, 1);
      if (e && e.id === id) known.set(id, e);
      return e?.id === id ? e : undefined;
    };
    for (const e of taskEvents) {
      const [family, what] = familyOf(e.type)!;
      // Walk back to this task's Started and Scheduled events (Submitted lies between Started and the close).
      let started: HistoryEvent | undefined;
      let scheduled: HistoryEvent | undefined = what === 'Scheduled' ? e : undefined;
      for (let prev = e.previousEventId, hops = 0; scheduled === undefined && prev > 0 && hops < 3; hops++) {
        const p = await get(prev);
        if (!p) break;
        if (p.type.endsWith('Scheduled')) scheduled = p;
        else if (p.type.endsWith('Started') && !p.type.endsWith('StateStarted')) started = p;
        prev = p.previousEventId;
      }
      const resource = resourceOf(family, e) ?? (scheduled ? resourceOf(family, scheduled) : undefined);
      const labels = StepFunctionsInstruments.machine(machine, resource !== undefined ? { [MetricLabels.Resource]: resource } : undefined);
      const m = this.instruments.tasks[family];
      const count = countOf(what, e);
      // A resource's series all exist from its first task (at 0), so that its first failure is an increase.
      if (count === 'scheduled' && this.firstTime(`${family}\0${machine}\0${resource ?? ''}`)) for (const c of Object.values(m.counts)) c.add(0, labels);
      m.counts[count].add(1, labels);
      const seconds = (from: HistoryEvent) => Math.max(0, e.timestamp - from.timestamp) / 1000;
      if (what === 'Started' && scheduled) m.times.schedule_time.record(seconds(scheduled), labels);
      if (count === 'succeeded' || count === 'failed' || count === 'timed_out' || count === 'heartbeat_timed_out') {
        if (started) m.times.run_time.record(seconds(started), labels);
        if (scheduled) m.times.time.record(seconds(scheduled), labels);
      }
      if (count !== 'scheduled' && count !== 'started') {
        // The task is closed: nothing will walk back to its events again.
        if (started) this.opened.delete(`${executionId}/${started.id}`);
        if (scheduled) this.opened.delete(`${executionId}/${scheduled.id}`);
      }
    }
  }
}

function machineName(stateMachineArn: string): string {
  try {
    return parseStateMachineArn(stateMachineArn).name;
  } catch {
    return stateMachineArn;
  }
}

function familyOf(type: string): [TaskFamily, What] | undefined {
  for (const [prefix, family] of FAMILIES) {
    if (type.startsWith(prefix)) {
      const what = type.slice(prefix.length);
      return WHATS.has(what) ? [family, what as What] : undefined;
    }
  }
  return undefined;
}

function countOf(what: What, e: HistoryEvent): TaskCount {
  switch (what) {
    case 'Scheduled': return 'scheduled';
    case 'Started': return 'started';
    case 'Succeeded': return 'succeeded';
    case 'TimedOut': return details(e)?.error === 'States.HeartbeatTimeout' ? 'heartbeat_timed_out' : 'timed_out';
    case 'Failed': case 'StartFailed': case 'ScheduleFailed': case 'SubmitFailed': return 'failed';
    default: {
      const never: never = what;
      throw new Error(`unknown task event ${String(never)}`);
    }
  }
}

function details(e: HistoryEvent): Record<string, unknown> | undefined {
  return e[`${e.type.charAt(0).toLowerCase()}${e.type.slice(1)}EventDetails`] as Record<string, unknown> | undefined;
}

/** The resource ARN an event names: Activity/LambdaFunction Scheduled carry it; every Task* event its type and name. */
function resourceOf(family: TaskFamily, e: HistoryEvent): string | undefined {
  const d = details(e);
  if (!d) return undefined;
  if (family === 'service') {
    return typeof d.resourceType === 'string' && typeof d.resource === 'string' ? `arn:aws:states:::${d.resourceType}:${d.resource}` : undefined;
  }
  return typeof d.resource === 'string' ? d.resource : undefined;
}
