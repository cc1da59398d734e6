/**
 * The functions Step Functions adds to JSONata 2.0.6 ("JSONata functions provided by Step Functions": $partition,
 * $range, $hash, $random, $uuid, $parse), `$eval` made unavailable (calling it is T1006 "Attempted to invoke a
 * non-function", as for any unknown function), and the clock and randomness of `$now`, `$millis`, `$shuffle`
 * taken from the caller so evaluation stays deterministic.
 */
import type { Expression, Focus } from 'jsonata';
import type { RandomSource } from '../random.js';
import { hash } from './hash.js';
import { parse } from './parse.js';
import { partition } from './partition.js';
import { randomFunction, shuffleFunction, uuidFunction } from './random-functions.js';
import { range } from './range.js';

export { MAX_RANGE_ELEMENTS } from './range.js';

export interface FunctionInputs {
  random: RandomSource;
  /** Epoch milliseconds for `$now()` / `$millis()`. */
  now?: number;
}

export function registerStepFunctionsFunctions(expression: Expression, inputs: FunctionInputs): void {
  expression.registerFunction('partition', partition);
  expression.registerFunction('range', range);
  expression.registerFunction('hash', hash);
  expression.registerFunction('parse', parse);
  expression.registerFunction('random', randomFunction(inputs.random));
  expression.registerFunction('uuid', uuidFunction(inputs.random));
  expression.registerFunction('shuffle', shuffleFunction(inputs.random), '<a:a>');
  // Bound to a value that is not a function: `$eval(...)` then fails with jsonata's own T1006.
  expression.assign('eval', false);
  const now = inputs.now;
  if (now !== undefined) {
    expression.registerFunction(
      'now',
      function (this: Focus, picture?: string, timezone?: string): unknown {
        const fromMillis = this.environment.lookup('fromMillis') as { implementation: (...a: unknown[]) => unknown };
        return fromMillis.implementation(now, picture, timezone);
      },
      '<s?s?:s>',
    );
    expression.registerFunction('millis', () => now, '<:n>');
  }
}
