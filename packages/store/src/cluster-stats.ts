/**
 * Cluster-wide numbers for metrics and readiness, read from Postgres (so every replica reports the same): work
 * waiting, the oldest pending signal, timers due and late, the schema version. One round trip; each count runs
 * on a partial or plain index (`signals_pending_age`, `tasks_scheduled`, `timers_due`). Callers cache the answer.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';

export interface ClusterCounts {
  /** Executions with signals not yet consumed (transition jobs owed). */
  pendingTransitions: number;
  /** Tasks scheduled and not yet claimed by a worker. */
  scheduledTasks: number;
  /** Activity tasks waiting for a GetActivityTask (not past their TimeoutSeconds: those are no longer handed out). */
  activityTasks: number;
  /** Age of the oldest pending signal in seconds (0 when none). */
  oldestPendingSignalSeconds: number;
  timersDue: number;
  /** Timers due for longer than `lateAfterSeconds`. */
  timersLate: number;
}

export class ClusterStats {
  constructor(private readonly db: Kysely<DB>) {}

  async counts(lateAfterSeconds: number): Promise<ClusterCounts> {
    const r = await sql<Record<keyof ClusterCounts, string | number | null>>`
      SELECT
        (SELECT count(DISTINCT execution_id) FROM signals WHERE consumed_at IS NULL) AS "pendingTransitions",
        (SELECT count(*) FROM tasks WHERE status = 'scheduled') AS "scheduledTasks",
        (SELECT count(*) FROM activity_tasks WHERE expires_at IS NULL OR expires_at > now()) AS "activityTasks",
        (SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM signals WHERE consumed_at IS NULL) AS "oldestPendingSignalSeconds",
        (SELECT count(*) FROM timers WHERE fire_at <= now()) AS "timersDue",
        (SELECT count(*) FROM timers WHERE fire_at <= now() - make_interval(secs => ${lateAfterSeconds})) AS "timersLate"`.execute(this.db);
    const row = r.rows[0];
    const n = (v: string | number | null | undefined) => Number(v ?? 0);
    return {
      pendingTransitions: n(row?.pendingTransitions), scheduledTasks: n(row?.scheduledTasks), activityTasks: n(row?.activityTasks),
      oldestPendingSignalSeconds: n(row?.oldestPendingSignalSeconds), timersDue: n(row?.timersDue), timersLate: n(row?.timersLate),
    };
  }

  /** The highest migration applied (0 before any). Throws when Postgres does not answer. */
  async schemaVersion(): Promise<number> {
    const r = await sql<{ v: number | null }>`SELECT max(version) AS v FROM schema_migrations`.execute(this.db);
    return Number(r.rows[0]?.v ?? 0);
  }
}
