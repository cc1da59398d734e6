/** Small builders for the JSONata data-flow tests: one-state machines, event lookups. */
import type { HistoryEvent, JsonObject } from '@baton/asl';

export const START = Date.UTC(2024, 0, 1);
export const LAMBDA = 'arn:aws:states:::lambda:invoke';

/** A JSONata machine whose states are given; the first one starts. */
export function jsonata(states: Record<string, JsonObject>): JsonObject {
  return { QueryLanguage: 'JSONata', StartAt: Object.keys(states)[0]!, States: states };
}

export function types(events: HistoryEvent[]): string[] {
  return events.map((e) => e.type);
}

export function eventOf(events: HistoryEvent[], type: string, nth = 0): HistoryEvent {
  const found = events.filter((e) => e.type === type)[nth];
  if (!found) throw new Error(`no ${type} event #${nth} in ${types(events).join(',')}`);
  return found;
}

/** The assignedVariables (parsed) of the StateExited event of `state`. */
export function assignedBy(events: HistoryEvent[], state: string): Record<string, unknown> | undefined {
  const exited = events.find(
    (e) => e.type.endsWith('StateExited') && (e.stateExitedEventDetails as { name?: string } | undefined)?.name === state,
  );
  const assigned = (exited?.stateExitedEventDetails as { assignedVariables?: Record<string, string> } | undefined)?.assignedVariables;
  return assigned === undefined ? undefined : Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, JSON.parse(v) as unknown]));
}
