/**
 * How history events spell their details (AWS GetExecutionHistory, "HistoryEvent"): payloads (input, output,
 * parameters) are JSON text beside a `...Details: { truncated: false }` companion, and an event's details sit under
 * its type with a lower-case first letter plus `EventDetails` (MapIterationStarted: mapIterationStartedEventDetails).
 */
import type { Json } from '../json.js';

/** A payload as history records it: JSON text. */
export const jsonText = (v: Json): string => JSON.stringify(v);

/** The companion of every payload: Baton records payloads whole. */
export const untruncated = { truncated: false } as const;

/** The key an event of `type` keeps its details under. */
export function detailsKey(type: string): string {
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}
