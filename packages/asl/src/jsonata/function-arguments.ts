/**
 * Argument errors of the functions Step Functions adds to JSONata, thrown as JSONata error objects so jsonata
 * renders its own catalog text: T0410 "Argument 2 of function "range" does not match function signature",
 * T0412 "Argument 1 of function "partition" must be an array of undefined", D3137 with a free message.
 */

export interface JsonataThrown {
  code?: string;
  message?: string;
  index?: number;
  token?: string;
}

/** T0410: the argument at `index` (1-based) has the wrong type, or is one argument too many. */
export function signatureError(fn: string, index: number): JsonataThrown {
  return { code: 'T0410', index, token: fn, message: `Argument ${index} of function "${fn}" does not match function signature` };
}

/** T0412 as AWS words it for an array parameter given a non-array (the element type is left undefined). */
export function notAnArrayError(fn: string, index: number): JsonataThrown {
  return { code: 'T0412', index, token: fn, message: `Argument ${index} of function "${fn}" must be an array of undefined` };
}

/** D3137: jsonata's "{{{message}}}" error, which AWS uses for bad argument values. */
export function valueError(message: string): JsonataThrown {
  return { code: 'D3137', message };
}

/** Rejects a call with more arguments than `arity`, naming the first surplus one. */
export function rejectSurplus(fn: string, args: readonly unknown[], arity: number): void {
  for (let i = arity; i < args.length; i++) {
    if (args[i] !== undefined) throw signatureError(fn, i + 1);
  }
}

/** AWS rounds a non-integer numeric argument towards zero (Java's long cast): -1.7 is -1, 2.9 is 2, NaN is 0. */
export function towardsZero(value: number): number {
  if (Number.isNaN(value)) return 0;
  return Math.trunc(value);
}

/** A JSONata sequence: a single-element result collapses to the bare value, an empty one to undefined. */
export function sequence(values: unknown[]): unknown[] {
  const out = [...values] as unknown[] & { sequence?: boolean };
  out.sequence = true;
  return out;
}
