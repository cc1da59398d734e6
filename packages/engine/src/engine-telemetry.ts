/**
 * The engine's spans and metrics (names in @baton/observability). Instruments are taken when the engine is
 * built, after the app started its SDK; with none started they are the API's no-ops. Attribute sets that
 * repeat (outcomes, result kinds) are built once, so the hot path allocates nothing when telemetry is off.
 */
import {
  batonMeter, batonTracer, MetricNames, SpanNames, TelemetryAttributes as A,
  type Attributes, type Context, type Counter, type Histogram, type Span, type Tracer, type TransitionOutcome,
} from '@baton/observability';
import type { HistoryEvent } from '@baton/asl';
import type { TaskRequest, TaskResult } from './ports.js';

const OUTCOME: Readonly<Record<TransitionOutcome, Attributes>> = {
  committed: { [A.TransitionOutcome]: 'committed' },
  conflict: { [A.TransitionOutcome]: 'conflict' },
  idle: { [A.TransitionOutcome]: 'idle' },
};
const RESULT: Readonly<Record<TaskResult['kind'], Attributes>> = {
  succeeded: { [A.TaskResult]: 'succeeded' },
  failed: { [A.TaskResult]: 'failed' },
  submitted: { [A.TaskResult]: 'submitted' },
  poll: { [A.TaskResult]: 'poll' },
};

export class EngineTelemetry {
  readonly tracer: Tracer = batonTracer();
  private readonly meter = batonMeter();
  private readonly committed: Counter = this.meter.createCounter(MetricNames.TransitionsCommitted, { description: 'Transitions committed' });
  private readonly conflicts: Counter = this.meter.createCounter(MetricNames.TransitionConflicts, { description: 'Transitions that lost the compare-and-set and were retried' });
  private readonly tasks: Counter = this.meter.createCounter(MetricNames.Tasks, { description: 'Task calls by result kind' });
  private readonly timers: Counter = this.meter.createCounter(MetricNames.TimersFired, { description: 'Durable timers fired' });
  private readonly duration: Histogram = this.meter.createHistogram(MetricNames.TransitionDuration, { description: 'One transition attempt, load to commit', unit: 'ms' });

  constructor() {
    this.conflicts.add(0); // exported from the start, so that rate() sees the first conflict
  }

  /** `parent`: the execution's context (observability/execution-spans.ts), once it is loaded. */
  startTransition(parent?: Context, startTime?: number): Span {
    return this.tracer.startSpan(SpanNames.Transition, startTime !== undefined ? { startTime } : {}, parent);
  }

  describeExecution(span: Span, executionArn: string, stateMachineArn: string): void {
    if (!span.isRecording()) return;
    span.setAttribute(A.ExecutionArn, executionArn);
    span.setAttribute(A.StateMachineArn, stateMachineArn);
  }

  /** Ends a `baton.transition` span and records its metrics. */
  transitionEnded(span: Span, outcome: TransitionOutcome, startedMs: number, nowMs: number): void {
    if (span.isRecording()) span.setAttribute(A.TransitionOutcome, outcome);
    span.end();
    if (outcome === 'committed') this.committed.add(1);
    else if (outcome === 'conflict') this.conflicts.add(1);
    this.duration.record(nowMs - startedMs, OUTCOME[outcome]);
  }

  /** What a step did, on its transition span: counts, and the last state it entered. */
  describeStep(span: Span, signals: number, events: readonly HistoryEvent[]): void {
    if (!span.isRecording()) return;
    let entered = 0;
    let last: HistoryEvent | undefined;
    for (const e of events) {
      if (e.type.endsWith('StateEntered')) {
        entered++;
        last = e;
      }
    }
    span.setAttribute(A.TransitionSignals, signals);
    span.setAttribute(A.TransitionEvents, events.length);
    span.setAttribute(A.TransitionStatesEntered, entered);
    const name = (last?.stateEnteredEventDetails as { name?: unknown } | undefined)?.name;
    if (last && typeof name === 'string') {
      span.setAttribute(A.StateName, name);
      span.setAttribute(A.StateType, last.type.slice(0, -'StateEntered'.length));
    }
  }

  /** A `baton.task` span around one invoker call. */
  startTask(request: TaskRequest, parent?: Context): Span {
    const span = this.tracer.startSpan(SpanNames.Task, {}, parent);
    if (span.isRecording()) {
      span.setAttributes({
        [A.ExecutionArn]: request.executionArn,
        [A.StateMachineArn]: request.stateMachineArn,
        [A.StateName]: request.stateName,
        [A.StateType]: 'Task',
        [A.TaskResource]: request.resource,
        [A.TaskPattern]: request.pattern,
        [A.TaskAttempt]: request.attempt,
      });
    }
    return span;
  }

  taskEnded(span: Span, kind: TaskResult['kind']): void {
    if (span.isRecording()) span.setAttribute(A.TaskResult, kind);
    span.end();
    this.tasks.add(1, RESULT[kind]);
  }

  /** A firing batch that claimed timers: one span from its start, and the counter. */
  timersFired(count: number, startedAt: number): void {
    if (count === 0) return;
    this.timers.add(count);
    this.tracer.startSpan(SpanNames.TimerBatch, { startTime: startedAt, attributes: { [A.TimersFired]: count } }).end();
  }
}
