/**
 * `$range(start, end, step)`: the JSONata equivalent of States.ArrayRange. Values from `start` towards `end`
 * (inclusive when a step lands on it). Recorded on AWS: `$range(0, 10, 3)` is `[0,3,6,9]` and a single-element
 * range collapses to the bare number (`$range(1, 9, 9)` is `1`), which is JSONata sequence semantics. A missing or
 * zero step, or one pointing away from `end`, gives undefined. Larger ranges than AWS builds fail its memory bound.
 */
import { rejectSurplus, sequence, signatureError, towardsZero } from './function-arguments.js';

/** The most elements AWS's `$range` builds before "Expression evaluation memory limit exceeded". */
export const MAX_RANGE_ELEMENTS = 360_145;

export function range(...args: unknown[]): unknown {
  rejectSurplus('range', args, 3);
  const [startArg, endArg, stepArg] = args;
  if (typeof startArg !== 'number') throw signatureError('range', 1);
  if (typeof endArg !== 'number') throw signatureError('range', 2);
  if (stepArg === undefined) return undefined;
  if (typeof stepArg !== 'number') throw signatureError('range', 3);
  const start = towardsZero(startArg);
  const end = towardsZero(endArg);
  const step = towardsZero(stepArg);
  if (step === 0 || (step > 0 && start > end) || (step < 0 && start < end)) return undefined;
  const count = Math.floor((end - start) / step) + 1;
  if (!Number.isFinite(count) || count > MAX_RANGE_ELEMENTS) {
    throw { message: 'Expression evaluation memory limit exceeded' };
  }
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(start + i * step);
  return sequence(values);
}
