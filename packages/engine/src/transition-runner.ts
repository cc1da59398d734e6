/**
 * One transition = one Postgres transaction. Load the execution and ALL its pending signals, `step`, then in one
 * transaction: advance the document under a compare-and-set on its version, consume the signals, append the
 * history events (primary key (execution, event id) as a second guard) and write what the commands ask for.
 * Losing the race (someone else advanced it) rolls back and retries from a fresh load. Work is enqueued only
 * after commit. A duplicated or replayed job finds no pending signal and does nothing.
 * Tasks the worker has room for are claimed in the same transaction and called at once (eager-tasks.ts); their
 * outcome is committed with the next transition by `commitOutcome`.
 */
import type { Signal, StepResult } from '@baton/asl';
import { context, endSpanWithError, trace, type Span } from '@baton/observability';
import { AnsweredMeanwhile, applyCommands, oneStatementPlan, Writes } from './apply-commands.js';
import { executionLogEntries } from './observability/execution-log-events.js';
import { executionContext } from './observability/execution-spans.js';
import { EagerTasks, EagerWork, outcomeSignals, type FinalTaskResult } from './eager-tasks.js';
import type { Dispatch } from './job-ids.js';
import type { ExecutionPatch, ExecutionRecord, PendingSignal, StoreSession, TaskRecord } from './ports.js';
import type { Runtime } from './runtime.js';
import { settleWithoutStep, stepAttempt } from './step-attempts.js';
import type { TaskRunner } from './task-runner.js';

const MAX_CONFLICTS = 100;
const MAX_STEPS_PER_JOB = 20;

class Conflict extends Error {}
class ClaimLost extends Error {}

/** Another process advanced the execution, or answered a task the step timed out: the step is taken again. */
const lostRace = (e: unknown): boolean => e instanceof Conflict || e instanceof AnsweredMeanwhile || isUniqueViolation(e);

/** An execution as loaded for a step: its record, the attempts counted, the signals to consume. */
type Carried = ExecutionRecord & { stepAttempts: number; pending: PendingSignal[] };

/** What a job's loop carries from one step to the next (`TransitionRunner.runJob`). */
interface OwnWork {
  /** The job for the execution's own `continue`, held back while the loop goes on. */
  next?: Dispatch;
  /** That `continue`, to step at once from the document just committed (no load: `attempt`). */
  carried?: Carried;
}

/** The attempt's span, started once the execution is loaded (its parent is known then). */
interface SpanHolder {
  startedAt: number;
  span?: Span;
}

export class TransitionRunner {
  private readonly inProcess = new Map<string, Promise<unknown>>();
  /** Off until a worker enables it (EngineWorker): the API's own steps (StopExecution) never call tasks. */
  readonly eager: EagerTasks;

  constructor(private readonly rt: Runtime, tasks: TaskRunner) {
    this.eager = new EagerTasks(rt, tasks);
  }

  /**
   * Consumes every pending signal of the execution. Returns the number of steps committed (0: nothing to do).
   * Jobs for one execution run one after another in this process: a duplicate (the reconciler's, a signal's own
   * job) waits for the job in progress, whose loop consumes what arrives meanwhile, instead of running the same
   * step (and any evaluation over budget in it) a second time at once.
   */
  async run(executionId: string): Promise<number> {
    const work = new EagerWork();
    const committed = await this.serialised(executionId, () => this.runJob(executionId, work));
    // The job lasts as long as the eager calls it started (and those their commits started): the queue's
    // concurrency bounds them, and a graceful stop waits for their commits.
    await work.settle();
    return committed;
  }

  /** Runs `fn` after every earlier job or eager commit of the same execution in this process. */
  private serialised<T>(executionId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.inProcess.get(executionId);
    const mine = before ? before.then(fn, fn) : fn();
    this.inProcess.set(executionId, mine);
    const forget = (): void => {
      if (this.inProcess.get(executionId) === mine) this.inProcess.delete(executionId);
    };
    mine.then(forget, forget);
    return mine;
  }

  private async runJob(executionId: string, work: EagerWork): Promise<number> {
    let committed = 0;
    let conflicts = 0;
    // The job for this execution's own `continue` signal is held back while this loop goes on: the loop consumes
    // that signal itself. It is enqueued only if the loop stops with work left (the signal row is durable either
    // way, so a crash here leaves it to the reconciler).
    const own: OwnWork = {};
    // After a commit, signals that arrived meanwhile are consumed in the same job (their own jobs find nothing).
    while (committed < MAX_STEPS_PER_JOB && conflicts < MAX_CONFLICTS) {
      // The last step this loop may take does not carry its continue over: its job is enqueued for whoever comes.
      const outcome = await this.once(executionId, own, work, committed + 1 < MAX_STEPS_PER_JOB);
      if (outcome === 'idle') return committed;
      if (outcome === 'committed') committed++;
      else conflicts++;
    }
    if (committed >= MAX_STEPS_PER_JOB) {
      if (own.next) await this.rt.dispatch([own.next]);
      return committed;
    }
    throw new Error(`execution ${executionId}: gave up after ${MAX_CONFLICTS} conflicting transitions`);
  }

  /**
   * One attempt, in a `baton.transition` span. The span starts once the execution is loaded (it is a child of the
   * execution's root span: observability/execution-spans.ts), from the time the attempt began.
   */
  private async once(executionId: string, own: OwnWork, work: EagerWork, mayCarry: boolean): Promise<'idle' | 'committed' | 'conflict'> {
    const telemetry = this.rt.telemetry;
    const started = performance.now();
    const t: SpanHolder = { startedAt: Date.now() };
    let outcome: 'idle' | 'committed' | 'conflict';
    try {
      outcome = await this.attempt(executionId, own, t, work, mayCarry);
    } catch (e) {
      endSpanWithError(t.span ?? telemetry.startTransition(undefined, t.startedAt), e);
      throw e;
    }
    telemetry.transitionEnded(t.span ?? telemetry.startTransition(undefined, t.startedAt), outcome, started, performance.now());
    return outcome;
  }

  private async attempt(executionId: string, own: OwnWork, t: SpanHolder, work: EagerWork, mayCarry: boolean): Promise<'idle' | 'committed' | 'conflict'> {
    const { store, clock } = this.rt;
    // The continue this loop's last commit wrote, from the document it committed (its attempt counted by that
    // commit); else a load, which counts this attempt (step-attempts.ts). Nothing to step: nothing pending (told
    // by the same statement), or an ended execution's leftovers (a late heartbeat, a stop after the end), which are
    // just consumed.
    const carried = own.carried;
    own.carried = undefined;
    const exec = carried ?? await store.executions.loadForStep(executionId, this.rt.incarnation);
    if (exec === undefined) return 'idle';
    if (exec === 'leftovers') return settleWithoutStep(store, executionId);
    const span = (t.span = this.rt.telemetry.startTransition(executionContext(exec), t.startedAt));
    this.rt.telemetry.describeExecution(span, exec.arn, exec.stateMachineArn);
    const { pending } = exec; // read in the same statement
    if (pending.length === 0) return 'idle';
    const ids = pending.map((p) => p.id);
    const program = await this.rt.programs.get(exec.stateMachineArn, exec.stateMachineRevision);
    const settings = await this.rt.revisionSettings.get(exec.stateMachineArn, exec.stateMachineRevision);
    const now = clock.now();
    // Under the evaluation budgets, off this event loop (evaluation/); never throws for what the definition does.
    const result = await stepAttempt(this.rt, exec, program, pending.map((p) => p.signal), now);
    this.rt.telemetry.describeStep(span, pending.length, result.events);
    this.rt.executionSpans.timersConsumed(span, pending.map((p) => p.signal), exec.doc);
    const logs = settings.logging && executionLogEntries(
      { arn: exec.arn, stateMachineName: exec.doc.context.stateMachineName, redriveCount: exec.redriveCount }, settings.logging, result.events,
    );
    let dispatch: Dispatch[] = [];
    let continued: Carried | undefined;
    const claim = this.eager.claim();
    // What fits in one statement is committed in one (no transaction around it: one round trip).
    const plan = logs && logs.length > 0 ? undefined : oneStatementPlan(executionId, exec.doc, result.doc, result.commands, claim);
    try {
      // In the span's context: database (and queue) instrumentations, when the app runs them, parent on it.
      dispatch = await context.with(trace.setSpan(context.active(), span), async () => {
        if (plan) {
          const r = await store.executions.commitStep({
            id: executionId, expectedVersion: exec.version, patch: patchFor(exec, result, now), guard: { consume: ids },
            events: result.events, tasks: plan.tasks, continueSignal: plan.continueSignal, finish: plan.finish,
            ...(mayCarry ? { continuedBy: this.rt.incarnation } : {}),
          });
          if (r.outcome !== 'done') throw new Conflict();
          // The next step starts from what this one committed, without a load, unless other signals wait: a load
          // then takes them with the continue (a stop or an answer is not held back by a chain of local steps).
          if (mayCarry && r.continueSignalId !== undefined && !r.othersPending) {
            continued = { ...afterCommit(exec, result), stepAttempts: 1, pending: [{ id: r.continueSignalId, signal: { kind: 'continue' } }] };
          }
          return plan.dispatch(r.continueSignalId);
        }
        return store.transaction(async (tx) => {
          // Every statement goes out at once (the store pipelines them: one round trip), the compare-and-set (which
          // also consumes what was stepped) first; when it loses, the transaction rolls back whatever else it did.
          const writes = new Writes();
          const cas = writes.add(tx.executions.updateConsuming(executionId, exec.version, patchFor(exec, result, now), ids));
          writes.add(tx.history.append(executionId, result.events));
          if (logs && logs.length > 0) writes.add(tx.executionLogs.enqueue(logs)); // delivered later (execution-log-shipper.ts)
          const commands = writes.add(applyCommands(tx, executionId, exec.doc, result.doc, result.commands, claim, exec.traceContext));
          await writes.done();
          if (!(await cas)) throw new Conflict();
          return commands;
        });
      });
    } catch (e) {
      this.eager.abandon(claim);
      if (lostRace(e)) return 'conflict';
      throw e;
    }
    this.rt.metrics.stepCommitted(exec, result.doc.status, result.events, now);
    this.rt.executionSpans.committed(exec, settings.tracing, pending.map((p) => p.signal), result, now, program.program);
    this.eager.start(claim, afterCommit(exec, result), work, this.commitOutcome);
    const mine = (d: Dispatch) => d.job.kind === 'transition' && d.job.executionId === executionId;
    const held = dispatch.filter(mine);
    if (held.length > 0) own.next = held[held.length - 1];
    own.carried = continued;
    await this.rt.dispatch(dispatch.filter((d) => !mine(d)));
    return 'committed';
  }
  /**
   * An answer the API took (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat, or GetActivityTask handing a task
   * out: its signals) and the transition it leads to, inside the caller's transaction (the one that used the token or
   * took the task): the answer commits with its step and no job sits between them, as an eager task's outcome does
   * (`commitOutcome`). The execution's row is locked
   * without waiting: when another transaction holds it, when a process began a step that has not committed
   * (`stepAttempts`: one is stepping it now, or crashed doing so, which the ordinary path's poison guard handles),
   * or when it has ended, nothing is written and undefined is returned: the caller records the signals the
   * ordinary way. Signals already pending are consumed in the same step, before the answer's.
   */
  async stepAnswer(tx: StoreSession, executionId: string, signals: readonly Signal[]): Promise<AnswerStep | undefined> {
    const { clock, telemetry } = this.rt;
    const exec = await tx.executions.lockForStep(executionId);
    if (!exec || exec.status !== 'RUNNING' || exec.stepAttempts > 0) return undefined;
    // Only with the revision's program and settings at hand: loading them would wait for a second connection of
    // the pool while this transaction holds one, and callers holding them all would wait for each other forever.
    const program = this.rt.programs.peek(exec.stateMachineArn, exec.stateMachineRevision);
    const settings = this.rt.revisionSettings.peek(exec.stateMachineArn, exec.stateMachineRevision);
    if (!program || !settings) {
      // Loaded meanwhile (not waited for) for the next answers to this revision.
      this.rt.programs.get(exec.stateMachineArn, exec.stateMachineRevision).catch(() => {});
      this.rt.revisionSettings.get(exec.stateMachineArn, exec.stateMachineRevision).catch(() => {});
      return undefined;
    }
    const started = performance.now();
    const span = telemetry.startTransition(executionContext(exec));
    try {
      telemetry.describeExecution(span, exec.arn, exec.stateMachineArn);
      const ids = exec.pending.map((p) => p.id);
      const now = clock.now();
      const result = await stepAttempt(this.rt, { ...exec, stepAttempts: 1 }, program, [...exec.pending.map((p) => p.signal), ...signals], now);
      telemetry.describeStep(span, exec.pending.length + signals.length, result.events);
      this.rt.executionSpans.timersConsumed(span, exec.pending.map((p) => p.signal), exec.doc);
      const logs = settings.logging && executionLogEntries(
        { arn: exec.arn, stateMachineName: exec.doc.context.stateMachineName, redriveCount: exec.redriveCount }, settings.logging, result.events,
      );
      // The row is locked: the compare-and-set and the consumption cannot lose (checked all the same).
      if (!(await tx.executions.update(executionId, exec.version, patchFor(exec, result, now)))) throw new Error(`execution ${executionId} changed under its row lock`);
      if (ids.length > 0 && (await tx.signals.consume(ids)) !== ids.length) throw new Error(`execution ${executionId}: pending signals changed under its row lock`);
      await tx.history.append(executionId, result.events);
      if (logs && logs.length > 0) await tx.executionLogs.enqueue(logs); // delivered later (execution-log-shipper.ts)
      const dispatch = await applyCommands(tx, executionId, exec.doc, result.doc, result.commands, undefined, exec.traceContext);
      return {
        committed: async () => {
          this.rt.metrics.stepCommitted(exec, result.doc.status, result.events, now);
          this.rt.executionSpans.committed(exec, settings.tracing, [...exec.pending.map((p) => p.signal), ...signals], result, now, program.program);
          await this.rt.dispatch(dispatch);
          telemetry.transitionEnded(span, 'committed', started, performance.now());
        },
        failed: (e) => endSpanWithError(span, e),
      };
    } catch (e) {
      endSpanWithError(span, e);
      throw e;
    }
  }

  /**
   * An eager task's outcome and the transition it leads to, in one transaction: release the claim, step from the
   * state this process last committed, append the events, write the commands (which may claim the next task).
   * Signals that arrived meanwhile are consumed in the same step. True when done (or when the claim was lost and
   * the outcome must be dropped); false: record it the ordinary way (signals and a transition job).
   */
  readonly commitOutcome = (task: TaskRecord, result: FinalTaskResult, work: EagerWork): Promise<boolean> =>
    this.serialised(task.executionId, () => this.stepOutcome(task, result, work));

  private async stepOutcome(task: TaskRecord, result: FinalTaskResult, work: EagerWork): Promise<boolean> {
    const { store, clock, telemetry } = this.rt;
    const { executionId, taskId } = task;
    const owner = this.rt.options.workerId;
    let exec = this.eager.current(executionId);
    for (let attempt = 0; attempt < 2; attempt++, exec = undefined) {
      exec ??= await store.executions.get(executionId);
      if (!exec || exec.status !== 'RUNNING') return false;
      const base = exec;
      const started = performance.now();
      const span = telemetry.startTransition(executionContext(base));
      telemetry.describeExecution(span, base.arn, base.stateMachineArn);
      try {
        // First from the state this process committed, assuming nothing is pending (the update checks it, in the
        // same statement that releases the claim); after a conflict, from a fresh load with the pending signals.
        const optimistic = attempt === 0;
        const pending = optimistic ? [] : await store.signals.pending(executionId);
        const ids = pending.map((p) => p.id);
        const program = await this.rt.programs.get(base.stateMachineArn, base.stateMachineRevision);
        const settings = await this.rt.revisionSettings.get(base.stateMachineArn, base.stateMachineRevision);
        const now = clock.now();
        const stepped = await stepAttempt(this.rt, { ...base, stepAttempts: 1 }, program, [...pending.map((p) => p.signal), ...outcomeSignals(task, result)], now);
        telemetry.describeStep(span, pending.length + 1, stepped.events);
        this.rt.executionSpans.timersConsumed(span, pending.map((p) => p.signal), base.doc);
        const logs = settings.logging && executionLogEntries(
          { arn: base.arn, stateMachineName: base.doc.context.stateMachineName, redriveCount: base.redriveCount }, settings.logging, stepped.events,
        );
        const claim = this.eager.claim();
        // What fits in one statement is committed in one (the optimistic case: nothing pending to consume).
        const plan = !optimistic || (logs && logs.length > 0) ? undefined : oneStatementPlan(executionId, base.doc, stepped.doc, stepped.commands, claim);
        let dispatch: Dispatch[];
        try {
          dispatch = await context.with(trace.setSpan(context.active(), span), async () => {
            if (plan) {
              const r = await store.executions.commitStep({
                id: executionId, expectedVersion: base.version, patch: patchFor(base, stepped, now), guard: { release: { taskId, owner } },
                events: stepped.events, tasks: plan.tasks, continueSignal: plan.continueSignal, finish: plan.finish,
              });
              if (r.outcome === 'claimLost') throw new ClaimLost();
              if (r.outcome === 'conflict') throw new Conflict();
              return plan.dispatch(r.continueSignalId);
            }
            return store.transaction(async (tx) => {
              if (optimistic) {
                // As in `attempt`: every statement at once, one round trip; a lost claim or race rolls them back.
                const writes = new Writes();
                const released = writes.add(tx.executions.updateReleasingTask(executionId, base.version, patchFor(base, stepped, now), { taskId, owner }));
                writes.add(tx.history.append(executionId, stepped.events));
                if (logs && logs.length > 0) writes.add(tx.executionLogs.enqueue(logs)); // delivered later (execution-log-shipper.ts)
                const commands = writes.add(applyCommands(tx, executionId, base.doc, stepped.doc, stepped.commands, claim, base.traceContext));
                try {
                  await writes.done();
                } catch (e) {
                  // The history insert collides when another process advanced the execution: what the release says
                  // (answered before it) tells a lost claim from a lost race.
                  const r = await released.catch(() => undefined);
                  if (r === 'claimLost') throw new ClaimLost();
                  throw e;
                }
                const r = await released;
                if (r === 'claimLost') throw new ClaimLost();
                if (r === 'conflict') throw new Conflict();
                return commands;
              } else {
                if (!(await tx.tasks.complete(executionId, taskId, owner))) throw new ClaimLost();
                if (!(await tx.executions.update(executionId, base.version, patchFor(base, stepped, now)))) throw new Conflict();
              }
              if (ids.length > 0 && (await tx.signals.consume(ids)) !== ids.length) throw new Conflict();
              await tx.history.append(executionId, stepped.events);
              if (logs && logs.length > 0) await tx.executionLogs.enqueue(logs); // delivered later (execution-log-shipper.ts)
              return applyCommands(tx, executionId, base.doc, stepped.doc, stepped.commands, claim, base.traceContext);
            });
          });
        } catch (e) {
          this.eager.abandon(claim);
          throw e;
        }
        this.rt.metrics.stepCommitted(base, stepped.doc.status, stepped.events, now);
        this.rt.executionSpans.committed(base, settings.tracing, pending.map((p) => p.signal), stepped, now, program.program);
        this.eager.start(claim, afterCommit(base, stepped), work, this.commitOutcome);
        await this.rt.dispatch(dispatch);
        telemetry.transitionEnded(span, 'committed', started, performance.now());
        return true;
      } catch (e) {
        if (e instanceof ClaimLost) {
          telemetry.transitionEnded(span, 'idle', started, performance.now());
          return true;
        }
        if (lostRace(e)) {
          telemetry.transitionEnded(span, 'conflict', started, performance.now());
          continue;
        }
        endSpanWithError(span, e);
        throw e;
      }
    }
    return false;
  }
}

/** What an answer's step leaves to do, once its transaction has committed or failed (`TransitionRunner.stepAnswer`). */
export interface AnswerStep {
  committed(): Promise<void>;
  failed(e: unknown): void;
}

/** The execution as the step's commit left it (the update bumps the version by one). */
function afterCommit(exec: ExecutionRecord, result: StepResult): ExecutionRecord {
  return { ...exec, doc: result.doc, status: result.doc.status, version: exec.version + 1 };
}

function patchFor(exec: ExecutionRecord, result: StepResult, now: number): ExecutionPatch {
  const doc = result.doc;
  const patch: ExecutionPatch = { doc, status: doc.status };
  if (doc.status !== 'RUNNING' && exec.status === 'RUNNING') {
    patch.stopDate = new Date(now);
    patch.output = doc.status === 'SUCCEEDED' ? JSON.stringify(doc.output ?? null) : null;
    patch.error = doc.error ?? null;
    patch.cause = doc.cause ?? null;
  }
  return patch;
}

export function isUniqueViolation(e: unknown): boolean {
  for (let x: unknown = e; x; x = (x as { cause?: unknown }).cause) {
    if ((x as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
