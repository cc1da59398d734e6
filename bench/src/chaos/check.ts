/**
 * The verdict of a chaos run, read from Postgres: every started execution SUCCEEDED with exactly the expected
 * output; its history has ids 1..n without gaps or repeats; every state was entered exactly as often as a
 * correct run enters it; every activity task scheduled ended exactly once; nothing is left RUNNING.
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { chaosEnteredCounts, chaosExpected } from './workflow.js';

export interface Verdict {
  started: number;
  succeeded: number;
  lost: number;
  duplicated: number;
  stillRunning: number;
  problems: string[];
}

const ACTIVITY_ENDS = new Set(['ActivitySucceeded', 'ActivityFailed', 'ActivityTimedOut']);

export async function checkRun(pool: pg.Pool, started: ReadonlyMap<string, number>): Promise<Verdict> {
  const v: Verdict = { started: started.size, succeeded: 0, lost: 0, duplicated: 0, stillRunning: 0, problems: [] };
  const problem = (m: string) => {
    if (v.problems.length < 50) v.problems.push(m);
  };
  const execs = await pool.query<{ id: string; arn: string; status: string; output: string | null; error: string | null; cause: string | null }>('SELECT id::text, arn, status, output, error, cause FROM executions');
  const byArn = new Map(execs.rows.map((r) => [r.arn, r]));
  v.stillRunning = execs.rows.filter((r) => r.status === 'RUNNING').length;
  const events = await pool.query<{ execution_id: string; event_id: number; previous_event_id: number; type: string; details: Record<string, any> }>(
    'SELECT execution_id::text, event_id, previous_event_id, type, details FROM history_events ORDER BY execution_id, event_id');
  const history = new Map<string, typeof events.rows>();
  for (const e of events.rows) {
    let list = history.get(e.execution_id);
    if (!list) history.set(e.execution_id, (list = []));
    list.push(e);
  }
  for (const [arn, n] of started) {
    const row = byArn.get(arn);
    if (!row) {
      v.lost++;
      problem(`${arn}: no such execution`);
      continue;
    }
    let ok = true;
    if (row.status !== 'SUCCEEDED') {
      ok = false;
      problem(`${arn}: ${row.status}${row.error !== null ? ` ${row.error}: ${String(row.cause).slice(0, 200)}` : ''}`);
    } else if (!isDeepStrictEqual(JSON.parse(row.output ?? 'null'), chaosExpected(n))) {
      ok = false;
      problem(`${arn}: output ${row.output}`);
    }
    const h = history.get(row.id) ?? [];
    let duplicated = false;
    h.forEach((e, i) => {
      if (e.event_id !== i + 1) {
        duplicated = true;
        problem(`${arn}: event #${i} has id ${e.event_id}`);
      }
    });
    const entered: Record<string, number> = {};
    let scheduled = 0, ended = 0, finished = 0;
    for (const e of h) {
      if (e.type.endsWith('StateEntered')) {
        const name = String(e.details.stateEnteredEventDetails?.name);
        entered[name] = (entered[name] ?? 0) + 1;
      }
      if (e.type === 'ActivityScheduled') scheduled++;
      if (ACTIVITY_ENDS.has(e.type)) ended++;
      if (e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed' || e.type === 'ExecutionAborted' || e.type === 'ExecutionTimedOut') finished++;
    }
    if (row.status === 'SUCCEEDED') {
      const want = chaosEnteredCounts(n);
      if (!isDeepStrictEqual(sortKeys(entered), sortKeys(want))) {
        const extra = Object.entries(entered).some(([k, c]) => c > (want[k] ?? 0));
        if (extra) duplicated = true;
        else ok = false;
        problem(`${arn}: states entered ${JSON.stringify(entered)}`);
      }
      if (ended > scheduled) {
        duplicated = true;
        problem(`${arn}: ${scheduled} activity tasks scheduled, ${ended} ended`);
      } else if (ended < scheduled) {
        ok = false;
        problem(`${arn}: ${scheduled} activity tasks scheduled, only ${ended} ended`);
      }
      if (finished !== 1) {
        duplicated ||= finished > 1;
        problem(`${arn}: ${finished} execution-end events`);
      }
    }
    if (duplicated) v.duplicated++;
    else if (ok) v.succeeded++;
    else v.lost++;
  }
  return v;
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
