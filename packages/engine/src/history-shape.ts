/**
 * History events in the SDK's shape: timestamps as Date, details as stored. Without execution data
 * (`includeExecutionData: false`), inputs and outputs are left out and their `*Details.included` is false.
 */
import type { HistoryEvent as ApiHistoryEvent } from '@baton/api-contract';
import type { HistoryEvent } from '@baton/asl';

const DATA_FIELDS = ['input', 'output'] as const;

export function toApiEvent(e: HistoryEvent, includeExecutionData: boolean): ApiHistoryEvent {
  const { id, previousEventId, timestamp, type, ...details } = e;
  const out: Record<string, unknown> = { timestamp: new Date(timestamp), type, id, previousEventId };
  for (const [key, value] of Object.entries(details)) {
    if (includeExecutionData || typeof value !== 'object' || value === null) {
      out[key] = value;
      continue;
    }
    const d: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const f of DATA_FIELDS) {
      if (f in d) {
        delete d[f];
        d[`${f}Details`] = { included: false };
      }
    }
    out[key] = d;
  }
  return out as unknown as ApiHistoryEvent;
}
