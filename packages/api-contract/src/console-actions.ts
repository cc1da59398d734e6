/**
 * Operations Baton offers beyond the Step Functions API, for its REST surface (and so for the web console, which
 * is a client of that surface): read history by event id (incrementally, for live views), list the tasks of an
 * execution that wait for an answer from outside (an activity worker or a callback), answer one of them by its
 * task id, and search a state machine's executions. Same conventions as ./actions.ts: `Date` for timestamps,
 * payloads as JSON text, failures thrown as `ApiError` with AWS's codes.
 */
import type { ExecutionListItem, ExecutionStatus, HistoryEvent } from './actions.js';

// ---------------------------------------------------------------------------------------------------------
// History by event id

export interface GetExecutionEventsInput {
  executionArn: string;
  /** The first event id wanted (ids run 1..n without gaps). */
  fromEventId: number;
  /** At most this many events (1..1000). */
  maxResults: number;
  includeExecutionData?: boolean;
}
export interface GetExecutionEventsOutput {
  events: HistoryEvent[];
  /** The id of the newest event recorded so far (0 when there is none): what a reader still has to fetch. */
  lastEventId: number;
}

// ---------------------------------------------------------------------------------------------------------
// Tasks waiting for an answer from outside

/** An activity task or a `.waitForTaskToken` task of an execution, still waiting for its answer. */
export interface WaitingTask {
  /** The engine's id of the task, unique within the execution (never a task token). */
  taskId: string;
  stateName: string;
  resource: string;
  kind: 'activity' | 'callback';
  /** The worker took it (activity: GetActivityTask answered; callback: the call was made). */
  started: boolean;
  /** Where the task runs: the enclosing Map iterations and Parallel branches, outermost first. */
  path: { stateName: string; index: number }[];
}

export interface ListWaitingTasksInput {
  executionArn: string;
}
export interface ListWaitingTasksOutput {
  tasks: WaitingTask[];
}

export type TaskOutcome = { kind: 'success'; output: string } | { kind: 'failure'; error?: string; cause?: string };

export interface CompleteWaitingTaskInput {
  executionArn: string;
  taskId: string;
  outcome: TaskOutcome;
}
export type CompleteWaitingTaskOutput = Record<string, never>;

// ---------------------------------------------------------------------------------------------------------
// Searching executions

/** `path = value` on the execution input (`orderId = A-17`, `customer.id = 7`), or text the input contains. */
export type InputMatch = { kind: 'equals'; path: string[]; value: string } | { kind: 'contains'; text: string };

export interface SearchExecutionsInput {
  stateMachineArn: string;
  statusFilter?: ExecutionStatus;
  /** Case-insensitive substring of the execution name. */
  nameContains?: string;
  /** Case-insensitive substring of the error name of a failed, timed-out or aborted execution. */
  errorContains?: string;
  startedAfter?: Date;
  startedBefore?: Date;
  input?: InputMatch;
  maxResults?: number;
  /** Where the previous page stopped (from `nextCursor`). */
  cursor?: string;
}

/** An execution as ListExecutions lists it, with its error name when it failed. */
export interface SearchExecutionsItem extends ExecutionListItem {
  error?: string;
}

export interface SearchExecutionsOutput {
  executions: SearchExecutionsItem[];
  /** Continue from here; absent when every execution that can match has been examined. */
  nextCursor?: string;
  /** How many executions this request examined (searches read a bounded number of rows per request). */
  scanned: number;
}

/** What Baton's REST surface needs of the engine beyond `SfnBackend`. */
export interface ConsoleBackend {
  getExecutionEvents(input: GetExecutionEventsInput): Promise<GetExecutionEventsOutput>;
  listWaitingTasks(input: ListWaitingTasksInput): Promise<ListWaitingTasksOutput>;
  completeWaitingTask(input: CompleteWaitingTaskInput): Promise<CompleteWaitingTaskOutput>;
  searchExecutions(input: SearchExecutionsInput): Promise<SearchExecutionsOutput>;
}
