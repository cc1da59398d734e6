/**
 * How runs and the execution end. A finished Parallel branch or Map iteration reports to its parent (branches.ts);
 * the top-level run ends the execution. An execution ends once: ExecutionSucceeded, ExecutionFailed,
 * ExecutionTimedOut or ExecutionAborted is its last event, every pending timer and task is cancelled and a
 * `finish` command is issued; nothing after that applies. Children a failed Parallel / Map leaves running are
 * aborted: their current state records {Type}StateAborted, and a Map iteration MapIterationAborted (AWS records
 * both for the iterations still running when a Map fails).
 */
import { jsonText, untruncated } from './event-details.js';
import type { Stepper } from './stepper.js';
import type { Run } from './types.js';

export class ExecutionEnd {
  private atHistoryLimit = false;

  constructor(private readonly s: Stepper) {}

  /** At the history limit only ExecutionSucceeded, or the ExecutionFailed that the limit itself causes, is recorded. */
  mayEndHistory(type: string): boolean {
    return (type === 'ExecutionSucceeded' && !this.s.historyFull) || (type === 'ExecutionFailed' && this.atHistoryLimit);
  }

  /** The execution outgrew its history (Stepper.historyFull): it fails, with AWS's cause. */
  failAtHistoryLimit(): void {
    this.atHistoryLimit = true;
    this.failExecution('States.Runtime', `The execution reached the maximum number of history events (${this.s.limits.historyEvents}).`);
  }

  finishRun(run: Run, outcome: NonNullable<Run['finished']>): void | Promise<void> {
    run.phase = { kind: 'done' };
    run.finished = outcome;
    if (run.parent) return this.s.branches.childFinished(run, outcome);
    if (outcome.ok) {
      this.endExecution('SUCCEEDED', 'ExecutionSucceeded', { executionSucceededEventDetails: { output: jsonText(outcome.output), outputDetails: untruncated } });
      this.s.doc.output = outcome.output;
      const finish = this.s.commands.find((c) => c.kind === 'finish');
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

  /** StopExecution. */
  abortExecution(error?: string, cause?: string): void {
    const details: Record<string, unknown> = {};
    if (error !== undefined) details.error = error;
    if (cause !== undefined) details.cause = cause;
    this.endExecution('ABORTED', 'ExecutionAborted', { executionAbortedEventDetails: details }, error, cause);
  }

  endExecution(
    status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED',
    type: string,
    details: Record<string, unknown>,
    error?: string,
    cause?: string,
  ): void {
    const doc = this.s.doc;
    if (doc.status !== 'RUNNING') return;
    if (this.s.historyFull && !this.atHistoryLimit) return this.failAtHistoryLimit();
    if (status !== 'SUCCEEDED') {
      // Where a RedriveExecution resumes (redrive.ts); AWS does not redrive an execution that hit the history limit.
      if (this.atHistoryLimit) doc.notRedrivable = 'Execution history event limit exceeded';
      else this.s.redrive.capture();
      for (const run of Object.values(doc.runs)) if (!run.parent) this.cancelTree(run);
    }
    for (const timerId of Object.keys(doc.timers)) this.s.commands.push({ kind: 'cancelTimer', timerId });
    for (const taskId of Object.keys(doc.tasks)) this.s.commands.push({ kind: 'cancelTask', taskId });
    doc.timers = {};
    doc.tasks = {};
    doc.status = status;
    if (error !== undefined) doc.error = error;
    if (cause !== undefined) doc.cause = cause;
    this.s.emit(doc.runs['0'], type, details);
    doc.runs = {};
    this.s.ready.length = 0;
    this.s.commands.push({
      kind: 'finish', status,
      ...(status === 'SUCCEEDED' ? { output: doc.output ?? null } : {}),
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  /** Cancels a run's pending work (and its children's) and records that its current state was aborted. */
  abortRun(run: Run, mapName: string | undefined): void {
    if (run.phase.kind === 'children') {
      for (const childId of Object.values(run.phase.join.running)) {
        const child = this.s.doc.runs[childId];
        if (child) this.abortRun(child, undefined);
        delete this.s.doc.runs[childId];
      }
    }
    this.s.distributed.abort(run);
    this.cancelPending(run);
    if (run.state && run.phase.kind !== 'ready' && !run.finished) {
      this.s.emit(run, `${this.s.node(run).kind}StateAborted`);
    }
    if (mapName !== undefined && run.parent) {
      this.s.emit(run, 'MapIterationAborted', { mapIterationAbortedEventDetails: { name: mapName, index: run.parent.index } });
    }
    run.phase = { kind: 'done' };
  }

  /** Cancels what the execution's runs wait on, silently: the execution is ending. */
  private cancelTree(run: Run): void {
    if (run.phase.kind === 'children') {
      for (const childId of Object.values(run.phase.join.running)) {
        const child = this.s.doc.runs[childId];
        if (child) this.cancelTree(child);
      }
    }
    this.cancelPending(run);
  }

  private cancelPending(run: Run): void {
    const phase = run.phase;
    if (phase.kind === 'task') {
      this.s.commands.push({ kind: 'cancelTask', taskId: phase.taskId });
      this.s.tasks.close(run, phase.taskId);
    } else if (phase.kind === 'wait' || phase.kind === 'retry') {
      this.s.cancelTimer(phase.timerId);
    } else if (phase.kind === 'mapRun') {
      this.s.distributed.stop(run);
    }
  }
}
