/** Task tokens, by SHA-256 hash: `open` until used once (`completed`) or until the task ends otherwise (`timedOut`). */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { named } from '../prepared.js';
import type { DB } from '../schema.js';

export type TokenStatusValue = 'open' | 'completed' | 'timedOut';

export class Tokens {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(tokenHash: string, executionId: string, taskId: string): Promise<void> {
    await this.db.executeQuery(named('insert_token', this.db.insertInto('task_tokens').values({ token_hash: tokenHash, execution_id: executionId, task_id: taskId })
      .onConflict((oc) => oc.doNothing()).compile()));
  }

  /**
   * Locks the token's row, and says whether its task has timed out at `now` (epoch ms) though the step that times it
   * out has not committed yet (`late`): its TimeoutSeconds timer is due, or has fired and its signal waits; or its
   * heartbeat timer is, unless a heartbeat waits to be stepped before that (it re-arms the timer: the task lives on).
   */
  async lock(tokenHash: string, now: number): Promise<{ executionId: string; taskId: string; status: TokenStatusValue; late: boolean } | undefined> {
    const at = new Date(now);
    // A heartbeat of the task waiting to be stepped (before signal `id`, when given).
    const beatWaiting = (before?: RawBuilder<unknown>) => sql`EXISTS (SELECT 1 FROM signals h WHERE h.execution_id = t.execution_id
      AND h.consumed_at IS NULL AND h.body->>'kind' = 'taskHeartbeat' AND h.body->>'taskId' = t.task_id${before ? sql` AND h.id < ${before}` : sql``})`;
    const { rows: [r] } = await this.db.executeQuery(named('lock_token', sql<{ execution_id: string; task_id: string; status: string; late: boolean }>`
      SELECT t.execution_id, t.task_id, t.status, t.status = 'open' AND (
        EXISTS (SELECT 1 FROM timers d WHERE d.execution_id = t.execution_id AND d.task_id = t.task_id AND d.fire_at <= ${at}
          AND (d.purpose = 'taskTimeout' OR (d.purpose = 'heartbeat' AND NOT ${beatWaiting()})))
        OR EXISTS (SELECT 1 FROM signals f WHERE f.execution_id = t.execution_id AND f.consumed_at IS NULL
          AND f.body->>'kind' = 'timerFired' AND f.body->>'taskId' = t.task_id
          AND (f.body->>'purpose' = 'taskTimeout' OR (f.body->>'purpose' = 'heartbeat' AND NOT ${beatWaiting(sql`f.id`)})))
      ) AS late
      FROM task_tokens t WHERE t.token_hash = ${tokenHash} FOR UPDATE OF t`.compile(this.db)));
    return r && { executionId: String(r.execution_id), taskId: r.task_id, status: r.status as TokenStatusValue, late: r.late };
  }

  async setStatus(tokenHash: string, status: TokenStatusValue): Promise<void> {
    await this.db.executeQuery(named('set_token_status', this.db.updateTable('task_tokens').set({ status }).where('token_hash', '=', tokenHash).compile()));
  }

  /** Uses up the open tokens of one task (`completed`); returns how many were open. */
  async completeOpen(executionId: string, taskId: string): Promise<number> {
    const res = await this.db.executeQuery(named('complete_tokens', this.db.updateTable('task_tokens').set({ status: 'completed' })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'open').compile()));
    return Number(res.numAffectedRows);
  }

  /** The statuses of every token minted for one task. */
  async statuses(executionId: string, taskId: string): Promise<TokenStatusValue[]> {
    const rows = await this.db.selectFrom('task_tokens').select('status').where('execution_id', '=', executionId)
      .where('task_id', '=', taskId).execute();
    return rows.map((r) => r.status as TokenStatusValue);
  }

  /**
   * Closes the open tokens of a task its timer ended (`timedOut`); true when one of them was used meanwhile (an
   * answer accepted, its signal not in the step that timed the task out). The update waits for an answer's
   * transaction holding the token, then sees its outcome; a used token is rewritten as it is, to be reported.
   */
  async closeTimedOut(executionId: string, taskId: string): Promise<boolean> {
    const r = await this.db.executeQuery(named('close_timed_out_tokens', sql<{ status: string }>`
      UPDATE task_tokens SET status = CASE WHEN status = 'open' THEN 'timedOut' ELSE status END
      WHERE execution_id = ${executionId} AND task_id = ${taskId} AND status IN ('open', 'completed')
      RETURNING status`.compile(this.db)));
    return r.rows.some((x) => x.status === 'completed');
  }

  async close(executionId: string, taskId: string | undefined, status: TokenStatusValue): Promise<void> {
    const all = this.db.updateTable('task_tokens').set({ status }).where('execution_id', '=', executionId).where('status', '=', 'open');
    // One task's tokens (each task's end): named (prepared.ts); every token of an execution (its end): once.
    await this.db.executeQuery(taskId !== undefined ? named('close_task_tokens', all.where('task_id', '=', taskId).compile()) : all.compile());
  }
}
