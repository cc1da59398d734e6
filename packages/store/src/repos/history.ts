/** History events: one row per event, keyed (execution_id, event_id) so that an event can never be written twice. */
import type { Kysely, Selectable } from 'kysely';
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
    return rows.map(toEvent);
  }

  /** Events with ids from `fromEventId` on (ids run 1..n), by primary key: cheap however long the history is. */
  async range(executionId: string, fromEventId: number, limit: number): Promise<HistoryEvent[]> {
    const rows = await this.db.selectFrom('history_events').selectAll().where('execution_id', '=', executionId)
      .where('event_id', '>=', fromEventId).orderBy('event_id', 'asc').limit(limit).execute();
    return rows.map(toEvent);
  }

  /** The newest event id (0 without events): one step down the primary key. */
  async lastEventId(executionId: string): Promise<number> {
    const r = await this.db.selectFrom('history_events').select('event_id').where('execution_id', '=', executionId)
      .orderBy('event_id', 'desc').limit(1).executeTakeFirst();
    return r?.event_id ?? 0;
  }
}

function toEvent(r: Selectable<DB['history_events']>): HistoryEvent {
  return { id: r.event_id, previousEventId: r.previous_event_id, timestamp: r.timestamp.getTime(), type: r.type, ...r.details };
}
