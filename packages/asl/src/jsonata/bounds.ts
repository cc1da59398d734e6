/**
 * AWS bounds JSONata evaluation ("Handling expression errors"): an expression that exceeds the maximum recursion
 * depth fails with "Stack overflow error", one that runs too long with "Expression evaluation timeout", one that
 * holds too much with "Expression evaluation memory limit exceeded". Each fails the field with
 * States.QueryEvaluationError. The depth bound is AWS's (100 nested evaluation steps); the time bound is counted in
 * evaluation steps, not milliseconds, so evaluation stays deterministic and pure (the engine adds a wall-clock
 * budget around whole steps).
 *
 * The memory bound is also what keeps the host alive: V8 aborts the whole process, not just the thread, when one
 * allocation is larger than it can ever serve ("Fatal JavaScript invalid size error"), and jsonata can be asked for
 * such allocations by a one-line expression (`$pad("", 200000000)`, or `$length` of a string doubled by `&` until
 * it has hundreds of millions of characters: concatenation itself costs nothing until the string is read). So every
 * value an evaluation step produces is checked here, where its length is known without reading it: no string
 * longer than 16 times the payload limit (4,194,304 characters at the default 256 KiB, a string AWS still builds)
 * and no array longer than 4 times the payload limit (every element costs at least one byte of output), nor, when
 * the host gives evaluations a heap budget, longer than a 64th of it: one allocation close to the heap budget makes
 * V8 abort the process instead of ending the thread, and jsonata's functions allocate several bytes per character.
 * The built-ins whose result can dwarf their arguments are checked before they allocate (bounded-builtins.ts).
 */
import type { Expression } from 'jsonata';
import { DEFAULT_LIMITS } from '../interpreter/types.js';

export const MAX_EVALUATION_DEPTH = 100;
/** Roughly a second of jsonata-js work on a current machine (AWS: "longer than 1 second"). */
export const MAX_EVALUATION_STEPS = 2_000_000;
export const MEMORY_LIMIT_MESSAGE = 'Expression evaluation memory limit exceeded';

export interface EvaluationBounds {
  maxDepth?: number;
  maxSteps?: number;
  /** Size the longest string and array an evaluation may build (default: AWS's 256 KiB, no heap budget). */
  payloadBytes?: number;
  memoryBytes?: number;
}

export interface SizeBounds {
  maxStringLength: number;
  maxArrayLength: number;
}

export function sizeBounds(payloadBytes = DEFAULT_LIMITS.payloadBytes, memoryBytes = Infinity): SizeBounds {
  const heapShare = Math.floor(memoryBytes / 64);
  return { maxStringLength: Math.min(16 * payloadBytes, heapShare), maxArrayLength: Math.min(4 * payloadBytes, heapShare) };
}

export function memoryLimitExceeded(): { message: string } {
  return { message: MEMORY_LIMIT_MESSAGE };
}

export function installEvaluationBounds(expression: Expression, bounds: EvaluationBounds = {}): void {
  const maxDepth = bounds.maxDepth ?? MAX_EVALUATION_DEPTH;
  const maxSteps = bounds.maxSteps ?? MAX_EVALUATION_STEPS;
  const { maxStringLength, maxArrayLength } = sizeBounds(bounds.payloadBytes, bounds.memoryBytes);
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
  bind(Symbol.for('jsonata.__evaluate_exit'), (_expr: unknown, _input: unknown, _env: unknown, result: unknown) => {
    depth--;
    if (typeof result === 'string' ? result.length > maxStringLength : Array.isArray(result) && result.length > maxArrayLength) {
      throw memoryLimitExceeded();
    }
  });
}
