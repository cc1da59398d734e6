/** Executions: the document, its version (the compare-and-set guard) and the columns the API lists and filters. */
import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { ExecutionDoc, ExecutionStatus, HistoryEvent, ScheduleTaskCommand, Signal } from '@baton/asl';
import { named, prepared } from '../prepared.js';
import { json, type DB } from '../schema.js';
import { eventColumns } from './history.js';
import { searchExecutions, type ExecutionSearchQuery, type ExecutionSearchResult } from './execution-search.js';

export interface ExecutionSummaryRow {
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
  /** The version it runs when started through a version or an alias ARN, and that alias's name. */
  stateMachineVersion: number | null;
  stateMachineAlias: string | null;
  /** The X-Ray trace header StartExecution was given (kept for the tracing work to honour). */
  traceHeader: string | null;
  /** W3C traceparent of the execution's root span (its trace and span ids), drawn at the start. */
  traceContext: string | null;
  /** The caller's span a StartExecution continued (the root span's parent), if any. */
  traceCallerSpanId: string | null;
  redriveCount: number;
  redriveDate: Date | null;
}

/** A start written by `insertStarts`: the execution's id and start date, and its `start` signal's id. */
export interface StartedRow {
  id: string;
  startDate: Date;
  signalId: string;
}

/** A client token that redrove an execution, and the redrive it started (RedriveExecution's idempotency). */
export interface RedriveTokenRow {
  token: string;
  redriveDate: string;
}

export interface ExecutionRow extends ExecutionSummaryRow {
  doc: ExecutionDoc;
  version: number;
  redriveTokens: RedriveTokenRow[];
}

/** What a start fills; the origin columns (version, alias, trace header) default to null. */
export type NewExecutionRow = Omit<ExecutionRow, 'id' | 'version' | 'redriveTokens' | 'redriveCount' | 'redriveDate' | 'stateMachineVersion' | 'stateMachineAlias' | 'traceHeader' | 'traceContext' | 'traceCallerSpanId'>
  & Partial<Pick<ExecutionRow, 'stateMachineVersion' | 'stateMachineAlias' | 'traceHeader' | 'traceContext' | 'traceCallerSpanId'>>;

/** `commitStep`'s input: the step's patch, what guards it, and what it writes (documents as JSON text). */
export interface CommitStepRow {
  id: string;
  expectedVersion: number;
  patch: ExecutionPatchRow;
  guard: { consume: readonly string[] } | { release: { taskId: string; owner: string } };
  events: readonly HistoryEvent[];
  /** Without `claimedBy`: waiting for a task job; with it, inserted claimed (`running`, one claim) under that lease. */
  tasks: readonly { request: ScheduleTaskCommand; claimedBy?: { owner: string; leaseUntil: Date } }[];
  continueSignal: boolean;
  /**
   * With `continueSignal`: the process (its step-attempt owner) that steps the `continue` next, at once, from the
   * document it holds: recorded as that step's attempt (`step_attempts` 1), as `loadForStep` would have.
   */
  continuedBy?: string;
  /** The step ended the execution: its other tasks, timers and activity tasks go, its open tokens time out. */
  finish: boolean;
}

/** What `commitStep` did: 'done' with the new `continue` signal's id (if any), and whether other signals were pending. */
export interface CommitStepResult {
  outcome: 'done' | 'claimLost' | 'conflict';
  continueSignalId?: string;
  othersPending?: boolean;
}

export interface ExecutionPatchRow {
  doc: ExecutionDoc;
  status: ExecutionStatus;
  output?: string | null;
  error?: string | null;
  cause?: string | null;
  stopDate?: Date | null;
  /** RedriveExecution: the new count and date, and the client tokens kept for idempotency. */
  redrive?: { count: number; date: Date; tokens: RedriveTokenRow[] };
}

/** The columns of an execution summary (other repositories join executions and map them with `toSummary`). */
export const SUMMARY = [
  'id', 'arn', 'state_machine_arn', 'state_machine_revision', 'name', 'status', 'input', 'output', 'error', 'cause',
  'start_date', 'stop_date', 'state_machine_version', 'state_machine_alias', 'trace_header', 'redrive_count', 'redrive_date',
  'trace_context', 'trace_caller_span_id',
] as const;

/** What ListExecutions filters on; `version` / `alias` narrow to executions started through one. */
export interface ExecutionFilter {
  stateMachineArn?: string;
  status?: string;
  version?: number;
  alias?: string;
  redriven?: boolean;
}

/**
 * StartExecution's group commit: $1 is a JSON array of the new executions, each with its `start` signal (the document
 * and the signal as JSON text), its place in
 * the batch (`ord`) and whether it is the first of its ARN in the batch (`first`). The executions are inserted in
 * batch order (ON CONFLICT DO NOTHING: a taken name, or a name repeated later in the batch, is skipped), the signals
 * of those created in the same statement, from the inserted rows' RETURNING. Kept as one text so that
 * Kysely builds nothing per batch (building a multi-row insert cost more CPU than the rest of a start), and prepared
 * on the server (prepared.ts).
 */
const INSERT_STARTS = prepared('insert_starts', `
WITH batch AS (
  SELECT * FROM json_to_recordset($1::json) AS b(
    ord integer, first boolean, arn text, state_machine_arn text, state_machine_revision integer, name text, status text,
    input text, output text, error text, cause text, start_date timestamptz, stop_date timestamptz, doc text,
    state_machine_version integer, state_machine_alias text, trace_header text, trace_context text,
    trace_caller_span_id text, signal text)
), created AS (
  INSERT INTO executions (arn, state_machine_arn, state_machine_revision, name, status, input, output, error, cause,
    start_date, stop_date, doc, state_machine_version, state_machine_alias, trace_header, trace_context, trace_caller_span_id)
  SELECT arn, state_machine_arn, state_machine_revision, name, status, input, output, error, cause,
    start_date, stop_date, doc::json, state_machine_version, state_machine_alias, trace_header, trace_context, trace_caller_span_id
  FROM batch ORDER BY ord
  ON CONFLICT DO NOTHING
  RETURNING id, arn, start_date
), started AS (
  INSERT INTO signals (execution_id, body)
  SELECT created.id, batch.signal::json FROM created JOIN batch ON batch.arn = created.arn AND batch.first
  RETURNING id, execution_id
)
SELECT created.id::text AS id, created.arn, created.start_date, started.id::text AS signal_id
FROM created JOIN started ON started.execution_id = created.id`);

/** The columns of a new execution, for the single and the group-committed insert alike. */
function newRow(r: NewExecutionRow) {
  return {
    arn: r.arn, state_machine_arn: r.stateMachineArn, state_machine_revision: r.stateMachineRevision, name: r.name,
    status: r.status, input: r.input, output: r.output, error: r.error, cause: r.cause, start_date: r.startDate,
    stop_date: r.stopDate, doc: json(r.doc), state_machine_version: r.stateMachineVersion ?? null,
    state_machine_alias: r.stateMachineAlias ?? null, trace_header: r.traceHeader ?? null,
    trace_context: r.traceContext ?? null, trace_caller_span_id: r.traceCallerSpanId ?? null,
  };
}

export class Executions {
  constructor(private readonly db: Kysely<DB>, private readonly durableStepAttempts = false) {}

  async insert(r: NewExecutionRow): Promise<ExecutionRow | undefined> {
    const row = await this.db.insertInto('executions').values(newRow(r)).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
    return row && toRow(row);
  }

  /**
   * Group commit of StartExecution (the engine's StartBatcher): the executions and their `start` signals in one
   * statement (atomic on its own, so one round trip and no BEGIN/COMMIT), INSERT_STARTS. Results line up with
   * `records`; undefined where the (state machine, name) is taken, also by an earlier record of the same call (rows
   * are inserted in order, so the first of a repeated name is the one created, and only it gets a signal).
   */
  async insertStarts(records: readonly { execution: NewExecutionRow; signal: Signal }[]): Promise<(StartedRow | undefined)[]> {
    if (records.length === 0) return [];
    const firstOf = new Map<string, number>();
    records.forEach((r, i) => {
      if (!firstOf.has(r.execution.arn)) firstOf.set(r.execution.arn, i);
    });
    // One JSON parameter for the whole batch: the statement's text stays the same whatever the batch's size. The
    // documents go in as JSON text (a string member), not nested: Postgres unescapes the strings of a JSON it takes
    // apart, and a \u0000 in a document (legal in a json column) cannot be unescaped into text.
    const batch = JSON.stringify(records.map(({ execution: e, signal }, i) => ({
      ord: i, first: firstOf.get(e.arn) === i, arn: e.arn, state_machine_arn: e.stateMachineArn,
      state_machine_revision: e.stateMachineRevision, name: e.name, status: e.status, input: e.input, output: e.output,
      error: e.error, cause: e.cause, start_date: e.startDate, stop_date: e.stopDate, doc: json(e.doc),
      state_machine_version: e.stateMachineVersion ?? null, state_machine_alias: e.stateMachineAlias ?? null,
      trace_header: e.traceHeader ?? null, trace_context: e.traceContext ?? null, trace_caller_span_id: e.traceCallerSpanId ?? null,
      signal: json(signal),
    })));
    const { rows } = await this.db.executeQuery(CompiledQuery.raw(INSERT_STARTS, [batch]));
    const byArn = new Map((rows as { id: string; arn: string; start_date: Date; signal_id: string }[])
      .map((row) => [row.arn, { id: String(row.id), startDate: row.start_date, signalId: String(row.signal_id) }]));
    return records.map(({ execution }, i) => (firstOf.get(execution.arn) === i ? byArn.get(execution.arn) : undefined));
  }

  async get(id: string): Promise<ExecutionRow | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRow(row);
  }

  async getByArn(arn: string): Promise<ExecutionRow | undefined> {
    const row = await this.db.selectFrom('executions').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && toRow(row);
  }

  async getSummaryByArn(arn: string): Promise<ExecutionSummaryRow | undefined> {
    const row = await this.db.selectFrom('executions').select(SUMMARY).where('arn', '=', arn).executeTakeFirst();
    return row && toSummary(row);
  }

  /**
   * Loads a RUNNING execution that has signals pending and records that `owner` (a per-process id) is about to
   * step it, in one statement: `stepAttempts` counts the processes in a row that began a step without committing
   * (another attempt by the same owner does not count again). Unless `durableStepAttempts`, its commit is not
   * waited for (synchronous_commit off for this statement alone): the record must survive the crash of the process
   * about to step, and a Postgres server outlives that process. Undefined when nothing is pending (or the execution
   * does not exist); 'leftovers' when signals are pending but it was not loaded (it has ended, or another
   * transaction was changing it): told in the same statement, so a job's last look (nothing left) is one round trip.
   */
  async loadForStep(id: string, owner: string): Promise<(ExecutionRow & { stepAttempts: number; pending: { id: string; signal: Signal }[] }) | 'leftovers' | undefined> {
    // The pending signals come back in the same round trip (those committed before this statement began).
    const { rows } = await this.db.executeQuery<Selectable<DB['executions']> & { pending_signals: { id: string | number; body: Signal }[] | null; leftovers: boolean }>(
      CompiledQuery.raw(LOAD_FOR_STEP, [id, owner, this.durableStepAttempts ? 'on' : 'off']));
    const row = rows[0]!;
    if (row.leftovers) return 'leftovers';
    if (row.id === null || row.pending_signals === null) return undefined;
    const { pending_signals: pending, leftovers: _, ...rest } = row;
    return { ...toRow(rest), stepAttempts: row.step_attempts, pending: pending.map((p) => ({ id: String(p.id), signal: p.body })) };
  }

  /**
   * Inside a transaction: the execution and its pending signals, its row locked until the transaction ends; undefined
   * when it does not exist or another transaction holds the row (SKIP LOCKED: the caller never waits on a step).
   *
   * Two statements, sent together (one round trip in a pipelined transaction), the signals read by the second. In one
   * statement, a step committed between the statement's start and its taking the row would hand over the row as that
   * commit left it, but the signals as they were before it: the ones it consumed would come back as pending (Postgres
   * re-reads a locked row that changed, not the rest of the statement). The second statement begins once the row is
   * held, and every writer consumes signals only under the row's lock, so what it reads stays true to the end.
   */
  async lockForStep(id: string): Promise<(ExecutionRow & { stepAttempts: number; pending: { id: string; signal: Signal }[] }) | undefined> {
    const locking = this.db.executeQuery<Selectable<DB['executions']>>(CompiledQuery.raw(LOCK_FOR_STEP, [id]));
    const signals = this.db.executeQuery<{ id: string; body: Signal }>(CompiledQuery.raw(PENDING_SIGNALS, [id]));
    const [locked, pending] = await Promise.allSettled([locking, signals]);
    if (locked.status === 'rejected') throw locked.reason;
    if (pending.status === 'rejected') throw pending.reason;
    const row = locked.value.rows[0];
    if (!row) return undefined;
    return { ...toRow(row), stepAttempts: row.step_attempts, pending: pending.value.rows.map((p) => ({ id: p.id, signal: p.body })) };
  }

  async update(id: string, expectedVersion: number, p: ExecutionPatchRow): Promise<boolean> {
    const set: Record<string, unknown> = { doc: json(p.doc), status: p.status, version: sql`version + 1`, step_attempts: 0, step_owner: null };
    if (p.output !== undefined) set.output = p.output;
    if (p.error !== undefined) set.error = p.error;
    if (p.cause !== undefined) set.cause = p.cause;
    if (p.stopDate !== undefined) set.stop_date = p.stopDate;
    if (p.redrive !== undefined) {
      set.redrive_count = p.redrive.count;
      set.redrive_date = p.redrive.date;
      set.redrive_tokens = json(p.redrive.tokens);
    }
    const q = this.db.updateTable('executions').set(set).where('id', '=', id).where('version', '=', expectedVersion).compile();
    // A step that does not end the execution (nearly all) sets the same columns: that text is named (prepared.ts).
    const plain = p.output === undefined && p.error === undefined && p.cause === undefined && p.stopDate === undefined && p.redrive === undefined;
    const res = await this.db.executeQuery(plain ? named('update_step', q) : q);
    return Number(res.numAffectedRows) === 1;
  }

  /**
   * A transition's write, in one statement (one round trip where `update` and the signals' `consume` took two):
   * advances the execution under the compare-and-set on its version and marks `signalIds` consumed. True when both
   * happened in full; false when the version moved or a signal was already consumed (the caller rolls back, which
   * undoes the part that was done). The signals are locked after the execution's row (the update is what their
   * update waits for), the order every other writer of both keeps.
   */
  async updateConsuming(id: string, expectedVersion: number, p: ExecutionPatchRow, signalIds: readonly string[]): Promise<boolean> {
    const extra = [
      p.output !== undefined ? sql`, output = ${p.output}` : sql``,
      p.error !== undefined ? sql`, error = ${p.error}` : sql``,
      p.cause !== undefined ? sql`, cause = ${p.cause}` : sql``,
      p.stopDate !== undefined ? sql`, stop_date = ${p.stopDate}` : sql``,
      p.redrive !== undefined
        ? sql`, redrive_count = ${p.redrive.count}, redrive_date = ${p.redrive.date}, redrive_tokens = ${json(p.redrive.tokens)}`
        : sql``,
    ];
    const { rows } = await sql<{ updated: number; consumed: number }>`
      WITH upd AS (
        UPDATE executions
        SET doc = ${json(p.doc)}, status = ${p.status}, version = version + 1, step_attempts = 0, step_owner = NULL ${sql.join(extra, sql``)}
        WHERE id = ${id} AND version = ${expectedVersion}
        RETURNING 1
      ), consumed AS (
        UPDATE signals SET consumed_at = now()
        WHERE id = ANY(${signalIds.map(String)}::bigint[]) AND consumed_at IS NULL AND EXISTS (SELECT 1 FROM upd)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM upd)::int AS updated, (SELECT count(*) FROM consumed)::int AS consumed`.execute(this.db);
    const r = rows[0]!;
    return r.updated === 1 && r.consumed === signalIds.length;
  }

  /**
   * An eager task's outcome, in one statement (one round trip): releases `owner`'s claim on the task and advances
   * the execution under the compare-and-set on its version, provided no signal is pending for it (the step that
   * produced `p` did not see any). 'claimLost': the claim was gone (nothing changed); 'conflict': the version moved
   * or a signal is pending (the caller rolls back, which restores the claim).
   */
  async updateReleasingTask(id: string, expectedVersion: number, p: ExecutionPatchRow, task: { taskId: string; owner: string }): Promise<'done' | 'claimLost' | 'conflict'> {
    const extra = [
      p.output !== undefined ? sql`, output = ${p.output}` : sql``,
      p.error !== undefined ? sql`, error = ${p.error}` : sql``,
      p.cause !== undefined ? sql`, cause = ${p.cause}` : sql``,
      p.stopDate !== undefined ? sql`, stop_date = ${p.stopDate}` : sql``,
    ];
    const { rows } = await sql<{ claimed: number; updated: number }>`
      WITH done AS (
        DELETE FROM tasks
        WHERE execution_id = ${id} AND task_id = ${task.taskId} AND status = 'running' AND lease_owner = ${task.owner}
        RETURNING 1
      ), upd AS (
        UPDATE executions
        SET doc = ${json(p.doc)}, status = ${p.status}, version = version + 1, step_attempts = 0, step_owner = NULL ${sql.join(extra, sql``)}
        WHERE id = ${id} AND version = ${expectedVersion} AND EXISTS (SELECT 1 FROM done)
          AND NOT EXISTS (SELECT 1 FROM signals WHERE execution_id = ${id} AND consumed_at IS NULL)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM done)::int AS claimed, (SELECT count(*) FROM upd)::int AS updated`.execute(this.db);
    const r = rows[0]!;
    return r.claimed === 0 ? 'claimLost' : r.updated === 0 ? 'conflict' : 'done';
  }

  /**
   * A whole step's commit in one statement: one round trip and no BEGIN/COMMIT (a statement is atomic on its own).
   * Advances the execution under the compare-and-set on its version and, only when that happened, consumes the
   * signals the step read (`consume`; all of them or nothing) or releases an eager task's claim (`release`; then no
   * signal may be pending: the step saw none), appends the events (primary key: a second guard; a collision fails
   * the statement, nothing is written), inserts the tasks the step scheduled (claimed by an eager caller, or
   * waiting for a job), the `continue` signal, and, when the step ended the execution, removes its tasks, timers
   * and activity tasks and closes its open tokens. 'claimLost': the released claim was gone; 'conflict': the version
   * moved, a signal was pending or consumed meanwhile. Nothing is written unless 'done' (the claim and the signals
   * are locked before the compare-and-set, and released or consumed only after it). The statement has two texts,
   * one for the step that ends the execution (COMMIT_STEP_FINISH) and one for every other step (COMMIT_STEP), each
   * constant whatever the step (its batches are array parameters): see commitStepText.
   */
  async commitStep(c: CommitStepRow): Promise<CommitStepResult> {
    const p = c.patch;
    if (p.redrive !== undefined) throw new Error('commitStep does not redrive');
    const closing = p.output !== undefined || p.error !== undefined || p.cause !== undefined || p.stopDate !== undefined;
    const consume = 'consume' in c.guard ? c.guard.consume.map(String) : null;
    const release = 'release' in c.guard ? c.guard.release : null;
    const t = c.tasks;
    const { rows } = await this.db.executeQuery(CompiledQuery.raw(c.finish ? COMMIT_STEP_FINISH : COMMIT_STEP, [
      c.id, c.expectedVersion, json(p.doc), p.status,
      closing, p.output ?? null, p.error ?? null, p.cause ?? null, p.stopDate ?? null,
      consume, consume?.length ?? 0, release?.taskId ?? null, release?.owner ?? null,
      ...eventColumns(c.events),
      t.map((x) => x.request.taskId), t.map((x) => json(x.request)), t.map((x) => x.claimedBy?.owner ?? null), t.map((x) => x.claimedBy?.leaseUntil ?? null),
      c.continueSignal ? json({ kind: 'continue' }) : null, c.finish, c.continueSignal ? (c.continuedBy ?? null) : null,
    ]));
    const r = rows[0] as { claimed: number; updated: number; continue_id: string | null; others_pending: boolean };
    if (release && r.claimed === 0) return { outcome: 'claimLost' };
    if (r.updated !== 1) return { outcome: 'conflict' };
    return {
      outcome: 'done', othersPending: r.others_pending, ...(r.continue_id !== null ? { continueSignalId: String(r.continue_id) } : {}),
    };
  }

  async list(filter: ExecutionFilter, page: { offset: number; limit: number }): Promise<ExecutionSummaryRow[]> {
    let q = this.db.selectFrom('executions').select(SUMMARY);
    if (filter.stateMachineArn !== undefined) q = q.where('state_machine_arn', '=', filter.stateMachineArn);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.version !== undefined) q = q.where('state_machine_version', '=', filter.version);
    if (filter.alias !== undefined) q = q.where('state_machine_alias', '=', filter.alias);
    if (filter.redriven !== undefined) q = q.where('redrive_count', filter.redriven ? '>' : '=', 0);
    const rows = await q.orderBy('start_date', 'desc').orderBy('id', 'desc').offset(page.offset).limit(page.limit).execute();
    return rows.map(toSummary);
  }

  /** One page of a bounded search (./execution-search.ts). */
  search(q: ExecutionSearchQuery, limits: { pageSize: number; scanLimit: number }): Promise<ExecutionSearchResult> {
    return searchExecutions(this.db, q, limits);
  }
}

export function toSummary(r: Pick<Selectable<DB['executions']>, (typeof SUMMARY)[number]>): ExecutionSummaryRow {
  return {
    id: String(r.id), arn: r.arn, stateMachineArn: r.state_machine_arn, stateMachineRevision: r.state_machine_revision,
    name: r.name, status: r.status as ExecutionStatus, input: r.input, output: r.output, error: r.error, cause: r.cause,
    startDate: r.start_date, stopDate: r.stop_date, stateMachineVersion: r.state_machine_version,
    stateMachineAlias: r.state_machine_alias, traceHeader: r.trace_header, redriveCount: r.redrive_count,
    redriveDate: r.redrive_date, traceContext: r.trace_context, traceCallerSpanId: r.trace_caller_span_id,
  };
}

function toRow(r: Selectable<DB['executions']>): ExecutionRow {
  return { ...toSummary(r), doc: r.doc as ExecutionDoc, version: r.version, redriveTokens: (r.redrive_tokens as RedriveTokenRow[] | null) ?? [] };
}

// Parameters: $1 id, $2 this process's incarnation (the step's owner), $3 synchronous_commit for the step-attempt
// record. The columns are named (prepared.ts: a cached statement's result type must not change with a migration).
const STEP_COLUMNS = [...SUMMARY, 'doc', 'version', 'redrive_tokens', 'step_attempts'].map((c) => `executions.${c}`).join(', ');
const LOAD_FOR_STEP = prepared('load_for_step', `
WITH relaxed AS (SELECT set_config('synchronous_commit', $3::text, true) AS off),
stepped AS (
  UPDATE executions
  SET step_attempts = CASE WHEN step_owner IS NOT DISTINCT FROM $2::text THEN step_attempts ELSE step_attempts + 1 END,
      step_owner = $2::text
  FROM relaxed
  WHERE id = $1::bigint AND status = 'RUNNING'
    AND EXISTS (SELECT 1 FROM signals WHERE execution_id = $1::bigint AND consumed_at IS NULL)
  RETURNING ${STEP_COLUMNS}, (
    SELECT coalesce(json_agg(json_build_object('id', s.id::text, 'body', s.body) ORDER BY s.id), '[]'::json)
      FROM signals s WHERE s.execution_id = $1::bigint AND s.consumed_at IS NULL
  ) AS pending_signals
)
SELECT stepped.*, NOT EXISTS (SELECT 1 FROM stepped)
    AND EXISTS (SELECT 1 FROM signals WHERE execution_id = $1::bigint AND consumed_at IS NULL) AS leftovers
FROM (SELECT 1) one LEFT JOIN stepped ON true`);

// lockForStep's two statements (see there). Parameter: $1 id.
const LOCK_FOR_STEP = prepared('lock_for_step', `SELECT ${STEP_COLUMNS} FROM executions WHERE id = $1::bigint FOR NO KEY UPDATE SKIP LOCKED`);
const PENDING_SIGNALS = prepared('pending_signals',
  'SELECT id::text AS id, body FROM signals WHERE execution_id = $1::bigint AND consumed_at IS NULL ORDER BY id');

// Parameters: $1 id, $2 expected version, $3 doc, $4 status, $5 closing, $6 output, $7 error, $8 cause, $9 stop date,
// $10 signal ids to consume (null: release a claim instead), $11 their count, $12 released task, $13 its owner,
// $14-$18 the events' columns, $19-$22 the tasks' columns, $23 the continue signal's body (null: none), $24 finish,
// $25 the owner that steps the continue next (null: none; the attempt count starts again from 0). `others_pending`:
// signals other than those consumed were pending as the statement began (the new continue is not among them).
// Data-modifying CTEs all run, on one snapshot, and commit together: every write is conditioned on `upd`, the
// compare-and-set, and `upd` on the claim or the signals it consumes, which are locked first (FOR UPDATE: a
// concurrent change is waited for and re-checked), so the claim's release and the signals' consumption cannot
// differ from what `upd` saw.
// Two texts, not one with the cleanup conditioned on $24: Postgres plans a named statement afresh at every call
// (a custom plan, with the parameters' values) for as long as that plan looks cheaper than the generic one, cached
// once per connection. With the cleanup in every step's text, the generic plan carried the cost of its four scans,
// which the custom plans fold away for the steps that do not finish, so Postgres planned the statement at every
// step: 0.6 ms of the server's CPU per commit, twice what executing it costs (measured at low load, issue 13).
// Without the cleanup, the generic plan wins after the first five calls; the finishing text, once per execution,
// may still be planned at each call, depending on the tables' statistics. The other steps' text selects $24 (finish,
// always false there) only so that the two texts take the same parameters.
function commitStepText(finish: boolean): string {
  return `
WITH claim AS (
  SELECT 1 FROM tasks
  WHERE $12::text IS NOT NULL AND execution_id = $1::bigint AND task_id = $12::text AND status = 'running' AND lease_owner = $13::text
  FOR UPDATE
), stepped AS (
  SELECT id FROM signals
  WHERE $10::bigint[] IS NOT NULL AND id = ANY($10::bigint[]) AND execution_id = $1::bigint AND consumed_at IS NULL
  FOR UPDATE
), upd AS (
  UPDATE executions
  SET doc = $3::json, status = $4::text, version = version + 1,
      step_attempts = CASE WHEN $25::text IS NULL THEN 0 ELSE 1 END, step_owner = $25::text,
      output = CASE WHEN $5::boolean THEN $6::text ELSE output END,
      error = CASE WHEN $5::boolean THEN $7::text ELSE error END,
      cause = CASE WHEN $5::boolean THEN $8::text ELSE cause END,
      stop_date = CASE WHEN $5::boolean THEN $9::timestamptz ELSE stop_date END
  WHERE id = $1::bigint AND version = $2::integer
    AND CASE WHEN $10::bigint[] IS NULL
      THEN EXISTS (SELECT 1 FROM claim) AND NOT EXISTS (SELECT 1 FROM signals WHERE execution_id = $1::bigint AND consumed_at IS NULL)
      ELSE (SELECT count(*) FROM stepped) = $11::integer
    END
  RETURNING 1
), done AS (
  DELETE FROM tasks
  WHERE $12::text IS NOT NULL AND execution_id = $1::bigint AND task_id = $12::text AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), consumed AS (
  UPDATE signals SET consumed_at = now()
  WHERE id IN (SELECT id FROM stepped) AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), events AS (
  INSERT INTO history_events (execution_id, event_id, previous_event_id, type, "timestamp", details)
  SELECT $1::bigint, e.event_id, e.previous_event_id, e.type, e.ts, e.details::json
  FROM unnest($14::integer[], $15::integer[], $16::text[], $17::timestamptz[], $18::text[]) AS e(event_id, previous_event_id, type, ts, details)
  WHERE EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), scheduled AS (
  INSERT INTO tasks (execution_id, task_id, request, status, lease_owner, lease_expires_at, claims)
  SELECT $1::bigint, t.task_id, t.request::json, CASE WHEN t.owner IS NULL THEN 'scheduled' ELSE 'running' END, t.owner, t.lease_until,
         CASE WHEN t.owner IS NULL THEN 0 ELSE 1 END
  FROM unnest($19::text[], $20::text[], $21::text[], $22::timestamptz[]) AS t(task_id, request, owner, lease_until)
  WHERE EXISTS (SELECT 1 FROM upd)
  ON CONFLICT DO NOTHING
  RETURNING 1
), continued AS (
  INSERT INTO signals (execution_id, body)
  SELECT $1::bigint, $23::text::json WHERE $23::text IS NOT NULL AND EXISTS (SELECT 1 FROM upd)
  RETURNING id
${finish ? `), finished_tasks AS (
  DELETE FROM tasks WHERE $24::boolean AND execution_id = $1::bigint AND task_id IS DISTINCT FROM $12::text AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), finished_timers AS (
  DELETE FROM timers WHERE $24::boolean AND execution_id = $1::bigint AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), finished_activities AS (
  DELETE FROM activity_tasks WHERE $24::boolean AND execution_id = $1::bigint AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
), finished_tokens AS (
  UPDATE task_tokens SET status = 'timedOut'
  WHERE $24::boolean AND execution_id = $1::bigint AND status = 'open' AND EXISTS (SELECT 1 FROM upd)
  RETURNING 1
` : ''})
SELECT (SELECT count(*) FROM claim)::int AS claimed, (SELECT count(*) FROM upd)::int AS updated,
       (SELECT id FROM continued)::text AS continue_id,
       EXISTS (SELECT 1 FROM signals WHERE execution_id = $1::bigint AND consumed_at IS NULL
         AND NOT (id = ANY(coalesce($10::bigint[], '{}'::bigint[])))) AS others_pending${finish ? '' : ', $24::boolean AS finish'}`;
}
const COMMIT_STEP = prepared('commit_step', commitStepText(false));
const COMMIT_STEP_FINISH = prepared('commit_step_finish', commitStepText(true));
