import { StatesError } from '../../src/errors.js';
import { evaluateIntrinsic } from '../../src/intrinsics/index.js';
import type { Json } from '../../src/json.js';
import type { PathScope } from '../../src/path/index.js';
import { seededRandom, type RandomSource } from '../../src/random.js';

export function scopeOf(input: Json, extra: Partial<PathScope> = {}): PathScope {
  return { input, context: { Execution: { Name: 'exec-1' }, StateMachine: { Name: 'My-Machine-1' } }, random: seededRandom(5), ...extra };
}

export function run(text: string, input: Json = {}, extra: Partial<PathScope> = {}): Json {
  return evaluateIntrinsic(text, scopeOf(input, extra));
}

export function failure(text: string, input: Json = {}, extra: Partial<PathScope> = {}): StatesError {
  try {
    run(text, input, extra);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error(`expected ${text} to fail`);
}

/** The detail after "The function '<text>' had the following error: ", checking the wrapper. */
export function detail(text: string, input: Json = {}): string {
  const e = failure(text, input);
  if (e.error !== 'States.Runtime') throw new Error(`unexpected error name ${e.error}`);
  const prefix = `The function '${text}' had the following error: `;
  if (!e.cause?.startsWith(prefix)) throw new Error(`unexpected cause ${e.cause}`);
  return e.cause.slice(prefix.length);
}

/** A RandomSource that replays fixed numbers. */
export function fixedRandom(...values: number[]): RandomSource {
  let i = 0;
  return { next: () => values[i++ % values.length]! };
}
