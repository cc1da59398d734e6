/**
 * The verdict of a chaos run, read from Postgres: every started execution SUCCEEDED with exactly the expected
 * output; its history has ids 1..n without gaps or repeats; every state was entered exactly as often as a
 * correct run enters it; every activity task scheduled ended exactly once; nothing is left RUNNING.
 */
import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import { summary } from '../common/stats.js';
import { chaosEnteredCounts, chaosExpected } from './workflow.js';

export interface Verdict {
  started: number;
  succeeded: number;
  lost: number;
  duplicated: number;
  stillRunning: number;
  problems: string[];
  /** How the activity tasks went, from the histories (see activityTimelines). */
  activityTasks: ActivityTimelines;
}

/** Seconds, as { n, p50, p99, max }. */
type Spread = ReturnType<typeof summary>;

export interface ActivityTimelines {
  /** ActivityScheduled to ActivityStarted (a poller took it), for every task a poller took. */
  waitForPoller: Spread;
  /** ActivityStarted to its answer (ActivitySucceeded / ActivityFailed). */
  answered: Spread;
  /** Timed out before any poller took it (the wait is the whole TimeoutSeconds). */
  timedOutNeverTaken: number;
  /** Timed out after a poller took it: how long it had waited for that poller. */
  timedOutAfterTaken: Spread;
  /** ActivitySucceeded and ActivityFailed events: the answers the executions took (each accepted answer must be one). */
  answersRecorded: number;
  /** For each execution that ended with States.Timeout: the state whose task timed out, and each attempt. */
  failedByTimeout: string[];
}

const ACTIVITY_ENDS = new Set(['ActivitySucceeded', 'ActivityFailed', 'ActivityTimedOut']);

export async function checkRun(pool: pg.Pool, started: ReadonlyMap<string, number>): Promise<Verdict> {
  const v: Verdict = { started: started.size, succeeded: 0, lost: 0, duplicated: 0, stillRunning: 0, problems: [], activityTasks: undefined as never };
  const problem = (m: string) => {
    if (v.problems.length < 50) v.problems.push(m);
  };
  const execs = await pool.query<{ id: string; arn: string; status: string; output: string | null; error: string | null; cause: string | null }>('SELECT id::text, arn, status, output, error, cause FROM executions');
  const byArn = new Map(execs.rows.map((r) => [r.arn, r]));
  v.stillRunning = execs.rows.filter((r) => r.status === 'RUNNING').length;
  const events = await pool.query<HistoryRow>(
    'SELECT execution_id::text, event_id, previous_event_id, type, timestamp, details FROM history_events ORDER BY execution_id, event_id');
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
  v.activityTasks = activityTimelines(history, new Map(execs.rows.map((r) => [r.id, r])));
  return v;
}

interface HistoryRow { execution_id: string; event_id: number; previous_event_id: number; type: string; timestamp: Date; details: Record<string, any> }

/**
 * Follows each activity task's end (or time-out) back along previousEventId (which points at the run's previous
 * event: a Parallel branch's or Map iteration's own) to its ActivityStarted and ActivityScheduled: how long tasks
 * waited for a poller, how long pollers took to answer, and, for a task that timed out, whether a poller had it.
 */
function activityTimelines(history: ReadonlyMap<string, HistoryRow[]>, execs: ReadonlyMap<string, { arn: string; error: string | null }>): ActivityTimelines {
  const wait: number[] = [], answered: number[] = [], timedOutAfterTaken: number[] = [];
  let timedOutNeverTaken = 0, answersRecorded = 0;
  const failedByTimeout: string[] = [];
  const secs = (a: HistoryRow, b: HistoryRow) => (b.timestamp.getTime() - a.timestamp.getTime()) / 1000;
  for (const [id, h] of history) {
    const byId = new Map(h.map((e) => [e.event_id, e]));
    const back = (e: HistoryRow, type: string): HistoryRow | undefined => {
      for (let p = byId.get(e.previous_event_id), hops = 0; p && hops < 2; p = byId.get(p.previous_event_id), hops++) if (p.type === type) return p;
      return undefined;
    };
    const stateOf = (e: HistoryRow): string => {
      for (let p = byId.get(e.previous_event_id); p; p = byId.get(p.previous_event_id)) {
        if (p.type === 'TaskStateEntered') return String(p.details.stateEnteredEventDetails?.name);
      }
      return '?';
    };
    const exec = execs.get(id);
    const attempts: (number | undefined)[] = [];
    for (const e of h) {
      if (!ACTIVITY_ENDS.has(e.type)) continue;
      if (e.type !== 'ActivityTimedOut') answersRecorded++;
      const taken = back(e, 'ActivityStarted');
      const scheduled = back(taken ?? e, 'ActivityScheduled');
      if (!scheduled) continue;
      if (taken) wait.push(secs(scheduled, taken));
      if (e.type === 'ActivityTimedOut') {
        if (taken) timedOutAfterTaken.push(secs(scheduled, taken));
        else timedOutNeverTaken++;
        if (exec?.error === 'States.Timeout') attempts.push(taken ? secs(scheduled, taken) : undefined);
      } else if (taken) answered.push(secs(taken, e));
    }
    if (exec?.error === 'States.Timeout' && failedByTimeout.length < 20) {
      const last = [...h].reverse().find((e) => e.type === 'ActivityTimedOut');
      failedByTimeout.push(`${exec.arn}: ${last ? stateOf(last) : '?'} timed out ${attempts.length} times (${summarise(attempts)})`);
    }
  }
  return { waitForPoller: summary(wait), answered: summary(answered), timedOutNeverTaken, timedOutAfterTaken: summary(timedOutAfterTaken), answersRecorded, failedByTimeout };
}

/** "never taken ×12, taken but unanswered ×2 (taken after 9.8, 3.1 s)": `undefined` is an attempt no poller took. */
function summarise(waits: readonly (number | undefined)[]): string {
  const taken = waits.filter((w): w is number => w !== undefined);
  const parts = [`never taken ×${waits.length - taken.length}`];
  if (taken.length) parts.push(`taken but unanswered ×${taken.length} (taken after ${taken.map((w) => w.toFixed(1)).join(', ')} s)`);
  return parts.join(', ');
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
