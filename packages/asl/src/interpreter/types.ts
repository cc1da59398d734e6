/**
 * The interpreter's contract (STYLE.md: "commands out"). An execution is one JSON document (`ExecutionDoc`):
 * the engine loads it, calls `step(program, doc, signals, env)`, and commits the returned document, history
 * events and commands in one transaction under a compare-and-set on its version. Nothing here does I/O.
 */
import type { Json } from '../json.js';
import type { StartMapRunCommand } from '../map-run/spec.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** How a Task's resource is invoked, derived from its ARN. */
export type TaskPattern = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';
/** Which family of history events a Task produces: Activity*, LambdaFunction* (legacy function ARN), or Task*. */
export type ResourceFamily = 'activity' | 'lambda' | 'service';

export interface ExecutionContextInfo {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly startTime: string; // ISO-8601, as $$.Execution.StartTime shows it
  readonly redriveCount?: number;
  /** When the execution was last redriven (ISO-8601, `$$.Execution.RedriveTime`). */
  readonly redriveTime?: string;
  readonly region?: string;
  readonly partition?: string;
}

/** One running thread of states: the top level, a Parallel branch, or a Map iteration. */
export interface Run {
  id: string;
  machine: string;
  parent?: { runId: string; index: number };
  lastEventId: number;
  variables: Record<string, Json>;
  /** Current state, or undefined once the run has finished. */
  state?: string;
  phase: RunPhase;
  /** The raw input of the current state (before InputPath). */
  stateInput: Json;
  enteredEventId: number;
  enteredTime: string;
  retryCounts: number[];
  /** A Map iteration not yet begun: its input (ItemSelector) is computed and MapIterationStarted recorded first. */
  mapStart?: boolean;
  /** Runs of a Distributed Map are child executions: their events are not part of this history. */
  silent?: boolean;
  /**
   * A Parallel / Map state whose children failed: where each unsuccessful child resumes on a redrive (redrive.ts).
   * Cleared when the state starts its children again or is left.
   */
  resume?: RedriveJoin;
  /** A Distributed Map state whose Map Run failed: a redrive redrives that Map Run. Cleared as `resume` is. */
  resumeMapRun?: RedriveMapRun;
  finished?: { ok: true; output: Json } | { ok: false; error: string; cause?: string };
}

export type RunPhase =
  | { kind: 'ready' } // about to enter `state`
  | { kind: 'task'; taskId: string; effectiveInput: Json; timers: string[]; started: boolean; heartbeatSeconds?: number }
  | { kind: 'wait'; timerId: string; output: Json; assigned?: Record<string, Json> }
  | { kind: 'retry'; timerId: string }
  | { kind: 'children'; join: JoinState; effectiveInput: Json }
  /** A Distributed Map waiting for its Map Run (child executions run by the engine) to end. */
  | { kind: 'mapRun'; mapRunArn: string; effectiveInput: Json; redriveCount?: number }
  | { kind: 'done' };

/** Parallel / Map join bookkeeping: results in order, how many started, running, failed. */
export interface JoinState {
  type: 'Parallel' | 'Map';
  total: number;
  maxConcurrency: number; // 0 = unlimited
  nextIndex: number;
  running: Record<number, string>; // index -> run id
  results: (Json | null)[];
  succeeded: number;
  failed: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  /** Map items waiting to start (their inputs are computed when the iteration starts). */
  items?: Json[];
  /** Children that failed (a Map may tolerate some): where each resumes if the execution is redriven. */
  failedRuns?: Record<number, RedrivePoint>;
  /** Children a redrive resumes, started before any new index (they count against MaxConcurrency like any). */
  resumeQueue?: Record<number, RedrivePoint>;
}

/**
 * Where a run resumes when its execution is redriven (AWS "Redriving executions": the unsuccessful step runs again
 * with the same input; succeeded steps, Parallel branches and Map iterations are not run again). Recorded when the
 * execution ends unsuccessfully; the state is entered again, with its retry counters at zero.
 */
export interface RedrivePoint {
  machine: string;
  state: string;
  stateInput: Json;
  variables: Record<string, Json>;
  enteredEventId: number;
  /** A Map iteration whose input (ItemSelector) was never computed. */
  mapStart?: boolean;
  /** A Parallel / Map state: only its unsuccessful children run again; the results of the others are kept. */
  children?: RedriveJoin;
  /** A Distributed Map state whose Map Run started: that Map Run is redriven (only its unsuccessful children run). */
  mapRun?: RedriveMapRun;
}

export interface RedriveMapRun {
  mapRunArn: string;
  effectiveInput: Json;
  /** How many times this Map Run was redriven so far (MapRunRedriven and DescribeMapRun show the next count). */
  redriveCount: number;
}

export interface RedriveJoin {
  /** The join as it stood, with the succeeded children's results. */
  join: JoinState;
  effectiveInput: Json;
  /** By child index: where each failed or aborted child resumes. */
  pending: Record<number, RedrivePoint>;
}

export interface ExecutionDoc {
  status: ExecutionStatus;
  eventSeq: number;
  seq: number;
  context: ExecutionContextInfo;
  input: Json;
  runs: Record<string, Run>;
  tasks: Record<string, { runId: string; stateName: string; resource: string; family: ResourceFamily }>;
  /**
   * `scheduledAt` (the step's time) and `fireAt`, epoch ms: the host traces each timer that fires from when it was
   * scheduled; absent in documents written before they were recorded.
   */
  timers: Record<string, { runId: string; purpose: TimerPurpose; taskId?: string; scheduledAt?: number; fireAt?: number }>;
  output?: Json;
  error?: string;
  cause?: string;
  /** Set when the execution ended unsuccessfully: where a RedriveExecution resumes it (redrive.ts). */
  redrive?: RedrivePoint;
  /** Why this ended execution cannot be redriven (AWS's redriveStatusReason), when that is known at its end. */
  notRedrivable?: string;
}

export type TimerPurpose = 'wait' | 'retry' | 'taskTimeout' | 'heartbeat' | 'executionTimeout';

export type Signal =
  | { kind: 'start'; input: Json }
  /**
   * `firedAt`: when the host fired it (epoch ms), for its trace. `taskId` and `purpose`, for a task's TimeoutSeconds
   * or heartbeat timer: read by SendTask* while the signal waits (an answer after its task timed out is refused).
   * The interpreter reads neither: it goes by `timerId`.
   */
  | { kind: 'timerFired'; timerId: string; firedAt?: number; taskId?: string; purpose?: 'taskTimeout' | 'heartbeat' }
  | { kind: 'taskStarted'; taskId: string; workerName?: string }
  | { kind: 'taskSubmitted'; taskId: string; output: Json }
  | { kind: 'taskSucceeded'; taskId: string; output: Json }
  | { kind: 'taskFailed'; taskId: string; error: string; cause?: string }
  | { kind: 'taskHeartbeat'; taskId: string }
  | { kind: 'stop'; error?: string; cause?: string }
  | { kind: 'continue' }
  /** The Map Run of a Distributed Map ended; `output` is the state's result (the results, or ResultWriterDetails). */
  /** `location`: the field whose JSONata evaluation failed the Map Run (its ItemSelector), for EvaluationFailed. */
  | { kind: 'mapRunEnded'; mapRunArn: string; status: 'SUCCEEDED' | 'FAILED'; output?: Json; error?: string; cause?: string; location?: string }
  /** RedriveExecution: an execution that ended unsuccessfully resumes from its redrive point (redrive.ts). */
  | { kind: 'redrive'; redriveCount: number }
  /** The host ends the execution as FAILED without running anything (Baton's safety stops, e.g. a poison execution). */
  | { kind: 'fail'; error: string; cause: string };

export interface ScheduleTaskCommand {
  kind: 'scheduleTask';
  taskId: string;
  runId: string;
  stateName: string;
  resource: string;
  family: ResourceFamily;
  pattern: TaskPattern;
  parameters: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  taskToken?: string;
  credentials?: Json;
  attempt: number;
}

export type Command =
  | ScheduleTaskCommand
  | StartMapRunCommand
  | { kind: 'stopMapRun'; mapRunArn: string }
  /** Redrive a Map Run that failed or was aborted: its unsuccessful children run again, unread items are read. */
  | { kind: 'redriveMapRun'; mapRunArn: string; redriveCount: number }
  /** `timedOut`: one of its timers ended it (the engine checks that no answer was accepted for it meanwhile). */
  | { kind: 'cancelTask'; taskId: string; timedOut?: true }
  | { kind: 'startTimer'; timerId: string; runId: string; purpose: TimerPurpose; fireAt: number }
  | { kind: 'cancelTimer'; timerId: string }
  | { kind: 'finish'; status: Exclude<ExecutionStatus, 'RUNNING'>; output?: Json; error?: string; cause?: string }
  | { kind: 'continue' };

/** A history event as AWS's GetExecutionHistory returns it (details keyed as the SDK spells them). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number; // epoch ms; the API renders it
  type: string;
  [details: string]: unknown;
}

export interface StepEnv {
  /** Wall-clock time of this step, epoch milliseconds. */
  now: number;
  random: import('../random.js').RandomSource;
  /** A fresh, unguessable task token. Defaults to one derived from `random` (fine for tests, not for production). */
  newTaskToken?: () => string;
  /** Stop after this many state transitions and ask to be called again with a `continue` signal. */
  maxTransitions?: number;
  limits?: Partial<Limits>;
  /** The host's evaluation budgets (see EvaluationHooks). */
  evaluation?: EvaluationHooks;
  /** The heap the host gives an evaluation, in bytes: it bounds the values an expression may build (jsonata/bounds.ts). */
  evaluationMemoryBytes?: number;
}

/**
 * How the host bounds evaluations (the engine: a time and a memory budget per evaluation, off its event loop).
 * Every evaluation a state performs is numbered from 1 in the order this step performs it: each state-level
 * data-flow evaluation (JSONPath, intrinsics, Choice rules, payload templates) and each JSONata expression.
 * `onEvaluation` hears each number as that evaluation begins. An evaluation listed in `fail` (found over budget by
 * an earlier try of the same step, with the same document, signals, time and random source, hence the same
 * numbering) fails its state with `detail` instead of running: States.QueryEvaluationError in a JSONata state,
 * States.Runtime otherwise, and Retry / Catch apply as for any such error.
 */
export interface EvaluationHooks {
  onEvaluation?(ordinal: number): void;
  fail?: readonly EvaluationFailure[];
}

export interface EvaluationFailure {
  ordinal: number;
  /** Why, naming the budget, e.g. "Expression evaluation timeout: ... (BATON_EVALUATION_TIMEOUT_MS = 2000)". */
  detail: string;
}

export interface Limits {
  payloadBytes: number;
  historyEvents: number;
}
export const DEFAULT_LIMITS: Limits = { payloadBytes: 262_144, historyEvents: 25_000 };

export interface StepResult {
  doc: ExecutionDoc;
  events: HistoryEvent[];
  commands: Command[];
  /** True when no signal applied (a stale timer or task): nothing to commit. */
  ignored: boolean;
}
