/**
 * Parallel branches and Map iterations: each is a child run of the state's run, with its own StateEntered /
 * StateExited events. AWS records ParallelStateStarted / MapStateStarted (with the item count) first; a Map
 * iteration starts (at most MaxConcurrency at a time) with MapIterationStarted, once its ItemSelector input is
 * computed, and ends with MapIterationSucceeded / MapIterationFailed. Results keep input order. The state fails
 * at the first failed branch, or for a Map at the first failure beyond ToleratedFailureCount / Percentage
 * (States.ExceedToleratedFailureThreshold), aborting the children still running; once all finish it records
 * {Parallel|Map}StateSucceeded and the result array goes through the state's output data flow. A Distributed
 * Map is not run here: its iterations are child executions of a Map Run (distributed-map.ts).
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import type { MapNode, ParallelNode } from '../model/nodes.js';
import { detailsKey } from './event-details.js';
import type { Stepper } from './stepper.js';
import type { JoinState, Run } from './types.js';

export class Branches {
  constructor(private readonly s: Stepper) {}

  async startChildren(run: Run, node: ParallelNode | MapNode): Promise<void> {
    delete run.resume;
    if (node.kind === 'Map' && node.mode === 'DISTRIBUTED') return this.s.distributed.start(run, node);
    const plan = node.kind === 'Parallel' ? await this.s.flow.parallelInput(run, node) : await this.s.flow.mapInput(run, node);
    const total = node.kind === 'Parallel' ? node.branches.length : plan.items!.length;
    if (node.kind === 'Parallel') this.s.emit(run, 'ParallelStateStarted');
    else this.s.emit(run, 'MapStateStarted', { mapStateStartedEventDetails: { length: total } });
    if (plan.limitsError) throw plan.limitsError;
    const join: JoinState = {
      type: node.kind, total, maxConcurrency: inlineConcurrency(node, plan.maxConcurrency), nextIndex: 0, running: {},
      results: new Array<Json | null>(total).fill(null), succeeded: 0, failed: 0,
      ...(plan.toleratedFailureCount !== undefined ? { toleratedFailureCount: plan.toleratedFailureCount } : {}),
      ...(plan.toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage: plan.toleratedFailurePercentage } : {}),
      ...(plan.items ? { items: plan.items } : {}),
    };
    run.phase = { kind: 'children', join, effectiveInput: plan.effectiveInput };
    if (total === 0) return this.childrenDone(run, node, join);
    this.startMoreChildren(run, node, join, plan.branchInput);
  }

  /**
   * Starts children up to MaxConcurrency (0: all): first those a redrive resumes, then new ones. Map iterations
   * compute their input when they first run.
   */
  startMoreChildren(run: Run, node: ParallelNode | MapNode, join: JoinState, branchInput?: Json): void {
    const room = (): boolean => join.maxConcurrency === 0 || Object.keys(join.running).length < join.maxConcurrency;
    while (join.resumeQueue && room()) {
      const first = Object.keys(join.resumeQueue)[0];
      if (first === undefined) break;
      const index = Number(first);
      const point = join.resumeQueue[index]!;
      delete join.resumeQueue[index];
      const child = this.s.redrive.run(point, this.s.nextId(`${run.id}.`), { runId: run.id, index }, run.lastEventId);
      // An iteration that starts over takes its variables from the Map's run, as a new one does.
      if (point.mapStart) child.variables = { ...run.variables };
      if (run.silent) child.silent = true;
      join.running[index] = child.id;
      this.s.redrive.resume(child, point);
    }
    if (join.resumeQueue && Object.keys(join.resumeQueue).length === 0) delete join.resumeQueue;
    while (join.nextIndex < join.total && room()) {
      const index = join.nextIndex++;
      const machine = node.kind === 'Parallel' ? node.branches[index]! : node.processor;
      const child: Run = {
        id: this.s.nextId(`${run.id}.`),
        machine,
        parent: { runId: run.id, index },
        lastEventId: run.lastEventId,
        variables: { ...run.variables },
        state: this.s.machine(machine).startAt,
        phase: { kind: 'ready' },
        stateInput: node.kind === 'Parallel' ? (branchInput ?? null) : null,
        enteredEventId: 0,
        enteredTime: run.enteredTime,
        retryCounts: [],
        ...(run.silent ? { silent: true } : {}),
      };
      if (node.kind === 'Map') child.mapStart = true;
      join.running[index] = child.id;
      this.s.doc.runs[child.id] = child;
      this.s.ready.push(child.id);
    }
  }

  /** Map iterations compute their input (ItemSelector) and emit MapIterationStarted when they first run. */
  async prepareMapIteration(run: Run): Promise<boolean> {
    delete run.mapStart;
    const parent = this.s.doc.runs[run.parent!.runId];
    if (!parent || parent.phase.kind !== 'children') return false;
    const phase = parent.phase;
    const node = this.s.node(parent) as MapNode;
    const index = run.parent!.index;
    this.s.emit(run, 'MapIterationStarted', { mapIterationStartedEventDetails: { name: node.name, index } });
    try {
      run.stateInput = await this.s.flow.mapItemInput(parent, node, phase.effectiveInput, phase.join.items![index]!, index);
    } catch (e) {
      run.mapStart = true; // a redrive computes its input again
      await this.childrenFailed(parent, node, this.s.toStatesError(parent, node, e), run.id);
      return false;
    }
    return true;
  }

  async childFinished(child: Run, outcome: NonNullable<Run['finished']>): Promise<void> {
    const parent = this.s.doc.runs[child.parent!.runId];
    delete this.s.doc.runs[child.id];
    if (!parent || parent.phase.kind !== 'children') return;
    const node = this.s.node(parent) as ParallelNode | MapNode;
    const join = parent.phase.join;
    const index = child.parent!.index;
    delete join.running[index];
    if (node.kind === 'Parallel' && !outcome.ok && child.state && this.s.node(child).kind === 'Task') {
      // AWS closes a Parallel branch whose Task failed with TaskStateAborted (recorded in the SQS callback cases).
      this.s.emit(child, 'TaskStateAborted');
    }
    if (node.kind === 'Map') {
      const type = outcome.ok ? 'MapIterationSucceeded' : 'MapIterationFailed';
      this.s.emit(child, type, { [detailsKey(type)]: { name: node.name, index } });
      parent.lastEventId = child.lastEventId;
    }
    if (outcome.ok) {
      join.results[index] = outcome.output;
      join.succeeded++;
    } else {
      join.failed++;
      // Where this child resumes if the execution is redriven (a tolerated failure runs again too).
      if (child.state) join.failedRuns = { ...join.failedRuns, [index]: this.s.redrive.failedChild(child, join) };
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

  /** Without ToleratedFailure* no failure is tolerated; with them, either threshold not yet exceeded is enough. */
  private tolerated(join: JoinState): boolean {
    if (join.toleratedFailureCount === undefined && join.toleratedFailurePercentage === undefined) return join.failed === 0;
    if (join.toleratedFailureCount !== undefined && join.failed <= join.toleratedFailureCount) return true;
    if (join.toleratedFailurePercentage !== undefined && (join.failed / join.total) * 100 <= join.toleratedFailurePercentage) return true;
    return false;
  }

  private async childrenFailed(parent: Run, node: ParallelNode | MapNode, err: StatesError, failedChildId?: string): Promise<void> {
    if (parent.phase.kind !== 'children') return;
    parent.resume = this.s.redrive.joinPoint(parent.phase.join, parent.phase.effectiveInput);
    for (const childId of Object.values(parent.phase.join.running)) {
      const child = this.s.doc.runs[childId];
      if (child && childId !== failedChildId) this.s.end.abortRun(child, node.kind === 'Map' ? node.name : undefined);
      delete this.s.doc.runs[childId];
    }
    parent.phase = { kind: 'done' };
    await this.s.stateFailed(parent, node, err, node.kind === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
  }

  private async childrenDone(parent: Run, node: ParallelNode | MapNode, join: JoinState): Promise<void> {
    const effectiveInput = parent.phase.kind === 'children' ? parent.phase.effectiveInput : null;
    parent.phase = { kind: 'done' };
    // AWS points the StateExited event past the Succeeded event, at the last event before it.
    const beforeSucceeded = parent.lastEventId;
    this.s.emit(parent, node.kind === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
    parent.lastEventId = beforeSucceeded;
    try {
      const { output, assigned } = await this.s.flow.taskOutput(parent, node, effectiveInput, join.results as Json[]);
      await this.s.exitState(parent, node, output, undefined, assigned);
    } catch (e) {
      await this.s.stateFailed(parent, node, this.s.toStatesError(parent, node, e));
    }
  }
}

/**
 * "In this mode, the Map state supports up to 40 concurrent iterations" (AWS, inline Map): MaxConcurrency 0 or
 * above 40 still runs 40 at a time. This also keeps one step's work bounded: an inline Map over 100,000 items holds
 * 40 runs in the document, not 100,000, and each transition costs the same whatever the item count.
 */
export const INLINE_MAP_MAX_CONCURRENCY = 40;

function inlineConcurrency(node: ParallelNode | MapNode, requested: number | undefined): number {
  if (node.kind !== 'Map' || node.mode === 'DISTRIBUTED') return requested ?? 0;
  return Math.min(requested || INLINE_MAP_MAX_CONCURRENCY, INLINE_MAP_MAX_CONCURRENCY);
}
