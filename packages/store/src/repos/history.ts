/** History events: one row per event, keyed (execution_id, event_id) so that an event can never be written twice. */
import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { HistoryEvent } from '@baton/asl';
import { prepared } from '../prepared.js';
import { json, type DB } from '../schema.js';

/** Events per statement: bounds one statement's size for a step that writes very many (a Map's, a redrive's). */
const APPEND_BATCH = 1000;
const APPEND = prepared('append_history', `INSERT INTO history_events (execution_id, event_id, previous_event_id, type, "timestamp", details)
SELECT $1::bigint, e.event_id, e.previous_event_id, e.type, e.ts, e.details::json
FROM unnest($2::integer[], $3::integer[], $4::text[], $5::timestamptz[], $6::text[]) AS e(event_id, previous_event_id, type, ts, details)`);

/**
 * Events as the columns both the history append and the one-statement commit insert them from (unnest of five
 * arrays, after the execution id): ids, previous ids, types, timestamps, details (the rest of each event, as JSON).
 */
export function eventColumns(events: readonly HistoryEvent[]): [number[], number[], string[], Date[], string[]] {
  return [
    events.map((e) => e.id), events.map((e) => e.previousEventId), events.map((e) => e.type), events.map((e) => new Date(e.timestamp)),
    events.map(({ id: _i, previousEventId: _p, timestamp: _t, type: _y, ...rest }) => json(rest)),
  ];
}

export class History {
  constructor(private readonly db: Kysely<DB>) {}

  /** One statement of constant text whatever the number of events (their columns as arrays): named (prepared.ts). */
  async append(executionId: string, events: readonly HistoryEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += APPEND_BATCH) {
      await this.db.executeQuery(CompiledQuery.raw(APPEND, [executionId, ...eventColumns(events.slice(i, i + APPEND_BATCH))]));
    }
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
