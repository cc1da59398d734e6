/**
 * The ports the engine needs, declared here and satisfied structurally by `@baton/store` (Postgres),
 * `@baton/queue` (BullMQ / in-process) and `@baton/integrations` (the task invoker). Only apps wire them.
 */
import type { ExecutionDoc, ExecutionStatus, HistoryEvent, Json, ScheduleTaskCommand, Signal, TimerPurpose } from '@baton/asl';
import type { MapRunRepo } from './map-run/ports.js';

// ------------------------------------------------------------------------------------------- records

export interface StateMachineRecord {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  status: string;
  definition: string;
  roleArn: string;
  revision: number;
  /** Null for a state machine's first revision: AWS shows no revision id until the first update. */
  revisionId: string | null;
  /** Stored as given and returned by Describe*; executions follow their revision's (observability/). */
  loggingConfiguration: Json | null;
  tracingConfiguration: Json | null;
  /** `{"type": "AWS_OWNED_KEY"}` when given; customer-managed keys are refused by the API. */
  encryptionConfiguration: Json | null;
  createdAt: Date;
  updatedAt: Date;
  /** The number the next published version gets: version numbers are never reused. */
  nextVersion: number;
  /** What CreateStateMachine was called with, for its idempotency check (AWS compares these too). */
  createdWithPublish: boolean;
  createdVersionDescription: string | null;
}

export interface RevisionRecord {
  stateMachineArn: string;
  revision: number;
  revisionId: string | null;
  definition: string;
  roleArn: string;
  loggingConfiguration: Json | null;
  tracingConfiguration: Json | null;
  encryptionConfiguration: Json | null;
  createdAt: Date;
}

/** A published version: an immutable snapshot of one revision. */
export interface VersionRecord {
  stateMachineArn: string;
  version: number;
  revision: number;
  description: string | null;
  createdAt: Date;
}

export interface AliasRoute {
  version: number;
  weight: number;
}

export interface AliasRecord {
  stateMachineArn: string;
  name: string;
  description: string | null;
  routing: AliasRoute[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ExecutionSummary {
  id: string;
  arn: string;
  stateMachineArn: string;
  stateMachineRevision: number;
  name: string;
  status: ExecutionStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: Date;
  stopDate: Date | null;
  /** Set when started through a version ARN or an alias ARN (the alias's name then too). */
  stateMachineVersion: number | null;
  stateMachineAlias: string | null;
  /** StartExecution's X-Ray trace header, kept for the tracing work to honour. */
  traceHeader: string | null;
  /** W3C traceparent of the execution's root span (trace id and the root's span id), drawn at the start. */
  traceContext: string | null;
  /** The caller's span a StartExecution continued (the root span's parent), if any. */
  traceCallerSpanId: string | null;
  /** RedriveExecution: how many times it was redriven, and when last (0 and null until then). */
  redriveCount: number;
  redriveDate: Date | null;
}

/** A client token that redrove an execution, and the redrive date it answers with (ISO-8601). */
export interface RedriveToken {
  token: string;
  redriveDate: string;
}

export interface ExecutionRecord extends ExecutionSummary {
  doc: ExecutionDoc;
  version: number;
  /** The latest client tokens that redrove it (RedriveExecution's idempotency). */
  redriveTokens: RedriveToken[];
}

/** The columns a start fills; where it came from (version, alias, trace header) is optional: null when absent. */
export type NewExecution = Omit<ExecutionRecord, 'id' | 'version' | 'redriveTokens' | 'redriveCount' | 'redriveDate' | 'stateMachineVersion' | 'stateMachineAlias' | 'traceHeader' | 'traceContext' | 'traceCallerSpanId'>
  & Partial<Pick<ExecutionRecord, 'stateMachineVersion' | 'stateMachineAlias' | 'traceHeader' | 'traceContext' | 'traceCallerSpanId'>>;

export interface ExecutionPatch {
  doc: ExecutionDoc;
  status: ExecutionStatus;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
  stopDate?: Date | null;
  /** RedriveExecution: the new count and date, and the client tokens kept. */
  redrive?: { count: number; date: Date; tokens: RedriveToken[] };
}

/** `ExecutionRepo.commitStep`'s input. */
export interface CommitStep {
  id: string;
  expectedVersion: number;
  patch: ExecutionPatch;
  guard: { consume: readonly string[] } | { release: { taskId: string; owner: string } };
  events: readonly HistoryEvent[];
  /** Without `claimedBy`: waiting for a task job; with it, inserted claimed under that lease (eager-tasks.ts). */
  tasks: readonly { request: ScheduleTaskCommand; claimedBy?: { owner: string; leaseUntil: Date } }[];
  continueSignal: boolean;
  /**
   * With `continueSignal`: the step-attempt owner (`Runtime.incarnation`) that steps the `continue` next, at once,
   * from the document it holds (no load): recorded as that step's attempt, as `loadForStep` would have.
   */
  continuedBy?: string;
  /** The step ended the execution: its other tasks, timers and activity tasks go, its open tokens time out. */
  finish: boolean;
}

/** `commitStep`'s outcome; when 'done', the `continue` signal's id and whether other signals were pending. */
export interface CommitStepOutcome {
  outcome: 'done' | 'claimLost' | 'conflict';
  continueSignalId?: string;
  othersPending?: boolean;
}

export interface PendingSignal {
  id: string;
  signal: Signal;
}

export interface TimerRecord {
  executionId: string;
  timerId: string;
  fireAt: Date;
  /** The interpreter's purposes, plus `poll`: the engine's own timer between two `.sync` polls of a task. */
  purpose: TimerPurpose | 'poll';
  taskId: string | null;
}

export type TaskStatus = 'scheduled' | 'running' | 'polling';

export interface TaskRecord {
  executionId: string;
  taskId: string;
  status: TaskStatus;
  request: ScheduleTaskCommand;
  started: boolean;
  claims: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  pollState: Json | null;
  pollCount: number;
}

export type TokenStatus = 'open' | 'completed' | 'timedOut';

export interface TokenRecord {
  executionId: string;
  taskId: string;
  status: TokenStatus;
  /** Its task has timed out, though the step that says so has not committed yet (see TokenRepo.lock). */
  late: boolean;
}

export interface ActivityRecord {
  arn: string;
  name: string;
  createdAt: Date;
  encryptionConfiguration?: Json | null;
}

export interface ActivityTaskRecord {
  executionId: string;
  taskId: string;
  activityArn: string;
  input: string;
  /** When its TimeoutSeconds runs out (epoch ms): not handed to a poller from then on. */
  expiresAt?: number;
}

export interface TagRecord {
  key: string;
  value: string;
}

export interface Page {
  offset: number;
  limit: number;
}

// ------------------------------------------------------------------------------------------- repositories

export interface StateMachineRepo {
  /** False when the name is taken. */
  insert(record: StateMachineRecord): Promise<boolean>;
  get(arn: string): Promise<StateMachineRecord | undefined>;
  /** Those of these ARNs that exist, in one read. */
  getMany(arns: readonly string[]): Promise<StateMachineRecord[]>;
  /** The row, locked until the transaction ends: publishes and updates of one machine take turns. */
  getForUpdate(arn: string): Promise<StateMachineRecord | undefined>;
  /** The highest revision stored under this ARN, 0 if none (a deleted machine's revisions outlive it). */
  lastRevision(arn: string): Promise<number>;
  update(arn: string, patch: Partial<Omit<StateMachineRecord, 'arn' | 'name' | 'type' | 'createdAt'>>): Promise<void>;
  delete(arn: string): Promise<void>;
  list(page: Page): Promise<StateMachineRecord[]>;
  insertRevision(record: RevisionRecord): Promise<void>;
  getRevision(stateMachineArn: string, revision: number): Promise<RevisionRecord | undefined>;
}

export interface ExecutionRepo {
  /** Undefined when (state machine, name) is taken. */
  insert(record: NewExecution): Promise<ExecutionRecord | undefined>;
  /**
   * Many starts, each with its `start` signal, in one statement (group commit; atomic without a transaction): the
   * results (the execution's id and start date, its signal's id) line up with `records`; undefined where
   * (state machine, name) is taken (or repeated earlier in the same call).
   */
  insertStarts(records: readonly { execution: NewExecution; signal: Signal }[]): Promise<({ id: string; startDate: Date; signalId: string } | undefined)[]>;
  get(id: string): Promise<ExecutionRecord | undefined>;
  getByArn(arn: string): Promise<ExecutionRecord | undefined>;
  getSummaryByArn(arn: string): Promise<ExecutionSummary | undefined>;
  /**
   * A RUNNING execution with signals pending, recording that `owner` (a per-process id) is about to step it:
   * `stepAttempts` counts the processes in a row that began a step without committing, this one included (`update`
   * resets it). Undefined when nothing is pending (or it does not exist); 'leftovers' when signals are pending but
   * it was not loaded (it has ended, or was being changed), told by the same statement.
   */
  loadForStep(id: string, owner: string): Promise<(ExecutionRecord & { stepAttempts: number; pending: PendingSignal[] }) | 'leftovers' | undefined>;
  /**
   * Inside a transaction: the execution with its pending signals, its row locked until the transaction ends
   * (FOR NO KEY UPDATE SKIP LOCKED: undefined at once, not a wait, when another transaction holds it).
   */
  lockForStep(id: string): Promise<(ExecutionRecord & { stepAttempts: number; pending: PendingSignal[] }) | undefined>;
  /** Compare-and-set on `version` (and the step attempts back to 0); false when someone else advanced it first. */
  update(id: string, expectedVersion: number, patch: ExecutionPatch): Promise<boolean>;
  /**
   * An eager task's outcome in one statement: releases `owner`'s claim on the task and advances the execution
   * under the compare-and-set on `version`, provided no signal is pending for it. 'claimLost': nothing changed;
   * 'conflict': the version moved or a signal is pending (roll back: the claim comes back).
   */
  updateReleasingTask(id: string, expectedVersion: number, patch: ExecutionPatch, task: { taskId: string; owner: string }): Promise<'done' | 'claimLost' | 'conflict'>;
  /**
   * `update` and the consumption of `signalIds` in one statement: true when both happened in full; false (roll back)
   * when the version moved or a signal was already consumed.
   */
  updateConsuming(id: string, expectedVersion: number, patch: ExecutionPatch, signalIds: readonly string[]): Promise<boolean>;
  /**
   * A whole step's commit in one statement (no transaction around it): the compare-and-set, the consumption of the
   * signals stepped (`consume`) or the release of an eager task's claim with nothing pending (`release`), the
   * events, the scheduled tasks, the `continue` signal and an ended execution's clean-up. Nothing is written unless
   * 'done'.
   */
  commitStep(c: CommitStep): Promise<CommitStepOutcome>;
  list(filter: ExecutionFilter, page: Page): Promise<ExecutionSummary[]>;
  /** One page of a bounded, newest-first search of one machine's executions (at most `scanLimit` rows examined). */
  search(query: ExecutionSearchQuery, limits: { pageSize: number; scanLimit: number }): Promise<ExecutionSearchResult>;
}

/** ListExecutions' filters: `version` / `alias` narrow to executions started through one; `redriven` to redrive_count > 0. */
export interface ExecutionFilter {
  stateMachineArn?: string;
  status?: string;
  version?: number;
  alias?: string;
  redriven?: boolean;
}

export interface VersionRepo {
  insert(record: VersionRecord): Promise<void>;
  get(stateMachineArn: string, version: number): Promise<VersionRecord | undefined>;
  /** The live version published from this revision, if any. */
  forRevision(stateMachineArn: string, revision: number): Promise<VersionRecord | undefined>;
  /** Newest first. */
  list(stateMachineArn: string, page: Page): Promise<VersionRecord[]>;
  count(stateMachineArn: string): Promise<number>;
  delete(stateMachineArn: string, version: number): Promise<void>;
  deleteAll(stateMachineArn: string): Promise<void>;
}

export interface AliasRepo {
  /** False when the name is taken. */
  insert(record: AliasRecord): Promise<boolean>;
  get(stateMachineArn: string, name: string): Promise<AliasRecord | undefined>;
  update(stateMachineArn: string, name: string, patch: { description: string | null; routing: AliasRoute[]; updatedAt: Date }): Promise<void>;
  delete(stateMachineArn: string, name: string): Promise<void>;
  deleteAll(stateMachineArn: string): Promise<void>;
  /** Oldest first. */
  list(stateMachineArn: string, page: Page): Promise<AliasRecord[]>;
  count(stateMachineArn: string): Promise<number>;
}

export interface ExecutionSearchQuery {
  stateMachineArn: string;
  status?: string;
  nameContains?: string;
  errorContains?: string;
  startedAfter?: Date;
  startedBefore?: Date;
  input?: { kind: 'equals'; path: string[]; value: string } | { kind: 'contains'; text: string };
  after?: { startDate: Date; id: string };
}

export interface ExecutionSearchResult {
  rows: {
    id: string; arn: string; stateMachineArn: string; name: string; status: ExecutionStatus; startDate: Date;
    stopDate: Date | null; error: string | null;
  }[];
  next?: { startDate: Date; id: string };
  scanned: number;
}

export interface HistoryRepo {
  append(executionId: string, events: readonly HistoryEvent[]): Promise<void>;
  list(executionId: string, options: Page & { reverse: boolean }): Promise<HistoryEvent[]>;
  /** Events with ids from `fromEventId` on, at most `limit`. */
  range(executionId: string, fromEventId: number, limit: number): Promise<HistoryEvent[]>;
  lastEventId(executionId: string): Promise<number>;
}

export interface SignalRepo {
  insert(executionId: string, signal: Signal): Promise<string>;
  pending(executionId: string): Promise<PendingSignal[]>;
  /** Marks them consumed; returns how many were still pending. */
  consume(ids: readonly string[]): Promise<number>;
  /** Executions with signals older than `before` still pending (the reconciler's view), with the newest signal id. */
  stale(before: Date, limit: number): Promise<{ executionId: string; signalId: string }[]>;
}

export interface TimerRepo {
  upsert(timer: TimerRecord): Promise<void>;
  delete(executionId: string, timerId: string): Promise<void>;
  deleteAll(executionId: string): Promise<void>;
  /** Deletes and returns due timers, skipping rows another replica holds (FOR UPDATE SKIP LOCKED). */
  claimDue(now: Date, limit: number): Promise<TimerRecord[]>;
  nextDue(): Promise<Date | undefined>;
}

/** Retention (migration 0010): see the store's repos/retention.ts. */
export interface RetentionRepo {
  /**
   * Deletes up to `limit` executions closed before `cutoff` with everything that hangs off them, oldest first;
   * a Distributed Map's children before their parent, never before it. Returns how many were deleted.
   */
  deleteClosedBefore(cutoff: Date, limit: number): Promise<number>;
  /** Creates the history partitions due ahead of the execution ids, drops the sealed ones left empty (migration 0012). */
  maintainHistoryPartitions(): Promise<{ created: string[]; dropped: string[] }>;
  autovacuumOn(): Promise<boolean>;
  /** VACUUM the tables the sweep deletes from (outside a transaction). */
  vacuum(): Promise<void>;
}

export interface TaskRepo {
  /** `claimedBy`: inserted already claimed (`running` under that owner's lease), for eager execution. */
  insert(executionId: string, request: ScheduleTaskCommand, claimedBy?: { owner: string; leaseUntil: Date }): Promise<void>;
  get(executionId: string, taskId: string): Promise<TaskRecord | undefined>;
  delete(executionId: string, taskId: string): Promise<void>;
  deleteAll(executionId: string): Promise<void>;
  /** scheduled -> running under a lease; undefined when it is not claimable. */
  claim(executionId: string, taskId: string, owner: string, leaseUntil: Date): Promise<TaskRecord | undefined>;
  renewLease(executionId: string, taskId: string, owner: string, leaseUntil: Date): Promise<boolean>;
  /** Deletes the row if `owner` still holds it; false when the claim was lost. */
  complete(executionId: string, taskId: string, owner: string): Promise<boolean>;
  /** running -> polling (waiting for a `.sync` poll timer) if `owner` still holds it. */
  park(executionId: string, taskId: string, owner: string, pollState: Json): Promise<boolean>;
  /** polling -> scheduled (the poll timer fired); returns the new poll count. */
  wake(executionId: string, taskId: string): Promise<number | undefined>;
  /** running -> scheduled (graceful shutdown hands the work back). */
  release(executionId: string, taskId: string, owner: string): Promise<boolean>;
  /** Deletes and returns tasks whose lease expired (their worker is gone). */
  takeExpired(now: Date, limit: number): Promise<TaskRecord[]>;
  stale(before: Date, limit: number): Promise<{ executionId: string; taskId: string; pollCount: number }[]>;
}

export interface TokenRepo {
  insert(tokenHash: string, executionId: string, taskId: string): Promise<void>;
  /**
   * Locks the token row for the caller's transaction, and says whether its task has timed out at `now` (epoch ms)
   * ahead of its step: its TimeoutSeconds timer due or fired, or its heartbeat timer with no heartbeat waiting.
   */
  lock(tokenHash: string, now: number): Promise<TokenRecord | undefined>;
  setStatus(tokenHash: string, status: TokenStatus): Promise<void>;
  /** Uses up the open tokens of one task (`completed`); returns how many were open. */
  completeOpen(executionId: string, taskId: string): Promise<number>;
  statuses(executionId: string, taskId: string): Promise<TokenStatus[]>;
  /**
   * Closes (`timedOut`) the open tokens of a task one of its timers ended; true when one was used meanwhile (an
   * answer accepted whose signal the step did not see: the step must be taken again, with it).
   */
  closeTimedOut(executionId: string, taskId: string): Promise<boolean>;
  /** Closes the still-open tokens of one task (or of every task when taskId is undefined). */
  close(executionId: string, taskId: string | undefined, status: TokenStatus): Promise<void>;
}

export interface ActivityRepo {
  insert(record: ActivityRecord): Promise<boolean>;
  get(arn: string): Promise<ActivityRecord | undefined>;
  delete(arn: string): Promise<void>;
  list(page: Page): Promise<ActivityRecord[]>;
  insertTask(record: ActivityTaskRecord): Promise<void>;
  deleteTask(executionId: string, taskId: string): Promise<void>;
  deleteTasks(executionId: string): Promise<void>;
  /** Deletes one task not yet handed to a poller; false when there was none. */
  removeTask(executionId: string, taskId: string): Promise<boolean>;
  /**
   * The oldest task neither expired at `now` (epoch ms) nor being taken, deleted; `more`: others may be left (never
   * false while one is). With `mustExist`, 'noSuchActivity' (and nothing taken) when the activity does not exist,
   * checked in the same statement.
   */
  takeTask(activityArn: string, now: number, mustExist?: boolean): Promise<(ActivityTaskRecord & { more: boolean }) | 'noSuchActivity' | undefined>;
}

export interface TagRepo {
  put(resourceArn: string, tags: readonly TagRecord[]): Promise<void>;
  remove(resourceArn: string, keys: readonly string[]): Promise<void>;
  list(resourceArn: string): Promise<TagRecord[]>;
  count(resourceArn: string): Promise<number>;
}

export interface SigningKeyRepo {
  /** The key kept for `purpose`, shared by every replica; `candidate` becomes it when none is kept yet (race-free). */
  getOrCreate(purpose: string, candidate: string): Promise<string>;
}

/** One execution log event waiting for delivery to CloudWatch Logs (execution-logs/). */
export interface ExecutionLogEntry {
  logGroupArn: string;
  stateMachineName: string;
  eventTime: Date;
  /** The log event as AWS writes it (JSON text). */
  message: string;
}

export interface ExecutionLogRepo {
  enqueue(entries: readonly ExecutionLogEntry[]): Promise<void>;
  /** Due entries, oldest first, leased until `leaseUntil` so that other replicas skip them meanwhile. */
  claimDue(now: Date, leaseUntil: Date, limit: number): Promise<(ExecutionLogEntry & { id: string; attempts: number })[]>;
  delete(ids: readonly string[]): Promise<void>;
  reschedule(ids: readonly string[], nextAttemptAt: Date, error: string): Promise<void>;
  backlog(): Promise<{ count: number; oldest: Date | undefined }>;
}

/** One database session: auto-commit outside `transaction`, or one transaction inside it. */
export interface StoreSession {
  readonly stateMachines: StateMachineRepo;
  readonly executions: ExecutionRepo;
  readonly history: HistoryRepo;
  readonly signals: SignalRepo;
  readonly timers: TimerRepo;
  readonly tasks: TaskRepo;
  readonly tokens: TokenRepo;
  readonly activities: ActivityRepo;
  readonly tags: TagRepo;
  readonly versions: VersionRepo;
  readonly aliases: AliasRepo;
  readonly signingKeys: SigningKeyRepo;
  readonly mapRuns: MapRunRepo;
  readonly executionLogs: ExecutionLogRepo;
  readonly retention: RetentionRepo;
  /** NOTIFY, delivered when the surrounding transaction commits. */
  notify(channel: string, payload: string): Promise<void>;
}

export interface EngineStore extends StoreSession {
  transaction<T>(fn: (tx: StoreSession) => Promise<T>): Promise<T>;
  /** LISTEN on a channel; returns a function that stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
}

/** Channels the engine notifies on. */
export const CHANNELS = { timers: 'baton_timers', activities: 'baton_activities' } as const;

// ------------------------------------------------------------------------------------------- queue

export type Job =
  | { kind: 'transition'; executionId: string }
  | { kind: 'task'; executionId: string; taskId: string }
  /** Drive a Map Run (start or wake its driver in this process, if no other process holds it). */
  | { kind: 'mapRun'; mapRunId: string };

export interface WorkQueue {
  enqueue(job: Job, options: { jobId: string; delayMs?: number }): Promise<void>;
  /** Several jobs as `enqueue` each, in one round trip where the driver can. Optional: else one by one. */
  enqueueMany?(jobs: readonly { job: Job; options: { jobId: string; delayMs?: number } }[]): Promise<void>;
  process(handler: (job: Job) => Promise<void>, options: { concurrency: number }): Promise<void> | void;
  /** Stops taking new jobs (graceful drain); active jobs go on and enqueue still works. Optional for test doubles. */
  pause?(): Promise<void>;
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------- task invoker

export interface TaskRequest {
  executionArn: string;
  stateMachineArn: string;
  stateName: string;
  taskId: string;
  resource: string;
  pattern: 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';
  parameters: Json;
  taskToken?: string;
  credentials?: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  attempt: number;
  region: string;
  poll?: { state: Json; count: number };
  /** W3C traceparent of this task attempt's span: integrations send it (and X-Amzn-Trace-Id) with the call. */
  traceparent?: string;
}

export type TaskResult =
  | { kind: 'succeeded'; output: Json }
  | { kind: 'failed'; error: string; cause?: string }
  /** waitForTaskToken: the call is made; the result comes through SendTaskSuccess/Failure. */
  | { kind: 'submitted'; output?: Json }
  /** .sync: not done yet; call again with `poll` after `afterMs` (a durable timer, never a blocked worker). */
  | { kind: 'poll'; afterMs: number; state: Json; output?: Json };

/** TestState's check of a mocked result against the model of the call it stands for. */
export type MockCheck = { kind: 'valid' } | { kind: 'invalid'; message: string } | { kind: 'noModel'; reason: string };

export interface TaskInvoker {
  invoke(request: TaskRequest, signal: AbortSignal): Promise<TaskResult>;
  /** Optional: without it, TestState refuses mocked Task results unless their fieldValidationMode is NONE. */
  checkMockResult?(resource: string, result: Json, mode: 'STRICT' | 'PRESENT'): MockCheck;
}

// ------------------------------------------------------------------------------------------- clock

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
