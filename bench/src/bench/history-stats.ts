/**
 * Throughput and per-transition latency of one state machine's executions, read back from the history the
 * workers wrote (so it measures what was committed, in the workers' own clock, without instrumenting them).
 *   transitions     = states entered (`*StateEntered` events), as AWS counts state transitions
 *   window          = first ExecutionStarted .. last ExecutionSucceeded/Failed
 *   per transition  = time from entering a state to entering the next one (or ending the execution)
 */
import type pg from 'pg';
import { summary } from '../common/stats.js';

export interface ThroughputStats {
  executions: number;
  transitions: number;
  seconds: number;
  transitionsPerSecond: number;
  perTransitionMs: { n: number; p50: number; p99: number; max: number };
  /** Share of transitions made in the same commit as the previous one (0 ms apart in the history). */
  sameCommitShare: number;
}

export interface EventRow {
  execution_id: string;
  type: string;
  ts: number;
}

export function throughputFromEvents(rows: readonly EventRow[]): ThroughputStats {
  const byExecution = new Map<string, EventRow[]>();
  let first = Infinity, last = -Infinity, transitions = 0;
  for (const r of rows) {
    let list = byExecution.get(r.execution_id);
    if (!list) byExecution.set(r.execution_id, (list = []));
    list.push(r);
    if (r.type.endsWith('StateEntered')) transitions++;
    if (r.type === 'ExecutionStarted') first = Math.min(first, r.ts);
    if (r.type === 'ExecutionSucceeded' || r.type === 'ExecutionFailed') last = Math.max(last, r.ts);
  }
  const gaps: number[] = [];
  for (const list of byExecution.values()) {
    const marks = list.filter((r) => r.type.endsWith('StateEntered') || r.type.startsWith('ExecutionSucceeded') || r.type === 'ExecutionFailed');
    for (let i = 0; i + 1 < marks.length; i++) gaps.push(marks[i + 1]!.ts - marks[i]!.ts);
  }
  const seconds = Math.max(0.001, (last - first) / 1000);
  return {
    executions: byExecution.size, transitions, seconds: Number(seconds.toFixed(2)),
    transitionsPerSecond: Math.round(transitions / seconds), perTransitionMs: summary(gaps),
    sameCommitShare: gaps.length ? Number((gaps.filter((g) => g === 0).length / gaps.length).toFixed(2)) : 0,
  };
}

/** The events of every execution of one state machine (Baton's tables) or of the ceiling's tables. */
export async function loadEvents(pool: pg.Pool, from: { stateMachineArn: string } | { ceiling: string }): Promise<EventRow[]> {
  const sql = 'stateMachineArn' in from
    ? `SELECT h.execution_id::text, h.type, (extract(epoch from h."timestamp") * 1000)::float8 AS ts
         FROM history_events h JOIN executions e ON e.id = h.execution_id
        WHERE e.state_machine_arn = $1 ORDER BY h.execution_id, h.event_id`
    : `SELECT execution_id::text, type, (extract(epoch from "timestamp") * 1000)::float8 AS ts
         FROM ${from.ceiling}_events ORDER BY execution_id, event_id`;
  const r = await pool.query<EventRow>(sql, 'stateMachineArn' in from ? [from.stateMachineArn] : []);
  return r.rows.map((x) => ({ ...x, ts: Math.round(Number(x.ts)) }));
}
