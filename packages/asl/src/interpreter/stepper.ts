/**
 * The working part of `step`: one instance per call, mutating its own copy of the document.
 * States run until they must wait (a task, a timer) or the run ends; every effect on the world is a command.
 */
import { isJsonObject, jsonByteLength, type Json, type JsonObject } from '../json.js';
import { StatesError, matchesErrorEquals } from '../errors.js';
import type { Catcher, MachineNode, MapNode, ParallelNode, Program, Retrier, StateNode, TaskNode } from '../model/nodes.js';
import { contextObject, type ContextExtras } from './context-object.js';
import { parseResource } from './resource.js';
import { retryDelayMs } from './retry-delay.js';
import { DEFAULT_LIMITS, type Command, type ExecutionDoc, type HistoryEvent, type JoinState, type Limits, type Run, type Signal, type StepEnv } from './types.js';
import { StateDataFlow } from './state-dataflow.js';
import { QueryEvaluationError } from '../jsonata/index.js';
import { recordEvaluationFailed } from './evaluation-failed.js';

type Env = StepEnv & { newTaskToken: () => string };

const text = (v: Json): string => JSON.stringify(v);
const untruncated = { truncated: false } as const;

export class Stepper {
  readonly events: HistoryEvent[] = [];
  readonly commands: Command[] = [];
  private readonly limits: Limits;
  private readonly ready: string[] = [];
  private transitions = 0;
  readonly flow: StateDataFlow;

  constructor(
    readonly program: Program,
    public doc: ExecutionDoc,
    readonly env: Env,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...env.limits };
    this.flow = new StateDataFlow(this);
  }

  // ---------------------------------------------------------------- history

  emit(run: Run | undefined, type: string, details?: Record<string, unknown>): number {
    if (run?.silent) return run.lastEventId;
    const id = ++this.doc.eventSeq;
    const previousEventId = run ? run.lastEventId : (this.doc.runs['0']?.lastEventId ?? 0);
    this.events.push({ id, previousEventId, timestamp: this.env.now, type, ...details });
    if (run) run.lastEventId = id;
    return id;
  }

  private nextId(prefix: string): string {
    return `${prefix}${++this.doc.seq}`;
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
      case 'taskStarted': {
        const found = this.pendingTask(signal.taskId);
        if (!found) return false;
        const { run, node, phase } = found;
        if (phase.started) return false;
        phase.started = true;
        const r = parseResource(node.resource);
        if (r.family === 'activity') this.emit(run, 'ActivityStarted', { activityStartedEventDetails: { workerName: signal.workerName ?? '' } });
        else if (r.family === 'lambda') this.emit(run, 'LambdaFunctionStarted');
        else this.emit(run, 'TaskStarted', { taskStartedEventDetails: { resourceType: r.resourceType, resource: r.resource } });
        return true;
      }
      case 'taskSubmitted': {
        const found = this.pendingTask(signal.taskId);
        if (!found) return false;
        const r = parseResource(found.node.resource);
        this.emit(found.run, 'TaskSubmitted', {
          taskSubmittedEventDetails: { resourceType: r.resourceType, resource: r.resource, output: text(signal.output), outputDetails: untruncated },
        });
        return true;
      }
      case 'taskSucceeded':
        return this.taskSucceeded(signal.taskId, signal.output);
      case 'taskFailed':
        return this.taskFailed(signal.taskId, signal.error, signal.cause, 'failed');
      case 'taskHeartbeat': {
        const found = this.pendingTask(signal.taskId);
        if (!found) return false;
        for (const timerId of found.phase.timers) {
          const t = this.doc.timers[timerId];
          if (t?.purpose !== 'heartbeat') continue;
          const seconds = found.phase.heartbeatSeconds;
          if (seconds === undefined) continue;
          this.commands.push({ kind: 'cancelTimer', timerId });
          delete this.doc.timers[timerId];
          const fresh = this.nextId('h');
          this.doc.timers[fresh] = { runId: found.run.id, purpose: 'heartbeat', taskId: signal.taskId };
          this.commands.push({ kind: 'startTimer', timerId: fresh, runId: found.run.id, purpose: 'heartbeat', fireAt: this.env.now + seconds * 1000 });
          found.phase.timers = found.phase.timers.map((t2) => (t2 === timerId ? fresh : t2));
        }
        return true;
      }
      case 'stop':
        this.abortExecution(signal.error, signal.cause);
        return true;
      default: {
        const never: never = signal;
        throw new Error(`unknown signal ${JSON.stringify(never)}`);
      }
    }
  }

  private start(input: Json): boolean {
    if (this.doc.eventSeq > 0) return false;
    this.emit(undefined, 'ExecutionStarted', {
      executionStartedEventDetails: { input: text(input), inputDetails: untruncated, roleArn: this.doc.context.roleArn },
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
      const timerId = this.nextId('x');
      this.doc.timers[timerId] = { runId: root.id, purpose: 'executionTimeout' };
      this.commands.push({ kind: 'startTimer', timerId, runId: root.id, purpose: 'executionTimeout', fireAt: this.env.now + this.program.timeoutSeconds * 1000 });
    }
    return true;
  }

  private pendingTask(taskId: string) {
    const t = this.doc.tasks[taskId];
    if (!t) return undefined;
    const run = this.doc.runs[t.runId];
    if (!run || run.phase.kind !== 'task' || run.phase.taskId !== taskId) return undefined;
    return { run, node: this.node(run) as TaskNode, phase: run.phase };
  }

  private async timerFired(timerId: string): Promise<boolean> {
    const timer = this.doc.timers[timerId];
    if (!timer) return false;
    delete this.doc.timers[timerId];
    const run = this.doc.runs[timer.runId];
    if (timer.purpose === 'executionTimeout') {
      this.endExecution('TIMED_OUT', 'ExecutionTimedOut', {});
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
        const error = timer.purpose === 'heartbeat' ? 'States.HeartbeatTimeout' : 'States.Timeout';
        return this.taskFailed(timer.taskId, error, undefined, 'timedOut');
      }
      default:
        return false;
    }
  }

  // ---------------------------------------------------------------- the run loop

  /** Runs every ready run until each waits or ends, within the transition budget. */
  async drain(): Promise<void> {
    for (const run of Object.values(this.doc.runs)) {
      if (run.phase.kind === 'ready' && !this.ready.includes(run.id)) this.ready.push(run.id);
    }
    const budget = this.env.maxTransitions ?? Infinity;
    while (this.ready.length > 0 && this.doc.status === 'RUNNING') {
      if (this.transitions >= budget) {
        this.commands.push({ kind: 'continue' });
        return;
      }
      if (this.doc.eventSeq >= this.limits.historyEvents) {
        this.failExecution('States.Runtime', `The execution reached the maximum number of history events (${this.limits.historyEvents}).`);
        return;
      }
      const run = this.doc.runs[this.ready.shift()!];
      if (!run || run.phase.kind !== 'ready' || !run.state) continue;
      this.transitions++;
      if (run.mapStart && !(await this.prepareMapIteration(run))) continue;
      await this.enter(run);
    }
  }

  private async enter(run: Run): Promise<void> {
    const node = this.node(run);
    run.enteredEventId = this.emit(run, `${node.kind}StateEntered`, {
      stateEnteredEventDetails: { name: node.name, input: text(run.stateInput), inputDetails: untruncated },
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
          const timerId = this.nextId('w');
          this.doc.timers[timerId] = { runId: run.id, purpose: 'wait' };
          this.commands.push({ kind: 'startTimer', timerId, runId: run.id, purpose: 'wait', fireAt });
          run.phase = { kind: 'wait', timerId, output, ...(assigned ? { assigned } : {}) };
          return;
        }
        case 'Fail': {
          const { error, cause } = await this.flow.fail(run, node);
          return this.finishRun(run, { ok: false, error, ...(cause !== undefined ? { cause } : {}) });
        }
        case 'Task':
          return await this.scheduleTask(run, node);
        case 'Parallel':
        case 'Map':
          return await this.startChildren(run, node);
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

  // ---------------------------------------------------------------- leaving a state

  async exitState(run: Run, node: StateNode, output: Json, next?: string, assigned?: Record<string, Json>): Promise<void> {
    if (jsonByteLength(output) > this.limits.payloadBytes) {
      return this.stateFailed(
        run,
        node,
        new StatesError('States.DataLimitExceeded', `The state/task '${node.name}' returned a result with a size exceeding the maximum number of bytes service limit.`),
      );
    }
    const details: Record<string, unknown> = { name: node.name, output: text(output), outputDetails: untruncated };
    if (assigned && Object.keys(assigned).length > 0) {
      Object.assign(run.variables, assigned);
      details.assignedVariables = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, text(v)]));
      details.assignedVariablesDetails = untruncated;
    }
    this.emit(run, `${node.kind}StateExited`, { stateExitedEventDetails: details });
    const target = next ?? node.next;
    if (node.kind === 'Succeed' || (next === undefined && node.end)) return this.finishRun(run, { ok: true, output });
    if (target === undefined) return this.finishRun(run, { ok: true, output });
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
          const timerId = this.nextId('r');
          this.doc.timers[timerId] = { runId: run.id, purpose: 'retry' };
          this.commands.push({
            kind: 'startTimer', timerId, runId: run.id, purpose: 'retry',
            fireAt: this.env.now + retryDelayMs(retrier, count + 1, this.env.random),
          });
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
          return this.finishRun(run, errorOutcome(this.toStatesError(run, node, e)));
        }
      }
    }
    // Awaited: a branch's failure goes on into the parent's Catch, whose Output / Assign may evaluate JSONata.
    await this.finishRun(run, errorOutcome(err));
  }

  // ---------------------------------------------------------------- tasks

  private async scheduleTask(run: Run, node: TaskNode): Promise<void> {
    const r = parseResource(node.resource);
    const taskId = this.nextId('k');
    const token = r.pattern === 'waitForTaskToken' ? this.env.newTaskToken() : undefined;
    const prepared = await this.flow.taskInput(run, node, token);
    const timers: string[] = [];
    const details: Record<string, unknown> = {};
    if (prepared.timeoutSeconds !== undefined) details.timeoutInSeconds = prepared.timeoutSeconds;
    if (prepared.heartbeatSeconds !== undefined) details.heartbeatInSeconds = prepared.heartbeatSeconds;
    if (r.family === 'activity') {
      this.emit(run, 'ActivityScheduled', {
        activityScheduledEventDetails: { resource: node.resource, input: text(prepared.parameters), inputDetails: untruncated, ...details },
      });
    } else if (r.family === 'lambda') {
      this.emit(run, 'LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: { resource: node.resource, input: text(prepared.parameters), inputDetails: untruncated, ...details },
      });
    } else {
      const scheduled: Record<string, unknown> = {
        resourceType: r.resourceType, resource: r.resource,
        region: r.region ?? this.doc.context.region ?? 'us-east-1',
        parameters: text(prepared.parameters), ...details,
      };
      if (prepared.credentials !== undefined) scheduled.taskCredentials = prepared.credentials;
      this.emit(run, 'TaskScheduled', { taskScheduledEventDetails: scheduled });
    }
    this.doc.tasks[taskId] = { runId: run.id, stateName: node.name, resource: node.resource, family: r.family };
    for (const [purpose, seconds] of [['taskTimeout', prepared.timeoutSeconds], ['heartbeat', prepared.heartbeatSeconds]] as const) {
      if (seconds === undefined) continue;
      const timerId = this.nextId(purpose === 'heartbeat' ? 'h' : 't');
      this.doc.timers[timerId] = { runId: run.id, purpose, taskId };
      this.commands.push({ kind: 'startTimer', timerId, runId: run.id, purpose, fireAt: this.env.now + seconds * 1000 });
      timers.push(timerId);
    }
    run.phase = {
      kind: 'task', taskId, effectiveInput: prepared.effectiveInput, timers, started: false,
      ...(prepared.heartbeatSeconds !== undefined ? { heartbeatSeconds: prepared.heartbeatSeconds } : {}),
    };
    this.commands.push({
      kind: 'scheduleTask', taskId, runId: run.id, stateName: node.name, resource: node.resource, family: r.family,
      pattern: r.pattern, parameters: prepared.parameters,
      ...(prepared.timeoutSeconds !== undefined ? { timeoutSeconds: prepared.timeoutSeconds } : {}),
      ...(prepared.heartbeatSeconds !== undefined ? { heartbeatSeconds: prepared.heartbeatSeconds } : {}),
      ...(token !== undefined ? { taskToken: token } : {}),
      ...(prepared.credentials !== undefined ? { credentials: prepared.credentials } : {}),
      attempt: run.retryCounts.reduce((a, b) => a + b, 0),
    });
  }

  private endTask(run: Run, taskId: string): Json {
    const phase = run.phase;
    if (phase.kind !== 'task') return null;
    for (const timerId of phase.timers) {
      if (this.doc.timers[timerId]) {
        delete this.doc.timers[timerId];
        this.commands.push({ kind: 'cancelTimer', timerId });
      }
    }
    delete this.doc.tasks[taskId];
    run.phase = { kind: 'done' };
    return phase.effectiveInput;
  }

  private async taskSucceeded(taskId: string, output: Json): Promise<boolean> {
    const found = this.pendingTask(taskId);
    if (!found) return false;
    const { run, node } = found;
    const r = parseResource(node.resource);
    const effectiveInput = this.endTask(run, taskId);
    const out = { output: text(output), outputDetails: untruncated };
    if (r.family === 'activity') this.emit(run, 'ActivitySucceeded', { activitySucceededEventDetails: out });
    else if (r.family === 'lambda') this.emit(run, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: out });
    else this.emit(run, 'TaskSucceeded', { taskSucceededEventDetails: { resourceType: r.resourceType, resource: r.resource, ...out } });
    this.transitions++;
    if (jsonByteLength(output) > this.limits.payloadBytes) {
      await this.stateFailed(run, node, new StatesError('States.DataLimitExceeded', `The state/task '${node.name}' returned a result with a size exceeding the maximum number of bytes service limit.`));
      return true;
    }
    try {
      const { output: stateOutput, assigned } = await this.flow.taskOutput(run, node, effectiveInput, output);
      await this.exitState(run, node, stateOutput, undefined, assigned);
    } catch (e) {
      await this.stateFailed(run, node, this.toStatesError(run, node, e));
    }
    return true;
  }

  private async taskFailed(taskId: string, error: string, cause: string | undefined, how: 'failed' | 'timedOut'): Promise<boolean> {
    const found = this.pendingTask(taskId);
    if (!found) return false;
    const { run, node } = found;
    const r = parseResource(node.resource);
    this.endTask(run, taskId);
    if (how === 'timedOut') this.commands.push({ kind: 'cancelTask', taskId });
    const details: Record<string, unknown> = { error, ...(cause !== undefined ? { cause } : { cause: '' }) };
    const suffix = how === 'timedOut' ? 'TimedOut' : 'Failed';
    if (r.family === 'activity') this.emit(run, `Activity${suffix}`, { [`activity${suffix}EventDetails`]: details });
    else if (r.family === 'lambda') this.emit(run, `LambdaFunction${suffix}`, { [`lambdaFunction${suffix}EventDetails`]: details });
    else this.emit(run, `Task${suffix}`, { [`task${suffix}EventDetails`]: { resourceType: r.resourceType, resource: r.resource, ...details } });
    this.transitions++;
    await this.stateFailed(run, node, new StatesError(error, cause));
    return true;
  }

  // ---------------------------------------------------------------- Parallel and Map

  private async startChildren(run: Run, node: ParallelNode | MapNode): Promise<void> {
    const plan = node.kind === 'Parallel' ? await this.flow.parallelInput(run, node) : await this.flow.mapInput(run, node);
    const total = node.kind === 'Parallel' ? node.branches.length : plan.items!.length;
    if (node.kind === 'Parallel') this.emit(run, 'ParallelStateStarted');
    else this.emit(run, 'MapStateStarted', { mapStateStartedEventDetails: { length: total } });
    if (plan.limitsError) throw plan.limitsError;
    const distributed = node.kind === 'Map' && node.mode === 'DISTRIBUTED';
    if (distributed) {
      // A Distributed Map runs its iterations as child executions: the parent history shows the Map Run only.
      const c = this.doc.context;
      const account = /:(\d{12}):/.exec(c.stateMachineArn)?.[1] ?? '123456789012';
      const mapRunArn = `arn:${c.partition ?? 'aws'}:states:${c.region ?? 'us-east-1'}:${account}:mapRun:${c.stateMachineName}/${node.label ?? node.name}:${this.nextId('')}`;
      this.emit(run, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
    }
    const join: JoinState = {
      type: node.kind, total, maxConcurrency: plan.maxConcurrency ?? 0, nextIndex: 0, running: {},
      results: new Array<Json | null>(total).fill(null), succeeded: 0, failed: 0,
      ...(plan.toleratedFailureCount !== undefined ? { toleratedFailureCount: plan.toleratedFailureCount } : {}),
      ...(plan.toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage: plan.toleratedFailurePercentage } : {}),
      ...(plan.items ? { items: plan.items } : {}),
    };
    run.phase = { kind: 'children', join, effectiveInput: plan.effectiveInput };
    if (total === 0) return this.childrenDone(run, node, join);
    this.startMoreChildren(run, node, join, plan.branchInput);
  }

  private startMoreChildren(run: Run, node: ParallelNode | MapNode, join: JoinState, branchInput?: Json): void {
    while (join.nextIndex < join.total && (join.maxConcurrency === 0 || Object.keys(join.running).length < join.maxConcurrency)) {
      const index = join.nextIndex++;
      const child: Run = {
        id: this.nextId(`${run.id}.`),
        machine: node.kind === 'Parallel' ? node.branches[index]! : node.processor,
        parent: { runId: run.id, index },
        lastEventId: run.lastEventId,
        variables: { ...run.variables },
        state: this.machine(node.kind === 'Parallel' ? node.branches[index]! : node.processor).startAt,
        phase: { kind: 'ready' },
        stateInput: node.kind === 'Parallel' ? (branchInput ?? null) : null,
        enteredEventId: 0,
        enteredTime: run.enteredTime,
        retryCounts: [],
        ...(run.silent || (node.kind === 'Map' && node.mode === 'DISTRIBUTED') ? { silent: true } : {}),
      };
      if (node.kind === 'Map') child.mapStart = true;
      join.running[index] = child.id;
      this.doc.runs[child.id] = child;
      this.ready.push(child.id);
    }
  }

  /** Map iterations compute their input (ItemSelector) and emit MapIterationStarted when they first run. */
  private async prepareMapIteration(run: Run): Promise<boolean> {
    delete run.mapStart;
    const parent = this.doc.runs[run.parent!.runId];
    if (!parent || parent.phase.kind !== 'children') return false;
    const phase = parent.phase;
    const node = this.node(parent) as MapNode;
    const index = run.parent!.index;
    this.emit(run, 'MapIterationStarted', { mapIterationStartedEventDetails: { name: node.name, index } });
    try {
      run.stateInput = await this.flow.mapItemInput(parent, node, phase.effectiveInput, phase.join.items![index]!, index);
    } catch (e) {
      await this.childrenFailed(parent, node, this.toStatesError(parent, node, e), run.id);
      return false;
    }
    return true;
  }

  private async childFinished(child: Run, outcome: NonNullable<Run['finished']>): Promise<void> {
    const parent = this.doc.runs[child.parent!.runId];
    delete this.doc.runs[child.id];
    if (!parent || parent.phase.kind !== 'children') return;
    const node = this.node(parent) as ParallelNode | MapNode;
    const join = parent.phase.join;
    const index = child.parent!.index;
    delete join.running[index];
    if (node.kind === 'Parallel' && !outcome.ok && child.state && this.node(child).kind === 'Task') {
      // AWS closes a Parallel branch whose Task failed with TaskStateAborted (recorded in the SQS callback cases).
      this.emit(child, 'TaskStateAborted');
    }
    if (node.kind === 'Map') {
      const type = outcome.ok ? 'MapIterationSucceeded' : 'MapIterationFailed';
      const key = outcome.ok ? 'mapIterationSucceededEventDetails' : 'mapIterationFailedEventDetails';
      this.emit(child, type, { [key]: { name: node.name, index } });
      parent.lastEventId = child.lastEventId;
    }
    if (outcome.ok) {
      join.results[index] = outcome.output;
      join.succeeded++;
    } else {
      join.failed++;
      join.results[index] = { Error: outcome.error, ...(outcome.cause !== undefined ? { Cause: outcome.cause } : {}) };
      if (!this.tolerated(join)) {
        const err = node.kind === 'Map' && (join.toleratedFailureCount !== undefined || join.toleratedFailurePercentage !== undefined)
          ? new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded')
          : new StatesError(outcome.error, outcome.cause);
        parent.lastEventId = child.lastEventId;
        return this.childrenFailed(parent, node, err);
      }
    }
    if (join.succeeded + join.failed === join.total) {
      parent.lastEventId = Math.max(parent.lastEventId, child.lastEventId);
      return this.childrenDone(parent, node, join);
    }
    this.startMoreChildren(parent, node, join);
  }

  private tolerated(join: JoinState): boolean {
    if (join.toleratedFailureCount === undefined && join.toleratedFailurePercentage === undefined) return join.failed === 0;
    if (join.toleratedFailureCount !== undefined && join.failed <= join.toleratedFailureCount) return true;
    if (join.toleratedFailurePercentage !== undefined && (join.failed / join.total) * 100 <= join.toleratedFailurePercentage) return true;
    return false;
  }

  private async childrenFailed(parent: Run, node: ParallelNode | MapNode, err: StatesError, failedChildId?: string): Promise<void> {
    if (parent.phase.kind !== 'children') return;
    for (const childId of Object.values(parent.phase.join.running)) {
      const child = this.doc.runs[childId];
      if (child && childId !== failedChildId) this.abortRun(child, node.kind === 'Map' ? node.name : undefined);
      delete this.doc.runs[childId];
    }
    parent.phase = { kind: 'done' };
    if (node.kind === 'Map' && node.mode === 'DISTRIBUTED') {
      this.emit(parent, 'MapRunFailed', { mapRunFailedEventDetails: { error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) } });
    }
    await this.stateFailed(parent, node, err, node.kind === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
  }

  private async childrenDone(parent: Run, node: ParallelNode | MapNode, join: JoinState): Promise<void> {
    const effectiveInput = parent.phase.kind === 'children' ? parent.phase.effectiveInput : null;
    parent.phase = { kind: 'done' };
    if (node.kind === 'Map' && node.mode === 'DISTRIBUTED') this.emit(parent, 'MapRunSucceeded');
    // AWS points the StateExited event past the Succeeded event, at the last event before it.
    const beforeSucceeded = parent.lastEventId;
    this.emit(parent, node.kind === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
    parent.lastEventId = beforeSucceeded;
    try {
      const { output, assigned } = await this.flow.taskOutput(parent, node, effectiveInput, join.results as Json[]);
      await this.exitState(parent, node, output, undefined, assigned);
    } catch (e) {
      await this.stateFailed(parent, node, this.toStatesError(parent, node, e));
    }
  }

  // ---------------------------------------------------------------- ending runs and executions

  finishRun(run: Run, outcome: NonNullable<Run['finished']>): void | Promise<void> {
    run.phase = { kind: 'done' };
    run.finished = outcome;
    if (run.parent) return this.childFinished(run, outcome);
    if (outcome.ok) {
      this.endExecution('SUCCEEDED', 'ExecutionSucceeded', { executionSucceededEventDetails: { output: text(outcome.output), outputDetails: untruncated } });
      this.doc.output = outcome.output;
      const finish = this.commands.find((c) => c.kind === 'finish');
      if (finish && finish.kind === 'finish') finish.output = outcome.output;
    } else {
      this.failExecution(outcome.error, outcome.cause);
    }
  }

  /** An empty error name (a Fail state without Error) is recorded as no error at all, as AWS does. */
  failExecution(error: string | undefined, cause?: string): void {
    const details: Record<string, unknown> = {};
    if (error) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.endExecution('FAILED', 'ExecutionFailed', { executionFailedEventDetails: details }, error || undefined, cause);
  }

  private abortExecution(error?: string, cause?: string): void {
    const details: Record<string, unknown> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.endExecution('ABORTED', 'ExecutionAborted', { executionAbortedEventDetails: details }, error, cause);
  }

  /** Cancels a run's pending work and records that its current state was aborted. */
  private abortRun(run: Run, mapName: string | undefined): void {
    if (run.phase.kind === 'children') {
      for (const childId of Object.values(run.phase.join.running)) {
        const child = this.doc.runs[childId];
        if (child) this.abortRun(child, undefined);
        delete this.doc.runs[childId];
      }
    }
    this.cancelPending(run);
    if (run.state && run.phase.kind !== 'ready' && !run.finished) {
      this.emit(run, `${this.node(run).kind}StateAborted`);
    }
    if (mapName !== undefined && run.parent) {
      this.emit(run, 'MapIterationAborted', { mapIterationAbortedEventDetails: { name: mapName, index: run.parent.index } });
    }
    run.phase = { kind: 'done' };
  }

  private cancelPending(run: Run): void {
    const phase = run.phase;
    if (phase.kind === 'task') {
      this.commands.push({ kind: 'cancelTask', taskId: phase.taskId });
      this.endTask(run, phase.taskId);
    } else if (phase.kind === 'wait' || phase.kind === 'retry') {
      delete this.doc.timers[phase.timerId];
      this.commands.push({ kind: 'cancelTimer', timerId: phase.timerId });
    }
  }

  private endExecution(
    status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED',
    type: string,
    details: Record<string, unknown>,
    error?: string,
    cause?: string,
  ): void {
    if (this.doc.status !== 'RUNNING') return;
    if (status !== 'SUCCEEDED') {
      for (const run of Object.values(this.doc.runs)) if (!run.parent) this.cancelTree(run);
    }
    for (const timerId of Object.keys(this.doc.timers)) this.commands.push({ kind: 'cancelTimer', timerId });
    for (const taskId of Object.keys(this.doc.tasks)) this.commands.push({ kind: 'cancelTask', taskId });
    this.doc.timers = {};
    this.doc.tasks = {};
    this.doc.status = status;
    if (error !== undefined) this.doc.error = error;
    if (cause !== undefined) this.doc.cause = cause;
    const root = this.doc.runs['0'];
    this.emit(root, type, details);
    this.doc.runs = {};
    this.ready.length = 0;
    this.commands.push({
      kind: 'finish', status,
      ...(status === 'SUCCEEDED' ? { output: this.doc.output ?? null } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  private cancelTree(run: Run): void {
    if (run.phase.kind === 'children') {
      for (const childId of Object.values(run.phase.join.running)) {
        const child = this.doc.runs[childId];
        if (child) this.cancelTree(child);
      }
    }
    this.cancelPending(run);
  }
}

function errorOutcome(err: StatesError): { ok: false; error: string; cause?: string } {
  return { ok: false, error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) };
}

export function isObject(v: Json): v is JsonObject {
  return isJsonObject(v);
}
