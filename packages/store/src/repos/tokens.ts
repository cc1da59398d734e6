/** Task tokens, by SHA-256 hash: `open` until used once (`completed`) or until the task ends otherwise (`timedOut`). */
import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

export type TokenStatusValue = 'open' | 'completed' | 'timedOut';

export class Tokens {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(tokenHash: string, executionId: string, taskId: string): Promise<void> {
    await this.db.insertInto('task_tokens').values({ token_hash: tokenHash, execution_id: executionId, task_id: taskId })
      .onConflict((oc) => oc.doNothing()).execute();
  }

  async lock(tokenHash: string): Promise<{ executionId: string; taskId: string; status: TokenStatusValue } | undefined> {
    const r = await this.db.selectFrom('task_tokens').select(['execution_id', 'task_id', 'status'])
      .where('token_hash', '=', tokenHash).forUpdate().executeTakeFirst();
    return r && { executionId: String(r.execution_id), taskId: r.task_id, status: r.status as TokenStatusValue };
  }

  async setStatus(tokenHash: string, status: TokenStatusValue): Promise<void> {
    await this.db.updateTable('task_tokens').set({ status }).where('token_hash', '=', tokenHash).execute();
  }

  /** Uses up the open tokens of one task (`completed`); returns how many were open. */
  async completeOpen(executionId: string, taskId: string): Promise<number> {
    const res = await this.db.updateTable('task_tokens').set({ status: 'completed' })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'open').executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** The statuses of every token minted for one task. */
  async statuses(executionId: string, taskId: string): Promise<TokenStatusValue[]> {
    const rows = await this.db.selectFrom('task_tokens').select('status').where('execution_id', '=', executionId)
      .where('task_id', '=', taskId).execute();
    return rows.map((r) => r.status as TokenStatusValue);
  }

  async close(executionId: string, taskId: string | undefined, status: TokenStatusValue): Promise<void> {
    let q = this.db.updateTable('task_tokens').set({ status }).where('execution_id', '=', executionId).where('status', '=', 'open');
    if (taskId !== undefined) q = q.where('task_id', '=', taskId);
    await q.execute();
  }
}
