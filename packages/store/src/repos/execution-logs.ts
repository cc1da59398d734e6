/**
 * The execution-log outbox (migrations/0009): log events written in the transition's transaction, delivered to
 * CloudWatch Logs later by the worker role. A delivery claims a batch under a lease (the rows' next attempt is
 * pushed past the lease, so another replica skips them), then deletes what was delivered or reschedules the rest.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../schema.js';

export interface ExecutionLogEntryRow {
  logGroupArn: string;
  stateMachineName: string;
  eventTime: Date;
  /** The log event as AWS writes it (JSON text). */
  message: string;
}

export interface ClaimedExecutionLogRow extends ExecutionLogEntryRow {
  id: string;
  attempts: number;
}

export class ExecutionLogs {
  constructor(private readonly db: Kysely<DB>) {}

  async enqueue(entries: readonly ExecutionLogEntryRow[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => ({
      log_group_arn: e.logGroupArn, state_machine_name: e.stateMachineName, event_time: e.eventTime, message: e.message,
    }));
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('execution_log_outbox').values(rows.slice(i, i + 500)).execute();
  }

  /** Due entries, oldest first, leased until `leaseUntil` (rows another replica is claiming are skipped). */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedExecutionLogRow[]> {
    const { rows } = await sql<{ id: string; log_group_arn: string; state_machine_name: string; event_time: Date; message: string; attempts: number }>`
      UPDATE execution_log_outbox SET next_attempt_at = ${leaseUntil}
      WHERE id IN (
        SELECT id FROM execution_log_outbox WHERE next_attempt_at <= ${now} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
      )
      RETURNING id, log_group_arn, state_machine_name, event_time, message, attempts`.execute(this.db);
    return rows
      .map((r) => ({
        id: String(r.id), logGroupArn: r.log_group_arn, stateMachineName: r.state_machine_name, eventTime: new Date(r.event_time),
        message: r.message, attempts: r.attempts,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('execution_log_outbox').where('id', 'in', [...ids]).execute();
  }

  /** Counts a failed attempt and schedules the next one. */
  async reschedule(ids: readonly string[], nextAttemptAt: Date, error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('execution_log_outbox')
      .set({ attempts: sql`attempts + 1`, next_attempt_at: nextAttemptAt, last_error: error.slice(0, 1000) })
      .where('id', 'in', [...ids]).execute();
  }

  /** Entries waiting (the backlog), and the oldest one's event time. */
  async backlog(): Promise<{ count: number; oldest: Date | undefined }> {
    const r = await this.db.selectFrom('execution_log_outbox')
      .select([sql<string>`count(*)`.as('count'), sql<Date | null>`min(event_time)`.as('oldest')]).executeTakeFirst();
    return { count: Number(r?.count ?? 0), oldest: r?.oldest ? new Date(r.oldest) : undefined };
  }
}
