/** Durable timers. Due ones are claimed with FOR UPDATE SKIP LOCKED and deleted, so no two replicas fire one. */
import { sql, type Kysely } from 'kysely';
import type { TimerPurpose } from '@baton/asl';
import type { DB } from '../schema.js';

export interface TimerRow {
  executionId: string;
  timerId: string;
  fireAt: Date;
  purpose: TimerPurpose | 'poll';
  taskId: string | null;
}

export class Timers {
  constructor(private readonly db: Kysely<DB>) {}

  async upsert(t: TimerRow): Promise<void> {
    await this.db.insertInto('timers').values({
      execution_id: t.executionId, timer_id: t.timerId, fire_at: t.fireAt, purpose: t.purpose, task_id: t.taskId,
    }).onConflict((oc) => oc.columns(['execution_id', 'timer_id']).doUpdateSet({ fire_at: t.fireAt, purpose: t.purpose, task_id: t.taskId }))
      .execute();
  }

  async delete(executionId: string, timerId: string): Promise<void> {
    await this.db.deleteFrom('timers').where('execution_id', '=', executionId).where('timer_id', '=', timerId).execute();
  }

  async deleteAll(executionId: string): Promise<void> {
    await this.db.deleteFrom('timers').where('execution_id', '=', executionId).execute();
  }

  async claimDue(now: Date, limit: number): Promise<TimerRow[]> {
    const r = await sql<{ execution_id: string; timer_id: string; fire_at: Date; purpose: string; task_id: string | null }>`
      DELETE FROM timers t USING (
        SELECT execution_id, timer_id FROM timers WHERE fire_at <= ${now}
        ORDER BY fire_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ) due
      WHERE t.execution_id = due.execution_id AND t.timer_id = due.timer_id
      RETURNING t.execution_id, t.timer_id, t.fire_at, t.purpose, t.task_id`.execute(this.db);
    return r.rows
      .map((x) => ({ executionId: String(x.execution_id), timerId: x.timer_id, fireAt: x.fire_at, purpose: x.purpose as TimerRow['purpose'], taskId: x.task_id }))
      .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
  }

  async nextDue(): Promise<Date | undefined> {
    const r = await this.db.selectFrom('timers').select((eb) => eb.fn.min('fire_at').as('next')).executeTakeFirst();
    return r?.next ? new Date(r.next as Date) : undefined;
  }
}
