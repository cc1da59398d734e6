/**
 * What the Map Run machinery needs from the outside: the `map_runs` repository (satisfied by @baton/store), and
 * S3 access for ItemReader / ResultWriter (satisfied by @baton/integrations; the engine never imports an SDK).
 */
import type { ChildRecord, ItemSource, Json, Signal, StartMapRunCommand } from '@baton/asl';
import type { ExecutionSummary, NewExecution, Page } from '../ports.js';

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface MapRunCounts {
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
}

export interface MapRunSummary {
  id: string;
  arn: string;
  executionId: string;
  stateMachineArn: string;
  stateMachineRevision: number;
  status: MapRunStatus;
  maxConcurrency: number;
  toleratedFailureCount: number | null;
  toleratedFailurePercentage: number | null;
  readerPosition: Json | null;
  readerDone: boolean;
  itemsRead: number;
  nextChild: number;
  children: MapRunCounts;
  items: MapRunCounts;
  /** Items whose results the ResultWriter wrote, and the children they came from. */
  resultsWritten: number;
  childrenWritten: number;
  ending: 'FAILED' | 'ABORTED' | null;
  childrenStopped: boolean;
  error: string | null;
  cause: string | null;
  /** The field whose evaluation failed the Map Run (its ItemSelector), for the parent's EvaluationFailed event. */
  errorLocation: string | null;
  startDate: Date;
  stopDate: Date | null;
  redriveCount: number;
  redriveDate: Date | null;
}

export interface MapRunRecord extends MapRunSummary {
  spec: StartMapRunCommand;
}

export type NewMapRun = Pick<MapRunRecord, 'arn' | 'executionId' | 'stateMachineArn' | 'stateMachineRevision' | 'status' | 'spec'
  | 'maxConcurrency' | 'toleratedFailureCount' | 'toleratedFailurePercentage' | 'error' | 'cause' | 'startDate' | 'stopDate'>;

/** A child execution to create, with the items it covers. */
export interface NewChild {
  execution: NewExecution;
  start: Signal;
  index: number;
  firstItem: number;
  itemCount: number;
}

export interface ReaderProgress {
  position: Json | null;
  itemsRead: number;
  done: boolean;
}

export interface MapRunRepo {
  insert(run: NewMapRun): Promise<void>;
  /** The child state machine's definition (the ItemProcessor), kept as a revision so child programs load as any. */
  insertProcessorRevision(r: { stateMachineArn: string; revision: number; definition: string; roleArn: string; createdAt: Date }): Promise<void>;
  get(id: string): Promise<MapRunRecord | undefined>;
  getSummaryByArn(arn: string): Promise<MapRunSummary | undefined>;
  listForExecution(executionId: string, page: Page): Promise<MapRunSummary[]>;
  /** The Map Run a child execution belongs to. */
  ofChild(executionId: string): Promise<{ mapRunArn: string; itemCount: number } | undefined>;
  /** Takes (or renews) the right to drive a RUNNING Map Run until `until`; false when another owner holds it. */
  lease(id: string, owner: string, now: Date, until: Date): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;
  /** RUNNING Map Runs nobody drives (no lease, or an expired one). */
  orphaned(now: Date, limit: number): Promise<string[]>;
  /** Counts the children that ended since the last call, exactly once each. */
  countEnded(id: string): Promise<number>;
  /** Creates children under a compare-and-set on next_child; false when someone else created them first. */
  insertChildren(id: string, expectedNextChild: number, children: readonly NewChild[], progress: ReaderProgress):
    Promise<{ executionId: string; signalId: string }[] | undefined>;
  /** The first reason to end early wins (FAILED with its error, or ABORTED). */
  requestEnd(id: string, ending: 'FAILED' | 'ABORTED', error?: string, cause?: string, location?: string): Promise<void>;
  /**
   * A FAILED or ABORTED Map Run RUNNING again (redrive count and date), its unsuccessful children that can resume
   * redriven (with their `redrive` signals) and the counters moved back; undefined when it was not FAILED or ABORTED.
   */
  redrive(id: string, redriveCount: number, now: Date): Promise<{ children: { executionId: string; signalId: string }[] } | undefined>;
  /** Sends a stop signal to every running child, once. */
  stopChildren(id: string, error: string | undefined, cause: string | undefined): Promise<{ executionId: string; signalId: string }[]>;
  /** RUNNING -> the final status, with the parent's signal, in one transaction; false when already ended. */
  finish(id: string, end: { status: Exclude<MapRunStatus, 'RUNNING'>; error: string | null; cause: string | null; stopDate: Date; resultsWritten: number; childrenWritten: number },
    parent: { executionId: string; signal: Signal } | undefined): Promise<string | undefined>;
  update(id: string, patch: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): Promise<void>;
  /** Children in index order from `fromIndex`, as the results need them. */
  children(id: string, fromIndex: number, limit: number): Promise<(ChildRecord & { index: number; itemCount: number })[]>;
  listChildren(id: string, filter: { status?: string; redriven?: boolean }, page: Page): Promise<(ExecutionSummary & { itemCount: number })[]>;
}

/** A failure of the item source that ends the Map Run with States.ItemReaderFailed (the message is the cause). */
export class ItemReaderFailure extends Error {
  override readonly name = 'ItemReaderFailure';
}

/** A failure to export results that ends the Map Run with States.ResultWriterFailed. */
export class ResultWriterFailure extends Error {
  override readonly name = 'ResultWriterFailure';
}

export type S3ItemSource = Exclude<ItemSource, { kind: 'inline' }>;

/** One item read, and where reading resumes after it (a small JSON value the reader understands). */
export interface ReadItem {
  item: Json;
  position: Json;
}

/**
 * S3 for Map Runs. `read` streams items from `position` (null: the beginning) without loading the object whole;
 * it throws ItemReaderFailure for what the definition's author must fix (no such key, not a JSON array, ...).
 * `write` uploads one object from text chunks, streamed, and returns its size in bytes.
 */
export interface MapRunStorage {
  read(source: S3ItemSource, position: Json | null, signal: AbortSignal): AsyncIterable<ReadItem>;
  write(target: { bucket: string; key: string; region?: string }, body: AsyncIterable<string>): Promise<number>;
}
