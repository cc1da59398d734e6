/** History events: one row per event, keyed (execution_id, event_id) so that an event can never be written twice. */
import type { Kysely } from 'kysely';
import type { HistoryEvent } from '@baton/asl';
import { json, type DB } from '../schema.js';

export class History {
  constructor(private readonly db: Kysely<DB>) {}

  async append(executionId: string, events: readonly HistoryEvent[]): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((e) => {
      const { id, previousEventId, timestamp, type, ...details } = e;
      return {
        execution_id: executionId, event_id: id, previous_event_id: previousEventId, type,
        timestamp: new Date(timestamp), details: json(details),
      };
    });
    for (let i = 0; i < rows.length; i += 500) await this.db.insertInto('history_events').values(rows.slice(i, i + 500)).execute();
  }

  async list(executionId: string, o: { offset: number; limit: number; reverse: boolean }): Promise<HistoryEvent[]> {
    const rows = await this.db.selectFrom('history_events').selectAll().where('execution_id', '=', executionId)
      .orderBy('event_id', o.reverse ? 'desc' : 'asc').offset(o.offset).limit(o.limit).execute();
    return rows.map((r) => ({
      id: r.event_id, previousEventId: r.previous_event_id, timestamp: r.timestamp.getTime(), type: r.type, ...r.details,
    }));
  }
}
