/**
 * Map Runs and their children (migrations/0005_map_runs.sql). Children are created in batches: one compare-and-set
 * on next_child, then multi-row inserts of the executions, their start signals and the child rows, so creating
 * a thousand children is a handful of statements. Ended children are counted exactly once: the trigger marks a
 * child row when its execution ends; `countEnded` flags the marked rows and adds them to the counters together.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ExecutionStatus, Json, Signal, StartMapRunCommand } from '@baton/asl';
import { json, jsonOrNull, type DB } from '../schema.js';
import { SUMMARY as EXECUTION_SUMMARY, toSummary as executionSummary } from './executions.js';

type Row = Selectable<DB['map_runs']>;
type Counts = { running: number; succeeded: number; failed: number; timedOut: number; aborted: number };

export interface MapRunSummaryRow {
  id: string; arn: string; executionId: string; stateMachineArn: string; stateMachineRevision: number;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED'; maxConcurrency: number; toleratedFailureCount: number | null;
  toleratedFailurePercentage: number | null; readerPosition: Json | null; readerDone: boolean; itemsRead: number; nextChild: number;
  children: Counts; items: Counts; resultsWritten: number; childrenWritten: number; ending: 'FAILED' | 'ABORTED' | null; childrenStopped: boolean;
  error: string | null; cause: string | null; errorLocation: string | null; startDate: Date; stopDate: Date | null; redriveCount: number; redriveDate: Date | null;
}

export interface NewChildRow {
  execution: {
    arn: string; stateMachineArn: string; stateMachineRevision: number; name: string; status: ExecutionStatus; input: string;
    startDate: Date; doc: unknown;
    /** The child's own trace context (engine observability/execution-spans.ts). */
    traceContext?: string | null; traceCallerSpanId?: string | null;
  };
  start: Signal;
  index: number;
  firstItem: number;
  itemCount: number;
}

const SUMMARY = [
  'id', 'arn', 'execution_id', 'state_machine_arn', 'state_machine_revision', 'status', 'max_concurrency', 'tolerated_failure_count',
  'tolerated_failure_percentage', 'reader_position', 'reader_done', 'items_read', 'next_child', 'running', 'succeeded', 'failed',
  'timed_out', 'aborted', 'items_running', 'items_succeeded', 'items_failed', 'items_timed_out', 'items_aborted', 'results_written', 'children_written',
  'ending', 'children_stopped', 'error', 'cause', 'error_location', 'start_date', 'stop_date', 'redrive_count', 'redrive_date',
] as const;

export class MapRuns {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(r: {
    arn: string; executionId: string; stateMachineArn: string; stateMachineRevision: number; status: string; spec: StartMapRunCommand;
    maxConcurrency: number; toleratedFailureCount: number | null; toleratedFailurePercentage: number | null; error: string | null;
    cause: string | null; startDate: Date; stopDate: Date | null;
  }): Promise<void> {
    await this.db.insertInto('map_runs').values({
      arn: r.arn, execution_id: r.executionId, state_machine_arn: r.stateMachineArn, state_machine_revision: r.stateMachineRevision,
      status: r.status, spec: json(r.spec), max_concurrency: r.maxConcurrency, tolerated_failure_count: r.toleratedFailureCount,
      tolerated_failure_percentage: r.toleratedFailurePercentage, error: r.error, cause: r.cause, start_date: r.startDate, stop_date: r.stopDate,
    }).onConflict((oc) => oc.column('arn').doNothing()).execute();
  }

  async insertProcessorRevision(r: { stateMachineArn: string; revision: number; definition: string; roleArn: string; createdAt: Date }): Promise<void> {
    await this.db.insertInto('state_machine_revisions').values({
      state_machine_arn: r.stateMachineArn, revision: r.revision, revision_id: `${r.revision}`, definition: r.definition,
      role_arn: r.roleArn, logging_configuration: null, tracing_configuration: null, created_at: r.createdAt,
    }).onConflict((oc) => oc.columns(['state_machine_arn', 'revision']).doNothing()).execute();
  }

  async get(id: string): Promise<(MapRunSummaryRow & { spec: StartMapRunCommand }) | undefined> {
    const row = await this.db.selectFrom('map_runs').select([...SUMMARY, 'spec']).where('id', '=', id).executeTakeFirst();
    return row && { ...toSummary(row), spec: row.spec as StartMapRunCommand };
  }

  async getSummaryByArn(arn: string): Promise<MapRunSummaryRow | undefined> {
    const row = await this.db.selectFrom('map_runs').select(SUMMARY).where('arn', '=', arn).executeTakeFirst();
    return row && toSummary(row);
  }

  async listForExecution(executionId: string, page: { offset: number; limit: number }): Promise<MapRunSummaryRow[]> {
    const rows = await this.db.selectFrom('map_runs').select(SUMMARY).where('execution_id', '=', executionId)
      .orderBy('id', 'desc').offset(page.offset).limit(page.limit).execute();
    return rows.map(toSummary);
  }

  async ofChild(executionId: string): Promise<{ mapRunArn: string; itemCount: number } | undefined> {
    const row = await this.db.selectFrom('map_run_children as c').innerJoin('map_runs as m', 'm.id', 'c.map_run_id')
      .select(['m.arn', 'c.item_count']).where('c.execution_id', '=', executionId).executeTakeFirst();
    return row && { mapRunArn: row.arn, itemCount: row.item_count };
  }

  async lease(id: string, owner: string, now: Date, until: Date): Promise<boolean> {
    const res = await this.db.updateTable('map_runs').set({ lease_owner: owner, lease_expires_at: until })
      .where('id', '=', id).where('status', '=', 'RUNNING')
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_expires_at', '<', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db.updateTable('map_runs').set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', id).where('lease_owner', '=', owner).execute();
  }

  async orphaned(now: Date, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('map_runs').select('id').where('status', '=', 'RUNNING')
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<', now)])).limit(limit).execute();
    return rows.map((r) => String(r.id));
  }

  async countEnded(id: string): Promise<number> {
    const r = await sql<{ n: string }>`
      WITH ended AS (
        UPDATE map_run_children SET counted = true
        WHERE map_run_id = ${id} AND status <> 'RUNNING' AND NOT counted
        RETURNING status, item_count
      ), sums AS (
        SELECT count(*) AS n, coalesce(sum(item_count), 0) AS items,
          count(*) FILTER (WHERE status = 'SUCCEEDED') AS s, coalesce(sum(item_count) FILTER (WHERE status = 'SUCCEEDED'), 0) AS si,
          count(*) FILTER (WHERE status = 'FAILED') AS f, coalesce(sum(item_count) FILTER (WHERE status = 'FAILED'), 0) AS fi,
          count(*) FILTER (WHERE status = 'TIMED_OUT') AS t, coalesce(sum(item_count) FILTER (WHERE status = 'TIMED_OUT'), 0) AS ti,
          count(*) FILTER (WHERE status = 'ABORTED') AS a, coalesce(sum(item_count) FILTER (WHERE status = 'ABORTED'), 0) AS ai
        FROM ended
      ), upd AS (
        UPDATE map_runs m SET running = running - sums.n, items_running = items_running - sums.items,
          succeeded = succeeded + sums.s, items_succeeded = items_succeeded + sums.si,
          failed = failed + sums.f, items_failed = items_failed + sums.fi,
          timed_out = timed_out + sums.t, items_timed_out = items_timed_out + sums.ti,
          aborted = aborted + sums.a, items_aborted = items_aborted + sums.ai
        FROM sums WHERE m.id = ${id} AND sums.n > 0
        RETURNING m.id
      )
      SELECT n::text FROM sums`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  async insertChildren(id: string, expectedNextChild: number, children: readonly NewChildRow[], progress: { position: Json | null; itemsRead: number; done: boolean }):
    Promise<{ executionId: string; signalId: string }[] | undefined> {
    const items = children.reduce((n, c) => n + c.itemCount, 0);
    const moved = await this.db.updateTable('map_runs').set({
      next_child: expectedNextChild + children.length, running: sql`running + ${children.length}`, items_running: sql`items_running + ${items}`,
      reader_position: jsonOrNull(progress.position), items_read: String(progress.itemsRead), reader_done: progress.done,
    }).where('id', '=', id).where('next_child', '=', expectedNextChild).where('status', '=', 'RUNNING').where('ending', 'is', null)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return undefined;
    if (children.length === 0) return [];
    const rows = await this.db.insertInto('executions').values(children.map((c) => ({
      arn: c.execution.arn, state_machine_arn: c.execution.stateMachineArn, state_machine_revision: c.execution.stateMachineRevision,
      name: c.execution.name, status: c.execution.status, input: c.execution.input, output: null, error: null, cause: null,
      start_date: c.execution.startDate, stop_date: null, doc: json(c.execution.doc),
      trace_context: c.execution.traceContext ?? null, trace_caller_span_id: c.execution.traceCallerSpanId ?? null,
    }))).returning(['id', 'arn']).execute();
    const idOf = new Map(rows.map((r) => [r.arn, String(r.id)]));
    const ids = children.map((c) => idOf.get(c.execution.arn)!);
    const signals = await this.db.insertInto('signals').values(children.map((c, i) => ({ execution_id: ids[i]!, body: json(c.start) })))
      .returning(['id', 'execution_id']).execute();
    await this.db.insertInto('map_run_children').values(children.map((c, i) => ({
      map_run_id: id, child_index: c.index, execution_id: ids[i]!, first_item: String(c.firstItem), item_count: c.itemCount,
    }))).execute();
    return signals.map((s) => ({ executionId: String(s.execution_id), signalId: String(s.id) }));
  }

  async requestEnd(id: string, ending: 'FAILED' | 'ABORTED', error?: string, cause?: string, location?: string): Promise<void> {
    await this.db.updateTable('map_runs').set({ ending, error: error ?? null, cause: cause ?? null, error_location: location ?? null })
      .where('id', '=', id).where('status', '=', 'RUNNING').where('ending', 'is', null).execute();
  }

  /**
   * Redrive (the parent execution was redriven), in one statement: the children to redrive are those counted as
   * FAILED, TIMED_OUT or ABORTED whose document records where to resume; each execution is RUNNING again with its
   * redrive count + 1 and a `redrive` signal; its child row is RUNNING and uncounted again (the trigger marks it when
   * it ends); the Map Run is RUNNING again with the counters moved back and no lease.
   */
  async redrive(id: string, redriveCount: number, now: Date): Promise<{ children: { executionId: string; signalId: string }[] } | undefined> {
    const r = await sql<{ execution_id: string | null; signal_id: string | null }>`
      WITH picked AS (
        SELECT c.map_run_id, c.child_index, c.execution_id, c.status, c.item_count
        FROM map_run_children c
        JOIN map_runs m ON m.id = c.map_run_id AND m.status IN ('FAILED', 'ABORTED')
        JOIN executions e ON e.id = c.execution_id
        WHERE c.map_run_id = ${id} AND c.counted AND c.status IN ('FAILED', 'TIMED_OUT', 'ABORTED')
          AND e.status IN ('FAILED', 'TIMED_OUT', 'ABORTED') AND (e.doc -> 'redrive') IS NOT NULL
      ), sums AS (
        SELECT count(*) AS n, coalesce(sum(item_count), 0) AS items,
          count(*) FILTER (WHERE status = 'FAILED') AS f, coalesce(sum(item_count) FILTER (WHERE status = 'FAILED'), 0) AS fi,
          count(*) FILTER (WHERE status = 'TIMED_OUT') AS t, coalesce(sum(item_count) FILTER (WHERE status = 'TIMED_OUT'), 0) AS ti,
          count(*) FILTER (WHERE status = 'ABORTED') AS a, coalesce(sum(item_count) FILTER (WHERE status = 'ABORTED'), 0) AS ai
        FROM picked
      ), run AS (
        UPDATE map_runs m SET status = 'RUNNING', ending = NULL, children_stopped = false, error = NULL, cause = NULL, error_location = NULL,
          stop_date = NULL, redrive_count = ${redriveCount}, redrive_date = ${now}, lease_owner = NULL, lease_expires_at = NULL,
          running = running + sums.n, items_running = items_running + sums.items,
          failed = failed - sums.f, items_failed = items_failed - sums.fi,
          timed_out = timed_out - sums.t, items_timed_out = items_timed_out - sums.ti,
          aborted = aborted - sums.a, items_aborted = items_aborted - sums.ai
        FROM sums WHERE m.id = ${id} AND m.status IN ('FAILED', 'ABORTED')
        RETURNING m.id
      ), kids AS (
        UPDATE map_run_children c SET status = 'RUNNING', counted = false
        FROM picked p WHERE c.map_run_id = p.map_run_id AND c.child_index = p.child_index
        RETURNING c.execution_id
      ), execs AS (
        UPDATE executions e SET status = 'RUNNING', stop_date = NULL, error = NULL, cause = NULL, output = NULL,
          redrive_count = e.redrive_count + 1, redrive_date = ${now}, version = e.version + 1
        FROM picked p WHERE e.id = p.execution_id
        RETURNING e.id, e.redrive_count
      ), sigs AS (
        INSERT INTO signals (execution_id, body)
        SELECT id, json_build_object('kind', 'redrive', 'redriveCount', redrive_count) FROM execs
        RETURNING id, execution_id
      )
      SELECT NULL::bigint AS execution_id, NULL::bigint AS signal_id FROM run
      UNION ALL SELECT execution_id, id FROM sigs`.execute(this.db);
    if (r.rows.length === 0) return undefined;
    return { children: r.rows.filter((x) => x.execution_id !== null).map((x) => ({ executionId: String(x.execution_id), signalId: String(x.signal_id) })) };
  }

  async stopChildren(id: string, error: string | undefined, cause: string | undefined): Promise<{ executionId: string; signalId: string }[]> {
    const claimed = await this.db.updateTable('map_runs').set({ children_stopped: true })
      .where('id', '=', id).where('children_stopped', '=', false).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return [];
    const body = json({ kind: 'stop', ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
    const r = await sql<{ id: string; execution_id: string }>`
      INSERT INTO signals (execution_id, body)
      SELECT execution_id, ${body}::json FROM map_run_children WHERE map_run_id = ${id} AND status = 'RUNNING'
      RETURNING id, execution_id`.execute(this.db);
    return r.rows.map((s) => ({ executionId: String(s.execution_id), signalId: String(s.id) }));
  }

  async finish(
    id: string,
    end: { status: string; error: string | null; cause: string | null; stopDate: Date; resultsWritten: number; childrenWritten: number },
    parent: { executionId: string; signal: Signal } | undefined,
  ): Promise<string | undefined> {
    const res = await this.db.updateTable('map_runs').set({
      status: end.status, error: end.error, cause: end.cause, stop_date: end.stopDate, results_written: String(end.resultsWritten), children_written: end.childrenWritten,
      lease_owner: null, lease_expires_at: null,
    }).where('id', '=', id).where('status', '=', 'RUNNING').executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    if (!parent) return '';
    const s = await this.db.insertInto('signals').values({ execution_id: parent.executionId, body: json(parent.signal) }).returning('id')
      .executeTakeFirstOrThrow();
    return String(s.id);
  }

  async update(id: string, patch: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): Promise<void> {
    const set: Record<string, unknown> = {};
    if (patch.maxConcurrency !== undefined) set.max_concurrency = patch.maxConcurrency;
    if (patch.toleratedFailureCount !== undefined) set.tolerated_failure_count = patch.toleratedFailureCount;
    if (patch.toleratedFailurePercentage !== undefined) set.tolerated_failure_percentage = patch.toleratedFailurePercentage;
    if (Object.keys(set).length > 0) await this.db.updateTable('map_runs').set(set).where('id', '=', id).execute();
  }

  async children(id: string, fromIndex: number, limit: number) {
    const rows = await this.db.selectFrom('map_run_children as c').innerJoin('executions as e', 'e.id', 'c.execution_id')
      .select(['c.child_index', 'c.item_count', 'e.arn', 'e.name', 'e.state_machine_arn', 'e.status', 'e.input', 'e.output', 'e.error', 'e.cause', 'e.start_date', 'e.stop_date', 'e.redrive_count'])
      .where('c.map_run_id', '=', id).where('c.child_index', '>=', fromIndex).orderBy('c.child_index').limit(limit).execute();
    return rows.map((r) => ({
      index: r.child_index, itemCount: r.item_count, executionArn: r.arn, name: r.name, stateMachineArn: r.state_machine_arn,
      status: r.status as ExecutionStatus, input: r.input, output: r.output, error: r.error, cause: r.cause,
      startDate: r.start_date.toISOString(), stopDate: r.stop_date ? r.stop_date.toISOString() : null, redriveCount: r.redrive_count,
    }));
  }

  async listChildren(id: string, filter: { status?: string; redriven?: boolean }, page: { offset: number; limit: number }) {
    let q = this.db.selectFrom('map_run_children as c').innerJoin('executions as e', 'e.id', 'c.execution_id')
      .select(['c.item_count', ...EXECUTION_SUMMARY.map((c) => `e.${c}` as const)])
      .where('c.map_run_id', '=', id);
    if (filter.status !== undefined) q = q.where('e.status', '=', filter.status);
    if (filter.redriven !== undefined) q = q.where('e.redrive_count', filter.redriven ? '>' : '=', 0);
    const rows = await q.orderBy('c.child_index', 'desc').offset(page.offset).limit(page.limit).execute();
    return rows.map((r) => ({ ...executionSummary(r), itemCount: r.item_count }));
  }
}

function toSummary(r: Pick<Row, (typeof SUMMARY)[number]>): MapRunSummaryRow {
  return {
    id: String(r.id), arn: r.arn, executionId: String(r.execution_id), stateMachineArn: r.state_machine_arn,
    stateMachineRevision: r.state_machine_revision, status: r.status as MapRunSummaryRow['status'], maxConcurrency: r.max_concurrency,
    toleratedFailureCount: r.tolerated_failure_count === null ? null : Number(r.tolerated_failure_count),
    toleratedFailurePercentage: r.tolerated_failure_percentage === null ? null : Number(r.tolerated_failure_percentage),
    readerPosition: (r.reader_position ?? null) as Json | null, readerDone: r.reader_done, itemsRead: Number(r.items_read), nextChild: r.next_child,
    children: { running: r.running, succeeded: r.succeeded, failed: r.failed, timedOut: r.timed_out, aborted: r.aborted },
    items: {
      running: Number(r.items_running), succeeded: Number(r.items_succeeded), failed: Number(r.items_failed),
      timedOut: Number(r.items_timed_out), aborted: Number(r.items_aborted),
    },
    resultsWritten: Number(r.results_written), childrenWritten: r.children_written, ending: r.ending as MapRunSummaryRow['ending'], childrenStopped: r.children_stopped,
    error: r.error, cause: r.cause, errorLocation: r.error_location, startDate: r.start_date, stopDate: r.stop_date, redriveCount: r.redrive_count, redriveDate: r.redrive_date,
  };
}
