/**
 * Retention: deletes closed executions whose stop date is older than a cutoff, in small batches (one statement,
 * one short transaction each). Deleting an execution row cascades to its signals, tasks, timers, task tokens,
 * activity tasks and Map Runs (each found through an index on its execution id, migration 0010).
 *
 * History does not cascade (migration 0012 partitions it by execution id range): the batch deletes the history
 * rows of executions whose ids lie in the partition the identity still allocates from (and any that reached the
 * default partition); below that, the partitions are sealed and their rows wait to be dropped with the whole
 * partition once its last execution is gone (`HistoryPartitions.dropEmpty`, run after each sweep).
 *
 * A Distributed Map's child executions go with their parent: a child is deleted only once its parent is itself
 * closed and past the cutoff, and a parent only once none of its children is left (the children of one batch go
 * first, the parent in a later batch). Rows another sweeper (or a redrive) holds are skipped (SKIP LOCKED), so
 * any number of timer replicas share the work without waiting on each other.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';
import { HistoryPartitions } from './history-partitions.js';

export class Retention {
  readonly partitions: HistoryPartitions;

  constructor(private readonly db: Kysely<DB>) {
    this.partitions = new HistoryPartitions(db);
  }

  /** Deletes up to `limit` executions that closed before `cutoff`; returns how many. */
  async deleteClosedBefore(cutoff: Date, limit: number): Promise<number> {
    // A parameter rather than a subquery, so that the history DELETE is pruned to the open partitions when planned.
    const sealed = (await this.partitions.sealedBelow()).toString();
    const r = await sql<{ n: string }>`
      WITH doomed AS (
        SELECT e.id FROM executions e
        WHERE e.status <> 'RUNNING' AND e.stop_date < ${cutoff}
          -- a parent waits for its children
          AND NOT EXISTS (SELECT 1 FROM map_runs m JOIN map_run_children c ON c.map_run_id = m.id WHERE m.execution_id = e.id)
          -- a child goes with its parent, not before
          AND NOT EXISTS (
            SELECT 1 FROM map_run_children c JOIN map_runs m ON m.id = c.map_run_id JOIN executions p ON p.id = m.execution_id
            WHERE c.execution_id = e.id AND (p.status = 'RUNNING' OR p.stop_date IS NULL OR p.stop_date >= ${cutoff}))
        ORDER BY e.stop_date
        LIMIT ${limit}
        FOR UPDATE OF e SKIP LOCKED
      ), gone AS (
        DELETE FROM executions WHERE id IN (SELECT id FROM doomed) RETURNING id
      ), open_history AS (
        DELETE FROM history_events WHERE execution_id >= ${sealed} AND execution_id IN (SELECT id FROM gone)
      ), stray_history AS (
        -- rows of a sealed range that arrived after their partition was dropped (see dropEmpty)
        DELETE FROM history_events_default WHERE execution_id < ${sealed} AND execution_id IN (SELECT id FROM gone)
      )
      SELECT count(*)::text AS n FROM gone`.execute(this.db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * Partition upkeep: creates the history partitions due ahead of the identity, then drops the sealed ones no
   * execution is left in. Runs with retention off too (partitions must exist ahead either way).
   */
  async maintainHistoryPartitions(): Promise<{ created: string[]; dropped: string[] }> {
    const created = await this.partitions.ensureAhead();
    const dropped = await this.partitions.dropEmpty();
    return { created, dropped };
  }

  /** Whether the server's autovacuum is on (without it, deleted rows' space is never reused). */
  async autovacuumOn(): Promise<boolean> {
    const r = await sql<{ autovacuum: string }>`SHOW autovacuum`.execute(this.db);
    return r.rows[0]?.autovacuum === 'on';
  }

  /**
   * VACUUM (not FULL: no exclusive lock) of the tables the sweep deletes from, so that their space is reused; for
   * the embedded database, which has no autovacuum. Outside any transaction; tables another vacuum holds are skipped.
   */
  async vacuum(): Promise<void> {
    await sql`VACUUM (SKIP_LOCKED) executions, history_events, signals, tasks, timers, task_tokens, activity_tasks, map_runs, map_run_children`
      .execute(this.db);
  }
}
