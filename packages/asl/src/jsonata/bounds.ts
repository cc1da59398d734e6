/**
 * AWS bounds JSONata evaluation ("Handling expression errors"): an expression that exceeds the maximum recursion
 * depth fails with "Stack overflow error", one that runs too long with "Expression evaluation timeout". Both fail
 * the field with States.QueryEvaluationError. The depth bound is AWS's (100 nested evaluation steps); the time
 * bound is counted in evaluation steps, not milliseconds, so evaluation stays deterministic and pure.
 */
import type { Expression } from 'jsonata';

export const MAX_EVALUATION_DEPTH = 100;
/** Roughly a second of jsonata-js work on a current machine (AWS: "longer than 1 second"). */
export const MAX_EVALUATION_STEPS = 2_000_000;

export interface EvaluationBounds {
  maxDepth?: number;
  maxSteps?: number;
}

export function installEvaluationBounds(expression: Expression, bounds: EvaluationBounds = {}): void {
  const maxDepth = bounds.maxDepth ?? MAX_EVALUATION_DEPTH;
  const maxSteps = bounds.maxSteps ?? MAX_EVALUATION_STEPS;
  let depth = 0;
  let steps = 0;
  const bind = expression.assign as (name: string | symbol, value: unknown) => void;
  bind(Symbol.for('jsonata.__evaluate_entry'), () => {
    depth++;
    steps++;
    if (depth > maxDepth) {
      throw {
        message: `Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive. Depth=${depth} max=${maxDepth}`,
      };
    }
    if (steps > maxSteps) throw { message: 'Expression evaluation timeout: Check for infinite loop' };
  });
  bind(Symbol.for('jsonata.__evaluate_exit'), () => {
    depth--;
  });
}
