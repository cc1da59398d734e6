import type { JsonataScope, StatesBinding } from '../../src/jsonata/index.js';
import type { Json } from '../../src/json.js';
import { seededRandom } from '../../src/random.js';

/** A scope for tests: input/context given, a fixed random seed, no clock unless asked. */
export function scopeOf(states: Partial<StatesBinding> = {}, variables: Record<string, Json> = {}, extra: Partial<JsonataScope> = {}): JsonataScope {
  return {
    states: { input: {}, context: { State: { Name: 'S' } }, ...states },
    variables,
    random: seededRandom(1234),
    ...extra,
  };
}
