/**
 * RedriveExecution (AWS "Redriving executions"): an execution that ended FAILED, TIMED_OUT or ABORTED continues
 * from its unsuccessful step with the same input and definition; the steps that succeeded are not run again. For a
 * Parallel or inline Map state only the branches and iterations that failed or were aborted run again; the results
 * of the others are kept. A state that runs again is entered again with its retry counters at zero (AWS: "the retry
 * attempt count is reset on redrive").
 *
 * When the execution ends unsuccessfully, `capture` records in the document where each unfinished run stands (a
 * `RedrivePoint` tree); the `redrive` signal turns that tree back into runs: ExecutionRedriven first (with the new
 * `redriveCount`), then each run enters its state again, and a Parallel / Map resumes only its unsuccessful
 * children, before any child not yet started (MaxConcurrency applies to both).
 *
 * A Distributed Map state whose Map Run started is not entered again: MapRunRedriven is recorded (with the Map
 * Run's own redrive count) and a `redriveMapRun` command asks the engine to redrive that Map Run, whose unsuccessful
 * children run again while the others keep their results (AWS "Redriving Map Runs"); the state then waits for the
 * Map Run as it did the first time. A Map Run that never started (its ItemReader could not be resolved) starts
 * anew. An execution that ended at the history limit is not redrivable (AWS's reason).
 */
import type { MapNode, ParallelNode } from '../model/nodes.js';
import type { Stepper } from './stepper.js';
import type { JoinState, RedriveJoin, RedrivePoint, Run } from './types.js';

/** Failed Map iterations whose redrive resumes at the state that failed; later ones start over (see failedChild). */
export const MAX_DETAILED_FAILURES = 40;

export class Redrive {
  constructor(private readonly s: Stepper) {}

  /** The execution ends unsuccessfully: record where its top-level run resumes (nothing when it cannot). */
  capture(): void {
    const doc = this.s.doc;
    const root = doc.runs['0'];
    if (!root?.state) {
      doc.notRedrivable = 'Execution ended before any state ran and cannot be redriven';
      return;
    }
    doc.redrive = this.point(root);
  }

  /** Where `run` resumes, with its live or failed children. */
  point(run: Run): RedrivePoint {
    const p: RedrivePoint = {
      machine: run.machine, state: run.state!, stateInput: run.stateInput, variables: run.variables, enteredEventId: run.enteredEventId,
      ...(run.mapStart ? { mapStart: true } : {}),
    };
    const children = run.phase.kind === 'children' ? this.joinPoint(run.phase.join, run.phase.effectiveInput) : run.resume;
    if (children) p.children = children;
    const mapRun = run.phase.kind === 'mapRun'
      ? { mapRunArn: run.phase.mapRunArn, effectiveInput: run.phase.effectiveInput, redriveCount: run.phase.redriveCount ?? 0 }
      : run.resumeMapRun;
    if (mapRun) p.mapRun = mapRun;
    return p;
  }

  /**
   * Where a failed child resumes. A Map keeps the detailed point (the failed state, its input and variables) of its
   * first MAX_DETAILED_FAILURES failed iterations; later ones start over from their item (their input is computed
   * again), so a Map tolerating many failures keeps a document of bounded size, as it runs at most 40 iterations.
   */
  failedChild(child: Run, join: JoinState): RedrivePoint {
    if (join.type !== 'Map' || Object.keys(join.failedRuns ?? {}).length < MAX_DETAILED_FAILURES || join.items === undefined) return this.point(child);
    return { machine: child.machine, state: this.s.machine(child.machine).startAt, stateInput: null, variables: {}, enteredEventId: 0, mapStart: true };
  }

  /** A join's unsuccessful children: those that failed, and those still running (they are being aborted). */
  joinPoint(join: JoinState, effectiveInput: RedriveJoin['effectiveInput']): RedriveJoin {
    const pending: Record<number, RedrivePoint> = { ...join.resumeQueue, ...join.failedRuns };
    for (const [index, childId] of Object.entries(join.running)) {
      const child = this.s.doc.runs[childId];
      if (child?.state) pending[Number(index)] = this.point(child);
    }
    const { failedRuns: _f, resumeQueue: _q, ...kept } = join;
    return { join: { ...kept, running: {} }, effectiveInput, pending };
  }

  /** The `redrive` signal: false when the execution is running or has nothing to resume. */
  apply(redriveCount: number): boolean {
    const doc = this.s.doc;
    const point = doc.redrive;
    if (doc.status === 'RUNNING' || !point) return false;
    doc.status = 'RUNNING';
    delete doc.redrive;
    delete doc.error;
    delete doc.cause;
    delete doc.output;
    const now = this.s.env.now;
    doc.context = { ...doc.context, redriveCount, redriveTime: new Date(now).toISOString() };
    const root = this.run(point, '0', undefined, doc.eventSeq);
    this.s.emit(root, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount } });
    this.resume(root, point);
    // The execution's TimeoutSeconds counts again from the redrive.
    if (this.s.program.timeoutSeconds !== undefined) this.s.startTimer(root.id, 'executionTimeout', now + this.s.program.timeoutSeconds * 1000);
    return true;
  }

  /** A run made from a redrive point (not yet started: see `resume`). */
  run(point: RedrivePoint, id: string, parent: Run['parent'], lastEventId: number): Run {
    const run: Run = {
      id, machine: point.machine, lastEventId, variables: { ...point.variables }, state: point.state, phase: { kind: 'ready' },
      stateInput: point.stateInput, enteredEventId: point.enteredEventId, enteredTime: new Date(this.s.env.now).toISOString(),
      retryCounts: [], ...(parent ? { parent } : {}), ...(point.mapStart ? { mapStart: true } : {}),
    };
    this.s.doc.runs[id] = run;
    return run;
  }

  /**
   * Starts a resumed run: a Parallel / Map with children to resume waits for them (its state is not entered again);
   * any other run enters its state again.
   */
  resume(run: Run, point: RedrivePoint): void {
    if (point.mapRun) {
      const { mapRunArn, effectiveInput } = point.mapRun;
      const redriveCount = point.mapRun.redriveCount + 1;
      run.phase = { kind: 'mapRun', mapRunArn, effectiveInput, redriveCount };
      this.s.emit(run, 'MapRunRedriven', { mapRunRedrivenEventDetails: { mapRunArn, redriveCount } });
      this.s.commands.push({ kind: 'redriveMapRun', mapRunArn, redriveCount });
      return;
    }
    const children = point.children;
    if (!children) {
      this.s.ready.push(run.id);
      return;
    }
    const node = this.s.node(run) as ParallelNode | MapNode;
    const pending = Object.keys(children.pending).length;
    const join: JoinState = {
      ...children.join, running: {}, failed: 0, results: [...children.join.results], resumeQueue: children.pending,
    };
    for (const index of Object.keys(children.pending)) join.results[Number(index)] = null;
    run.phase = { kind: 'children', join, effectiveInput: children.effectiveInput };
    if (pending === 0 && join.nextIndex >= join.total) {
      // Every child had succeeded: the state failed after them (its output); it runs again as a whole.
      run.phase = { kind: 'ready' };
      this.s.ready.push(run.id);
      return;
    }
    this.s.branches.startMoreChildren(run, node, join);
  }
}
