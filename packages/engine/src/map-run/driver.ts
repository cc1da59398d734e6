/**
 * Drives one Map Run in this process while it holds the Map Run's lease (renewed every round; another process
 * takes over once it expires, e.g. after a SIGKILL). A round: count the children that ended (exactly once each),
 * then either end early (tolerance exceeded, reader failed, parent stopped: stop the running children, wait for
 * them, write the results), or create children while MaxConcurrency (read afresh each round, so UpdateMapRun
 * applies at once) leaves room, reading items as it goes, or, once every item is read and every child ended,
 * write the results and signal the parent. Everything it decides is committed before the next round; what it
 * holds in memory (the open reader, one open batch) is a cache it can lose.
 */
import { QueryEvaluationError, StatesError, TOLERANCE_EXCEEDED, toleranceExceeded, type Json, type Signal } from '@baton/asl';
import { cryptoRandom } from '../crypto.js';
import { transitionJob, type Dispatch } from '../job-ids.js';
import type { Runtime } from '../runtime.js';
import { newChild } from './children.js';
import type { MapRunSpec } from './commands.js';
import { ItemCursor } from './item-cursor.js';
import { ItemReaderFailure, ResultWriterFailure, type MapRunRecord, type MapRunStorage } from './ports.js';
import { collectResults, exportResults } from './results.js';

/** Children created per round at most: rounds stay short, so counting and UpdateMapRun are never far behind. */
const CHILDREN_PER_ROUND = 250;

export interface DriverOptions {
  leaseMs: number;
  pollMs: number;
  storage: MapRunStorage | undefined;
}

type Round = 'more' | 'wait' | 'done';

export class MapRunDriver {
  private spec: MapRunSpec | undefined;
  private cursor: ItemCursor | undefined;
  private wake: (() => void) | undefined;
  private woken = false;
  private stopped = false;

  constructor(private readonly rt: Runtime, private readonly id: string, private readonly options: DriverOptions) {}

  poke(): void {
    this.woken = true;
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Runs rounds until the Map Run ends, the lease is lost or the driver is stopped; releases the lease. */
  async run(): Promise<void> {
    const owner = this.rt.options.workerId;
    try {
      while (!this.stopped) {
        const now = this.rt.clock.now();
        if (!(await this.rt.store.mapRuns.lease(this.id, owner, new Date(now), new Date(now + this.options.leaseMs)))) return;
        const round = await this.round();
        if (round === 'done') return;
        if (round === 'wait') await this.pause();
      }
    } finally {
      this.cursor?.close();
      await this.rt.store.mapRuns.release(this.id, owner).catch(() => undefined);
    }
  }

  private pause(): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        this.woken = false;
        done();
      };
    });
  }

  private async round(): Promise<Round> {
    const repo = this.rt.store.mapRuns;
    await repo.countEnded(this.id);
    const run = await this.load();
    if (!run || run.status !== 'RUNNING') return 'done';
    if (run.ending) return this.endEarly(run);
    const failedItems = run.items.failed + run.items.timedOut + run.items.aborted;
    const limits = {
      ...(run.toleratedFailureCount !== null ? { toleratedFailureCount: run.toleratedFailureCount } : {}),
      ...(run.toleratedFailurePercentage !== null ? { toleratedFailurePercentage: run.toleratedFailurePercentage } : {}),
    };
    if (toleranceExceeded(limits, failedItems, run.readerDone ? run.itemsRead : undefined)) {
      await repo.requestEnd(this.id, 'FAILED', TOLERANCE_EXCEEDED.error, TOLERANCE_EXCEEDED.cause);
      return 'more';
    }
    if (run.readerDone) return run.children.running === 0 ? this.finish(run, 'SUCCEEDED', null, null) : 'wait';
    const room = Math.min(run.maxConcurrency - run.children.running, CHILDREN_PER_ROUND);
    if (room <= 0) return 'wait';
    try {
      return (await this.createChildren(run, room)) ? 'more' : 'wait';
    } catch (e) {
      if (e instanceof ItemReaderFailure) await repo.requestEnd(this.id, 'FAILED', 'States.ItemReaderFailed', e.message);
      else if (e instanceof QueryEvaluationError) await repo.requestEnd(this.id, 'FAILED', e.error, e.cause, e.location);
      else if (e instanceof StatesError) await repo.requestEnd(this.id, 'FAILED', e.error, e.cause);
      else throw e;
      this.dropCursor();
      return 'more';
    }
  }

  private async load(): Promise<MapRunRecord | undefined> {
    if (!this.spec) {
      const full = await this.rt.store.mapRuns.get(this.id);
      if (!full) return undefined;
      this.spec = full.spec as MapRunSpec;
      return full;
    }
    const summary = await this.rt.store.mapRuns.getSummaryByArn(this.spec.mapRunArn);
    return summary && { ...summary, spec: this.spec };
  }

  /** Reads items and creates up to `room` children in one transaction; true when it created any or finished reading. */
  private async createChildren(run: MapRunRecord, room: number): Promise<boolean> {
    if (!this.cursor || this.cursor.committed.itemsRead !== run.itemsRead) {
      this.dropCursor();
      const env = { random: cryptoRandom, now: this.rt.clock.now() };
      this.cursor = new ItemCursor(run.spec as MapRunSpec, this.options.storage, { position: run.readerPosition, itemsRead: run.itemsRead }, env, this.payloadLimit());
    }
    const { children, progress } = await this.cursor.take(room);
    const now = new Date(this.rt.clock.now());
    const scope = { mapRunArn: run.arn, stateMachineArn: run.stateMachineArn, stateMachineRevision: run.stateMachineRevision, spec: run.spec as MapRunSpec };
    const rows = children.map((c, i) => newChild(scope, run.nextChild + i, c, now));
    const created = await this.rt.store.transaction((tx) => tx.mapRuns.insertChildren(this.id, run.nextChild, rows, progress));
    if (!created) {
      this.dropCursor();
      return true;
    }
    this.rt.metrics.executionStarted(run.stateMachineArn, created.length);
    await this.dispatchAll(created.map((c) => transitionJob(c.executionId, c.signalId)));
    return children.length > 0 || progress.done;
  }

  /** Ending early: stop the running children once, wait until none runs, then finish with the recorded reason. */
  private async endEarly(run: MapRunRecord): Promise<Round> {
    this.dropCursor();
    if (!run.childrenStopped) {
      const error = run.ending === 'ABORTED' ? undefined : 'States.Runtime';
      const cause = run.ending === 'ABORTED' ? undefined : 'The Map Run this child execution belongs to failed';
      const stops = await this.rt.store.mapRuns.stopChildren(this.id, error, cause);
      await this.dispatchAll(stops.map((s) => transitionJob(s.executionId, s.signalId)));
      return 'more';
    }
    if (run.children.running > 0) return 'wait';
    return this.finish(run, run.ending === 'ABORTED' ? 'ABORTED' : 'FAILED', run.error, run.cause, run.errorLocation);
  }

  /** Writes the results, records the final status and signals the parent, which then leaves the Map state. */
  private async finish(run: MapRunRecord, status: 'SUCCEEDED' | 'FAILED' | 'ABORTED', error: string | null, cause: string | null, location: string | null = null): Promise<Round> {
    const spec = run.spec as MapRunSpec;
    let output: Json | undefined;
    let written = { items: 0, children: 0 };
    let end = { status, error, cause, location };
    let tooLarge = false;
    try {
      if (spec.writer?.bucket !== undefined && status !== 'ABORTED') {
        const region = run.arn.split(':')[3] ?? this.rt.options.region;
        const r = await exportResults(this.rt.store.mapRuns, this.options.storage, run, { ...spec.writer, bucket: spec.writer.bucket }, region);
        output = r.output;
        written = r.written;
      } else if (status === 'SUCCEEDED') {
        const results = await collectResults(this.rt.store.mapRuns, run, spec.writer?.transformation ?? 'COMPACT', this.payloadLimit());
        tooLarge = results === undefined;
        output = results ?? [];
      }
    } catch (e) {
      if (!(e instanceof ResultWriterFailure)) throw e;
      if (status === 'SUCCEEDED') end = { status: 'FAILED', error: 'States.ResultWriterFailed', cause: e.message, location: null };
    }
    const signal = this.endSignal(spec, end, output, tooLarge);
    const parent = signal ? { executionId: run.executionId, signal } : undefined;
    const signalId = await this.rt.store.transaction((tx) =>
      tx.mapRuns.finish(this.id, { ...end, stopDate: new Date(this.rt.clock.now()), resultsWritten: written.items, childrenWritten: written.children }, parent));
    const dispatch: Dispatch[] = signalId ? [transitionJob(run.executionId, signalId)] : [];
    await this.rt.dispatch(dispatch);
    return 'done';
  }

  /** The parent's signal; none for an aborted Map Run (its parent stopped it and no longer waits). */
  private endSignal(spec: MapRunSpec, end: { status: string; error: string | null; cause: string | null; location: string | null }, output: Json | undefined, tooLarge: boolean): Signal | undefined {
    if (end.status === 'ABORTED') return undefined;
    if (end.status === 'SUCCEEDED' && !tooLarge) return { kind: 'mapRunEnded', mapRunArn: spec.mapRunArn, status: 'SUCCEEDED', output: output ?? [] };
    if (tooLarge) {
      return {
        kind: 'mapRunEnded', mapRunArn: spec.mapRunArn, status: 'SUCCEEDED', error: 'States.DataLimitExceeded',
        cause: `The state/task '${spec.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      };
    }
    return {
      kind: 'mapRunEnded', mapRunArn: spec.mapRunArn, status: 'FAILED', ...(end.error !== null ? { error: end.error } : {}),
      ...(end.cause !== null ? { cause: end.cause } : {}), ...(end.location !== null ? { location: end.location } : {}),
    };
  }

  /** Enqueues many jobs at once (concurrent adds share the queue's connection round trips), not one after another. */
  private async dispatchAll(items: readonly Dispatch[]): Promise<void> {
    await Promise.all(items.map((d) => this.rt.dispatch([d])));
  }

  private payloadLimit(): number {
    return this.rt.options.limits.payloadBytes ?? 262_144;
  }

  private dropCursor(): void {
    this.cursor?.close();
    this.cursor = undefined;
  }
}
