/** Executions: the document, its version (the compare-and-set guard) and the columns the API lists and filters. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ExecutionDoc, ExecutionStatus, Signal } from '@baton/asl';
import { json, type DB } from '../schema.js';
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
   * Group commit of StartExecution (the engine's StartBatcher): one multi-row insert of the executions, one of their
   * `start` signals. Results line up with `records`; undefined where the (state machine, name) is taken, also by an
   * earlier record of the same call. Run it inside a transaction.
   */
  async insertStarts(records: readonly { execution: NewExecutionRow; signal: Signal }[]): Promise<({ execution: ExecutionRow; signalId: string } | undefined)[]> {
    if (records.length === 0) return [];
    const rows = await this.db.insertInto('executions').values(records.map(({ execution }) => newRow(execution))).onConflict((oc) => oc.doNothing()).returningAll().execute();
    const byArn = new Map(rows.map((row) => [row.arn, toRow(row)]));
    const created: (ExecutionRow | undefined)[] = records.map(({ execution }) => {
      const row = byArn.get(execution.arn);
      byArn.delete(execution.arn); // a repeated name in the same call: only the first created it
      return row;
    });
    const withSignal = records.flatMap((r, i) => (created[i] ? [{ execution_id: created[i]!.id, body: json(r.signal) }] : []));
    const ids = withSignal.length === 0 ? [] : await this.db.insertInto('signals').values(withSignal).returning(['id', 'execution_id']).execute();
    const signalOf = new Map(ids.map((x) => [String(x.execution_id), String(x.id)]));
    return created.map((execution) => (execution ? { execution, signalId: signalOf.get(execution.id)! } : undefined));
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
   * about to step, and a Postgres server outlives that process. Undefined when the execution does not exist, has
   * ended, or has nothing pending.
   */
  async loadForStep(id: string, owner: string): Promise<(ExecutionRow & { stepAttempts: number; pending: { id: string; signal: Signal }[] }) | undefined> {
    // The pending signals come back in the same round trip (those committed before this statement began).
    const { rows } = await sql<Selectable<DB['executions']> & { pending_signals: { id: string | number; body: Signal }[] }>`
      WITH relaxed AS (SELECT set_config('synchronous_commit', ${this.durableStepAttempts ? 'on' : 'off'}, true) AS off)
      UPDATE executions
      SET step_attempts = CASE WHEN step_owner IS NOT DISTINCT FROM ${owner} THEN step_attempts ELSE step_attempts + 1 END,
          step_owner = ${owner}
      FROM relaxed
      WHERE id = ${id} AND status = 'RUNNING'
        AND EXISTS (SELECT 1 FROM signals WHERE execution_id = ${id} AND consumed_at IS NULL)
      RETURNING executions.*, (
        SELECT coalesce(json_agg(json_build_object('id', s.id::text, 'body', s.body) ORDER BY s.id), '[]'::json)
          FROM signals s WHERE s.execution_id = ${id} AND s.consumed_at IS NULL
      ) AS pending_signals`.execute(this.db);
    const row = rows[0];
    if (!row) return undefined;
    const { pending_signals: pending, ...rest } = row;
    return { ...toRow(rest), stepAttempts: row.step_attempts, pending: pending.map((p) => ({ id: String(p.id), signal: p.body })) };
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
    const res = await this.db.updateTable('executions').set(set).where('id', '=', id).where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
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
