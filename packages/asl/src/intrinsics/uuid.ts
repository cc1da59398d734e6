/** States.UUID (AWS "Intrinsic for unique ID generation"): a version 4 UUID drawn from the scope's RandomSource. */
import type { Json } from '../json.js';
import { randomUuid, type RandomSource } from '../random.js';

export function uuid(random: RandomSource): Json {
  return randomUuid(random);
}
