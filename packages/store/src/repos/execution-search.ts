/**
 * Searching one state machine's executions, newest first, by keyset (start_date, id) over the
 * `executions_by_machine` / `executions_by_machine_status` indexes. No index serves the name, error or input
 * predicates (one would slow every StartExecution), so a request examines at most `scanLimit` executions of
 * the window the indexed filters (machine, status, time range, cursor) select, tests the predicates on those
 * rows only, and reports where it stopped; the caller continues from there. Without predicates it is plain
 * keyset paging. The input predicate parses each examined execution's input (`input::jsonb`), which is the
 * cost of that search: bounded by `scanLimit` rows per request.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ExecutionStatus } from '@baton/asl';
import type { DB } from '../schema.js';

export interface ExecutionSearchQuery {
  stateMachineArn: string;
  status?: string;
  nameContains?: string;
  errorContains?: string;
  startedAfter?: Date;
  startedBefore?: Date;
  input?: { kind: 'equals'; path: string[]; value: string } | { kind: 'contains'; text: string };
  /** Continue strictly after this execution (in newest-first order). */
  after?: { startDate: Date; id: string };
}

export interface ExecutionSearchRow {
  id: string;
  arn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate: Date | null;
  error: string | null;
}

export interface ExecutionSearchResult {
  rows: ExecutionSearchRow[];
  /** Where the next request continues; undefined when the window holds nothing more. */
  next?: { startDate: Date; id: string };
  scanned: number;
}

interface HitRow {
  id: string | number;
  arn: string;
  state_machine_arn: string;
  name: string;
  status: string;
  start_date: Date;
  stop_date: Date | null;
  error: string | null;
  rn: string | number;
}

export async function searchExecutions(
  db: Kysely<DB>,
  q: ExecutionSearchQuery,
  limits: { pageSize: number; scanLimit: number },
): Promise<ExecutionSearchResult> {
  const window = windowFilter(q);
  const predicate = predicateOf(q);
  const hits = await sql<HitRow>`
    SELECT * FROM (
      SELECT *, row_number() OVER (ORDER BY start_date DESC, id DESC) AS rn FROM (
        SELECT id, arn, state_machine_arn, name, status, start_date, stop_date, error, ${predicate} AS hit
        FROM executions WHERE ${window}
        ORDER BY start_date DESC, id DESC LIMIT ${limits.scanLimit}
      ) scanned
    ) w WHERE w.hit ORDER BY w.rn LIMIT ${limits.pageSize + 1}`.execute(db);
  const rows = hits.rows.map(toRow);
  if (rows.length > limits.pageSize) {
    const last = hits.rows[limits.pageSize - 1]!;
    return { rows: rows.slice(0, limits.pageSize), next: { startDate: last.start_date, id: String(last.id) }, scanned: Number(last.rn) };
  }
  // Fewer hits than a page: the whole window was examined. It continues only if it was full.
  const end = await sql<{ start_date: Date; id: string | number; rn: string | number }>`
    WITH scanned AS MATERIALIZED (
      SELECT start_date, id FROM executions WHERE ${window} ORDER BY start_date DESC, id DESC LIMIT ${limits.scanLimit}
    )
    SELECT start_date, id, (SELECT count(*) FROM scanned) AS rn FROM scanned ORDER BY start_date ASC, id ASC LIMIT 1`.execute(db);
  const boundary = end.rows[0];
  const scanned = boundary ? Number(boundary.rn) : 0;
  return {
    rows,
    scanned,
    ...(boundary && scanned >= limits.scanLimit ? { next: { startDate: boundary.start_date, id: String(boundary.id) } } : {}),
  };
}

/** The indexed part: machine, status, time range and the keyset position. */
function windowFilter(q: ExecutionSearchQuery): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [sql`state_machine_arn = ${q.stateMachineArn}`];
  if (q.status !== undefined) parts.push(sql`status = ${q.status}`);
  if (q.startedAfter !== undefined) parts.push(sql`start_date >= ${q.startedAfter}`);
  if (q.startedBefore !== undefined) parts.push(sql`start_date <= ${q.startedBefore}`);
  if (q.after !== undefined) parts.push(sql`(start_date, id) < (${q.after.startDate}, ${q.after.id}::bigint)`);
  return sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
}

/** The part no index serves, tested on the examined rows only. */
function predicateOf(q: ExecutionSearchQuery): RawBuilder<SqlBool> {
  const parts: RawBuilder<unknown>[] = [];
  if (q.nameContains) parts.push(sql`strpos(lower(name), lower(${q.nameContains})) > 0`);
  if (q.errorContains) parts.push(sql`strpos(lower(coalesce(error, '')), lower(${q.errorContains})) > 0`);
  if (q.input?.kind === 'contains') parts.push(sql`strpos(input, ${q.input.text}) > 0`);
  if (q.input?.kind === 'equals') parts.push(sql`(input::jsonb #>> ${q.input.path}::text[]) = ${q.input.value}`);
  return parts.length === 0 ? sql<SqlBool>`true` : sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

function toRow(r: HitRow): ExecutionSearchRow {
  return {
    id: String(r.id), arn: r.arn, stateMachineArn: r.state_machine_arn, name: r.name, status: r.status as ExecutionStatus,
    startDate: new Date(r.start_date), stopDate: r.stop_date ? new Date(r.stop_date) : null, error: r.error,
  };
}
