/**
 * Every span name, metric name and attribute key Baton emits, in one place (as BullMQ's
 * `src/enums/telemetry-attributes.ts` does), so dashboards and tests spell them the same way as the code.
 */
export const TelemetryAttributes = {
  ExecutionArn: 'baton.execution.arn',
  StateMachineArn: 'baton.state_machine.arn',
  /** The state the span is about (a task's state; the last state a transition entered). */
  StateName: 'baton.state.name',
  StateType: 'baton.state.type',
  TaskResource: 'baton.task.resource',
  /** `request-response`, `sync`, `sync:2` or `waitForTaskToken`. */
  TaskPattern: 'baton.task.pattern',
  TaskAttempt: 'baton.task.attempt',
  /** The invoker's answer: `succeeded`, `failed`, `submitted` or `poll`. */
  TaskResult: 'baton.task.result',
  /** Signals (task results, timers, starts, stops) one transition consumed. */
  TransitionSignals: 'baton.transition.signals',
  /** History events one transition appended. */
  TransitionEvents: 'baton.transition.events',
  /** States one transition entered (consecutive local states commit together). */
  TransitionStatesEntered: 'baton.transition.states_entered',
  /** `committed`, `conflict` (lost the compare-and-set, retried) or `idle` (nothing pending). */
  TransitionOutcome: 'baton.transition.outcome',
  /** Timers one firing batch claimed. */
  TimersFired: 'baton.timer.fired',
  /** The execution's final status on its root span (SUCCEEDED, FAILED, TIMED_OUT, ABORTED). */
  ExecutionStatus: 'baton.execution.status',
  ExecutionName: 'baton.execution.name',
  /** Error and cause of a failed state or execution. */
  Error: 'baton.error',
  /** Timers a transition consumed, by purpose (`wait`, `retry`, `taskTimeout`, ...), as span events. */
  TimerId: 'baton.timer.id',
  /** A timer span's purpose: `wait`, `retry`, `taskTimeout`, `heartbeat` or `executionTimeout`. */
  TimerPurpose: 'baton.timer.purpose',
  /** How long after its due time a timer fired, in milliseconds. */
  TimerLateMs: 'baton.timer.late_ms',
} as const;

export const SpanNames = {
  /** The execution's root span: from its start to its end, emitted when it ends (tracing.ts, `withSpanIds`). */
  Execution: 'baton.execution',
  Transition: 'baton.transition',
  Task: 'baton.task',
  /** A durable timer that fired (Wait, retry backoff, timeouts, heartbeat): from when it was scheduled to when it fired. */
  Timer: 'baton.timer',
  TimerBatch: 'baton.timer.batch',
} as const;

export const MetricNames = {
  /** Counter: transitions committed. */
  TransitionsCommitted: 'baton.transitions.committed',
  /** Counter: transitions that lost the compare-and-set on the execution's version (retried). */
  TransitionConflicts: 'baton.transitions.conflicts',
  /** Counter: task calls, by `baton.task.result`. */
  Tasks: 'baton.tasks',
  /** Counter: durable timers fired. */
  TimersFired: 'baton.timers.fired',
  /** Histogram (ms): one transition attempt, load to commit, by `baton.transition.outcome`. */
  TransitionDuration: 'baton.transition.duration',
} as const;

export type TransitionOutcome = 'committed' | 'conflict' | 'idle';
