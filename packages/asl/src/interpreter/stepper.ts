/**
 * The working part of `step`: one instance per call, mutating its own copy of the document.
 * States run until they must wait (a task, a timer) or the run ends; every effect on the world is a command.
 *
 * This class owns the history (event ids in order, each event's previousEventId pointing at its run's last
 * event), signal dispatch, the run loop and one state's passage: {Type}StateEntered, the state's work,
 * {Type}StateExited, or on failure Retry then Catch (AWS "Handling errors": the first retrier matching the error
 * retries until its MaxAttempts, then the first matching catcher applies; States.Runtime and
 * States.DataLimitExceeded are neither retried nor caught). Tasks (task-lifecycle.ts), Parallel / Map children
 * (branches.ts) and the end of runs and the execution (execution-end.ts) have their own modules.
 */
import { measureJson, nestingDepthMessage, type Json, type JsonObject } from '../json.js';
import { StatesError, matchesErrorEquals } from '../errors.js';
import type { Catcher, MachineNode, Program, Retrier, StateNode } from '../model/nodes.js';
import { QueryEvaluationError } from '../jsonata/index.js';
import { Branches } from './branches.js';
import { DistributedMap } from './distributed-map.js';
import { contextObject, type ContextExtras } from './context-object.js';
import { recordEvaluationFailed } from './evaluation-failed.js';
import { jsonText, untruncated } from './event-details.js';
import { EvaluationGuard } from './evaluation-guard.js';
import { ExecutionEnd } from './execution-end.js';
import { Redrive } from './redrive.js';
import { retryDelayMs } from './retry-delay.js';
import { StateDataFlow } from './state-dataflow.js';
import { TaskLifecycle } from './task-lifecycle.js';
import { DEFAULT_LIMITS, type Command, type ExecutionDoc, type HistoryEvent, type Limits, type Run, type Signal, type StepEnv, type TimerPurpose } from './types.js';

type Env = StepEnv & { newTaskToken: () => string };

/** Timer ids are a letter for the purpose and the document's sequence number. */
const TIMER_PREFIX: Record<TimerPurpose, string> = { wait: 'w', retry: 'r', taskTimeout: 't', heartbeat: 'h', executionTimeout: 'x' };

/** What `checkOutput` found: the output's JSON text when it is within the limits. */
export type OutputCheck = { kind: 'deep'; depth: number } | { kind: 'large' } | { kind: 'ok'; text: string };

export class Stepper {
  readonly events: HistoryEvent[] = [];
  readonly commands: Command[] = [];
  readonly limits: Limits;
  /** Ids of runs about to enter their state, in order. */
  readonly ready: string[] = [];
  /** State transitions in this call, against `env.maxTransitions`. */
  transitions = 0;
  readonly flow: StateDataFlow;
  readonly tasks: TaskLifecycle;
  readonly branches: Branches;
  readonly distributed: DistributedMap;
  readonly end: ExecutionEnd;
  readonly guard: EvaluationGuard;
  readonly redrive: Redrive;

  constructor(
    readonly program: Program,
    public doc: ExecutionDoc,
    readonly env: Env,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...env.limits };
    this.guard = new EvaluationGuard(env.evaluation);
    this.flow = new StateDataFlow(this);
    this.tasks = new TaskLifecycle(this);
    this.branches = new Branches(this);
    this.distributed = new DistributedMap(this);
    this.end = new ExecutionEnd(this);
    this.redrive = new Redrive(this);
  }

  // ---------------------------------------------------------------- history, ids, timers

  /**
   * AWS ("Avoid reaching the history quota"): once an execution has 24,999 events (one less than the limit), the
   * next one is kept only if it is ExecutionSucceeded; anything else is replaced by ExecutionFailed. Events that
   * would cross the limit are dropped and `historyFull` set; the step then fails the execution (execution-end.ts).
   */
  historyFull = false;

  emit(run: Run | undefined, type: string, details?: Record<string, unknown>): number {
    if (run?.silent) return run.lastEventId;
    if (this.doc.eventSeq >= this.limits.historyEvents - 1 && !this.end.mayEndHistory(type)) {
      this.historyFull = true;
      return run ? run.lastEventId : this.doc.eventSeq;
    }
    const id = ++this.doc.eventSeq;
    const previousEventId = run ? run.lastEventId : (this.doc.runs['0']?.lastEventId ?? 0);
    this.events.push({ id, previousEventId, timestamp: this.env.now, type, ...details });
    if (run) run.lastEventId = id;
    return id;
  }

  nextId(prefix: string): string {
    return `${prefix}${++this.doc.seq}`;
  }

  /** Records a timer in the document and asks the engine to start it; returns its id. */
  startTimer(runId: string, purpose: TimerPurpose, fireAt: number, taskId?: string): string {
    const timerId = this.nextId(TIMER_PREFIX[purpose]);
    this.doc.timers[timerId] = { runId, purpose, ...(taskId !== undefined ? { taskId } : {}), scheduledAt: this.env.now, fireAt };
    this.commands.push({ kind: 'startTimer', timerId, runId, purpose, fireAt });
    return timerId;
  }

  cancelTimer(timerId: string): void {
    delete this.doc.timers[timerId];
    this.commands.push({ kind: 'cancelTimer', timerId });
  }

  machine(id: string): MachineNode {
    const m = this.program.machines.get(id);
    if (!m) throw new Error(`unknown machine ${id}`);
    return m;
  }

  node(run: Run): StateNode {
    const n = run.state ? this.machine(run.machine).states.get(run.state) : undefined;
    if (!n) throw new Error(`run ${run.id} is at unknown state ${run.state}`);
    return n;
  }

  context(run: Run, extras?: ContextExtras): JsonObject {
    const state = run.state ? this.machine(run.machine).states.get(run.state) : undefined;
    return contextObject(this.doc, run, run.state ?? '', extras, state?.kind === 'Task');
  }

  // ---------------------------------------------------------------- signals

  /** Applies one signal; false when it no longer applies (stale timer, finished task). */
  async apply(signal: Signal): Promise<boolean> {
    switch (signal.kind) {
      case 'start':
        return this.start(signal.input);
      case 'continue':
        return true;
      case 'timerFired':
        return this.timerFired(signal.timerId);
      case 'taskStarted':
        return this.tasks.started(signal.taskId, signal.workerName);
      case 'taskSubmitted':
        return this.tasks.submitted(signal.taskId, signal.output);
      case 'taskSucceeded':
        return this.tasks.succeeded(signal.taskId, signal.output);
      case 'taskFailed':
        return this.tasks.failed(signal.taskId, signal.error, signal.cause, 'failed');
      case 'taskHeartbeat':
        return this.tasks.heartbeat(signal.taskId);
      case 'stop':
        this.end.abortExecution(signal.error, signal.cause);
        return true;
      case 'mapRunEnded':
        return this.distributed.ended(signal);
      case 'fail':
        this.end.failExecution(signal.error, signal.cause);
        return true;
      case 'redrive':
        return this.redrive.apply(signal.redriveCount);
      default: {
        const never: never = signal;
        throw new Error(`unknown signal ${JSON.stringify(never)}`);
      }
    }
  }

  private start(input: Json): boolean {
    if (this.doc.eventSeq > 0) return false;
    this.emit(undefined, 'ExecutionStarted', {
      executionStartedEventDetails: { input: jsonText(input), inputDetails: untruncated, roleArn: this.doc.context.roleArn },
    });
    const root: Run = {
      id: '0',
      machine: '',
      lastEventId: 0,
      variables: {},
      state: this.program.root.startAt,
      phase: { kind: 'ready' },
      stateInput: input,
      enteredEventId: 0,
      enteredTime: this.doc.context.startTime,
      retryCounts: [],
    };
    this.doc.runs[root.id] = root;
    this.ready.push(root.id);
    if (this.program.timeoutSeconds !== undefined) {
      this.startTimer(root.id, 'executionTimeout', this.env.now + this.program.timeoutSeconds * 1000);
    }
    return true;
  }

  private async timerFired(timerId: string): Promise<boolean> {
    const timer = this.doc.timers[timerId];
    if (!timer) return false;
    delete this.doc.timers[timerId];
    const run = this.doc.runs[timer.runId];
    if (timer.purpose === 'executionTimeout') {
      this.end.endExecution('TIMED_OUT', 'ExecutionTimedOut', {});
      return true;
    }
    if (!run) return false;
    switch (timer.purpose) {
      case 'wait': {
        if (run.phase.kind !== 'wait' || run.phase.timerId !== timerId) return false;
        const { output, assigned } = run.phase;
        await this.exitState(run, this.node(run), output, undefined, assigned);
        return true;
      }
      case 'retry': {
        if (run.phase.kind !== 'retry' || run.phase.timerId !== timerId) return false;
        await this.attempt(run, this.node(run));
        return true;
      }
      case 'taskTimeout':
      case 'heartbeat': {
        if (!timer.taskId) return false;
        // AWS names a missed heartbeat States.HeartbeatTimeout for activities only; a service integration's
        // missed heartbeat is recorded as States.Timeout (test_heartbeats recordings).
        const family = this.doc.tasks[timer.taskId]?.family;
        const error = timer.purpose === 'heartbeat' && family === 'activity' ? 'States.HeartbeatTimeout' : 'States.Timeout';
        return this.tasks.failed(timer.taskId, error, undefined, 'timedOut');
      }
      default:
        return false;
    }
  }

  // ---------------------------------------------------------------- the run loop

  /** Runs every ready run until each waits or ends, within the transition budget. */
  async drain(): Promise<void> {
    const queued = new Set(this.ready);
    for (const run of Object.values(this.doc.runs)) {
      if (run.phase.kind === 'ready' && !queued.has(run.id)) this.ready.push(run.id);
    }
    const budget = this.env.maxTransitions ?? Infinity;
    while (this.ready.length > 0 && this.doc.status === 'RUNNING') {
      if (this.transitions >= budget) {
        this.commands.push({ kind: 'continue' });
        return;
      }
      // The next transition records a state's entry, which cannot be the one event allowed at the limit.
      if (this.historyFull || this.doc.eventSeq >= this.limits.historyEvents - 1) {
        this.end.failAtHistoryLimit();
        return;
      }
      const run = this.doc.runs[this.ready.shift()!];
      if (!run || run.phase.kind !== 'ready' || !run.state) continue;
      this.transitions++;
      if (run.mapStart && !(await this.branches.prepareMapIteration(run))) continue;
      await this.enter(run);
    }
  }

  private async enter(run: Run): Promise<void> {
    const node = this.node(run);
    run.enteredEventId = this.emit(run, `${node.kind}StateEntered`, {
      stateEnteredEventDetails: { name: node.name, input: jsonText(run.stateInput), inputDetails: untruncated },
    });
    run.enteredTime = new Date(this.env.now).toISOString();
    run.retryCounts = [];
    await this.attempt(run, node);
  }

  /** Runs a state's work (again, after a retry). Errors raised while doing so go through Retry / Catch. */
  private async attempt(run: Run, node: StateNode): Promise<void> {
    try {
      switch (node.kind) {
        case 'Pass':
        case 'Succeed':
        case 'Choice': {
          const r = node.kind === 'Pass' ? await this.flow.pass(run, node) : node.kind === 'Succeed' ? await this.flow.passThrough(run, node) : await this.flow.choice(run, node);
          return await this.exitState(run, node, r.output, r.next, r.assigned);
        }
        case 'Wait': {
          const { fireAt, output, assigned } = await this.flow.wait(run, node);
          if (fireAt <= this.env.now) return await this.exitState(run, node, output, undefined, assigned);
          const timerId = this.startTimer(run.id, 'wait', fireAt);
          run.phase = { kind: 'wait', timerId, output, ...(assigned ? { assigned } : {}) };
          return;
        }
        case 'Fail': {
          const { error, cause } = await this.flow.fail(run, node);
          return this.end.finishRun(run, { ok: false, error, ...(cause !== undefined ? { cause } : {}) });
        }
        case 'Task':
          return await this.tasks.schedule(run, node);
        case 'Parallel':
        case 'Map':
          return await this.branches.startChildren(run, node);
        default: {
          const never: never = node;
          throw new Error(`unknown node ${JSON.stringify(never)}`);
        }
      }
    } catch (e) {
      const err = this.toStatesError(run, node, e);
      // A JSONata field of a Map / Parallel failing before the state starts still ends in MapStateFailed (AWS).
      const failedEvent = err instanceof QueryEvaluationError && (node.kind === 'Map' || node.kind === 'Parallel') ? `${node.kind}StateFailed` : undefined;
      await this.stateFailed(run, node, err, failedEvent);
    }
  }

  /** Errors raised by the interpreter itself carry AWS's "An error occurred while executing the state" prefix. */
  toStatesError(run: Run, node: StateNode, e: unknown): StatesError {
    if (!(e instanceof StatesError)) throw e;
    // JSONata failures keep their location and are recorded as an EvaluationFailed event first.
    if (e instanceof QueryEvaluationError) return recordEvaluationFailed(this, run, node, e);
    if (e.error === 'States.Runtime' || e.error === 'States.QueryEvaluationError') {
      const prefix = `An error occurred while executing the state '${node.name}' (entered at the event id #${run.enteredEventId}). `;
      if (!e.cause?.startsWith('An error occurred while executing the state')) return new StatesError(e.error, prefix + (e.cause ?? ''));
    }
    return e;
  }

  /**
   * A state's output or a task's result against the document limits, in one walk (measureJson) and, when it is
   * within them, one serialisation whose text the caller's event carries: too deep (MAX_NESTING_DEPTH, checked
   * first: a value that deep cannot be serialised), too large (the payload limit, 256 KiB), or its text.
   */
  checkOutput(output: Json): OutputCheck {
    const { depthBeyond, lowerBound } = measureJson(output);
    if (depthBeyond !== undefined) return { kind: 'deep', depth: depthBeyond };
    const limit = this.limits.payloadBytes;
    // The lower bound first: many references to one long string would make the text far larger than the limit.
    if (lowerBound > limit) return { kind: 'large' };
    const text = jsonText(output);
    return Buffer.byteLength(text ?? 'null', 'utf8') > limit ? { kind: 'large' } : { kind: 'ok', text };
  }

  /** States.DataLimitExceeded for an output over the payload limit; States.Runtime for one nested too deeply. */
  outputError(node: StateNode, check: Exclude<OutputCheck, { kind: 'ok' }>): StatesError {
    if (check.kind === 'deep') {
      return new StatesError('States.Runtime', `The state/task '${node.name}' returned a result nested too deeply. ${nestingDepthMessage(check.depth)}`);
    }
    return new StatesError('States.DataLimitExceeded', `The state/task '${node.name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  }

  // ---------------------------------------------------------------- leaving a state

  async exitState(run: Run, node: StateNode, output: Json, next?: string, assigned?: Record<string, Json>): Promise<void> {
    const check = this.checkOutput(output);
    if (check.kind !== 'ok') return this.stateFailed(run, node, this.outputError(node, check));
    const details: Record<string, unknown> = { name: node.name, output: check.text, outputDetails: untruncated };
    if (assigned && Object.keys(assigned).length > 0) {
      Object.assign(run.variables, assigned);
      details.assignedVariables = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, jsonText(v)]));
      details.assignedVariablesDetails = untruncated;
    }
    this.emit(run, `${node.kind}StateExited`, { stateExitedEventDetails: details });
    delete run.resume;
    delete run.resumeMapRun;
    const target = next ?? node.next;
    if (node.kind === 'Succeed' || (next === undefined && node.end)) return this.end.finishRun(run, { ok: true, output });
    if (target === undefined) return this.end.finishRun(run, { ok: true, output });
    run.state = target;
    run.stateInput = output;
    run.phase = { kind: 'ready' };
    this.ready.push(run.id);
  }

  /** A state failed with `err` (its own failure event already recorded): Retry, then Catch, else the run fails. */
  async stateFailed(run: Run, node: StateNode, err: StatesError, failedEvent?: string): Promise<void> {
    const retry: readonly Retrier[] = 'retry' in node ? node.retry : [];
    const catchers: readonly Catcher[] = 'catch' in node ? node.catch : [];
    const retryable = err.error !== 'States.Runtime' && err.error !== 'States.DataLimitExceeded';
    if (retryable) {
      const index = retry.findIndex((r) => matchesErrorEquals(r.errorEquals, err.error));
      const retrier = retry[index];
      if (retrier) {
        const count = run.retryCounts[index] ?? 0;
        if (count < retrier.maxAttempts) {
          run.retryCounts[index] = count + 1;
          const timerId = this.startTimer(run.id, 'retry', this.env.now + retryDelayMs(retrier, count + 1, this.env.random));
          run.phase = { kind: 'retry', timerId };
          return;
        }
      }
    }
    // Map and Parallel record their failure only once it is final (a retried attempt just starts again).
    if (failedEvent !== undefined) this.emit(run, failedEvent);
    if (retryable) {
      const catcher = catchers.find((c) => matchesErrorEquals(c.errorEquals, err.error));
      if (catcher) {
        try {
          const { output, assigned } = await this.flow.caught(run, node, catcher, err);
          return await this.exitState(run, node, output, catcher.next, assigned);
        } catch (e) {
          return this.end.finishRun(run, errorOutcome(this.toStatesError(run, node, e)));
        }
      }
    }
    // Awaited: a branch's failure goes on into the parent's Catch, whose Output / Assign may evaluate JSONata.
    await this.end.finishRun(run, errorOutcome(err));
  }
}

function errorOutcome(err: StatesError): { ok: false; error: string; cause?: string } {
  return { ok: false, error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) };
}
