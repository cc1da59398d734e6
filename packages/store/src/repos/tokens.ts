/** Task tokens, by SHA-256 hash: `open` until used once (`completed`) or until the task ends otherwise (`timedOut`). */
import type { Kysely } from 'kysely';
import { named } from '../prepared.js';
import type { DB } from '../schema.js';

export type TokenStatusValue = 'open' | 'completed' | 'timedOut';

export class Tokens {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(tokenHash: string, executionId: string, taskId: string): Promise<void> {
    await this.db.executeQuery(named('insert_token', this.db.insertInto('task_tokens').values({ token_hash: tokenHash, execution_id: executionId, task_id: taskId })
      .onConflict((oc) => oc.doNothing()).compile()));
  }

  async lock(tokenHash: string): Promise<{ executionId: string; taskId: string; status: TokenStatusValue } | undefined> {
    const { rows: [r] } = await this.db.executeQuery(named('lock_token', this.db.selectFrom('task_tokens').select(['execution_id', 'task_id', 'status'])
      .where('token_hash', '=', tokenHash).forUpdate().compile()));
    return r && { executionId: String(r.execution_id), taskId: r.task_id, status: r.status as TokenStatusValue };
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

  async close(executionId: string, taskId: string | undefined, status: TokenStatusValue): Promise<void> {
    const all = this.db.updateTable('task_tokens').set({ status }).where('execution_id', '=', executionId).where('status', '=', 'open');
    // One task's tokens (each task's end): named (prepared.ts); every token of an execution (its end): once.
    await this.db.executeQuery(taskId !== undefined ? named('close_task_tokens', all.where('task_id', '=', taskId).compile()) : all.compile());
  }
}
