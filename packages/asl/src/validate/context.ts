/**
 * What every check needs while walking one definition: the report, the machine type (EXPRESS machines refuse some
 * integrations), the state-name limit, and the machine's top-level query language, which nested states inherit
 * (AWS: a Map's or Parallel's own QueryLanguage does not reach the states inside it; they inherit the machine's).
 * The walk also records every (sub-)machine for the transition checks, and every state name seen so far.
 */
import type { JsonObject } from '../json.js';
import type { Report } from './diagnostics.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** A state machine, a Parallel branch or a Map item processor, as found during the walk. */
export interface MachineRecord {
  readonly location: string;
  readonly root: boolean;
  readonly startAt: unknown;
  readonly states: JsonObject;
}

export interface ValidationContext {
  readonly report: Report;
  readonly machineType: 'STANDARD' | 'EXPRESS';
  readonly maxStateNameLength: number;
  /** The language of the whole machine (top-level QueryLanguage, JSONPath when absent). */
  readonly topLanguage: QueryLanguage;
  /** True when the top-level QueryLanguage is exactly "JSONata": states may then not declare JSONPath. */
  readonly topDeclaresJsonata: boolean;
  readonly machines: MachineRecord[];
  readonly stateNames: Set<string>;
}
