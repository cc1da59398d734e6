/**
 * What a JSONata expression sees in a JSONata state (AWS "Reserved variable: $states"): `$states` with
 * `input`, `context`, and, where the field allows them, `result` (Task/Parallel/Map after success) or
 * `errorOutput` (a Catch's Assign/Output); the workflow variables as `$name`; no context item (`$` is undefined).
 */
import type { Json, JsonObject } from '../json.js';
import type { RandomSource } from '../random.js';

export interface StatesBinding {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

export interface JsonataScope {
  /** The reserved `$states` variable; absent members are "not available here". */
  states: StatesBinding;
  /** Workflow variables visible to this state, as they were on state entry. */
  variables: Record<string, Json>;
  /** For `$random()`, `$uuid()` and `$shuffle()`. */
  random: RandomSource;
  /**
   * Not used: AWS's `$partition` is the array-chunking function (`$partition(array, size)`), not the AWS
   * partition name. Kept so callers written against the first draft of this interface still compile.
   */
  partition?: string;
  /** Epoch milliseconds that `$now()` and `$millis()` answer. When absent they read jsonata's own clock. */
  now?: number;
  /** The payload limit and the host's heap for an evaluation: they size the longest string and array an expression may build (bounds.ts). */
  payloadBytes?: number;
  memoryBytes?: number;
  /** Called as each expression begins; it may throw to fail the expression (the host's evaluation budgets). */
  beforeEvaluate?: (expression: string, location: string) => void;
}

/** `$states` as AWS binds it: members in the order input, context, result, errorOutput; absent ones left out. */
export function statesObject(states: StatesBinding): JsonObject {
  const out: JsonObject = { input: states.input, context: states.context };
  if (states.result !== undefined) out.result = states.result;
  if (states.errorOutput !== undefined) out.errorOutput = states.errorOutput;
  return out;
}
