/** The durable inbox of signals per execution; a transition consumes all pending ones in order. */
import { sql, type Kysely } from 'kysely';
import type { Signal } from '@baton/asl';
import { json, type DB } from '../schema.js';

export class Signals {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(executionId: string, signal: Signal): Promise<string> {
    const r = await this.db.insertInto('signals').values({ execution_id: executionId, body: json(signal) }).returning('id')
      .executeTakeFirstOrThrow();
    return String(r.id);
  }

  async pending(executionId: string): Promise<{ id: string; signal: Signal }[]> {
    const rows = await this.db.selectFrom('signals').select(['id', 'body']).where('execution_id', '=', executionId)
      .where('consumed_at', 'is', null).orderBy('id').execute();
    return rows.map((r) => ({ id: String(r.id), signal: r.body as Signal }));
  }

  async consume(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const res = await this.db.updateTable('signals').set({ consumed_at: sql`now()` })
      .where('id', 'in', ids as string[]).where('consumed_at', 'is', null).executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  async stale(before: Date, limit: number): Promise<{ executionId: string; signalId: string }[]> {
    const rows = await this.db.selectFrom('signals').select(['execution_id', (eb) => eb.fn.max('id').as('id')])
      .where('consumed_at', 'is', null).where('created_at', '<', before).groupBy('execution_id').limit(limit).execute();
    return rows.map((r) => ({ executionId: String(r.execution_id), signalId: String(r.id) }));
  }
}
