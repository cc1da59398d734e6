/**
 * Typed comparisons of a Choice Rule. "For each of these operators, the corresponding value must be of the
 * appropriate type: string, number, Boolean, or timestamp. Step Functions doesn't attempt to match a numeric
 * field to a string value." A value of the wrong type makes the comparison false, never an error (recorded on
 * AWS: NumericEquals against "", null, [], {}, true is false; so is TimestampEquals against a number).
 *
 * - Strings order as Java's String.compareTo (the guide points there): UTF-16 code units, which is what
 *   JavaScript's `<` compares, so "A" < "AB" and "A" < "A ".
 * - Numbers compare by value: 1 equals 1.0 (JSON has no other distinction).
 * - Timestamps compare as instants, so offsets count: 2012-10-09T20:00:55+01:00 equals 2012-10-09T19:00:55Z.
 */
import type { Json } from '../json.js';
import type { OperandKind, Relation } from './operators.js';
import { compareInstants, parseTimestamp } from './timestamp.js';

function holds(relation: Relation, order: number): boolean {
  switch (relation) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
    default: {
      const never: never = relation;
      throw new Error(`unknown relation ${String(never)}`);
    }
  }
}

/** Sign of the comparison of `a` with `b` when both are of `kind`, otherwise undefined. */
function order(kind: OperandKind, a: Json, b: Json): number | undefined {
  switch (kind) {
    case 'string':
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'numeric':
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'boolean':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return undefined;
      return a === b ? 0 : 1;
    case 'timestamp': {
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      const x = parseTimestamp(a);
      const y = parseTimestamp(b);
      if (!x || !y) return undefined;
      return compareInstants(x, y);
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown operand kind ${String(never)}`);
    }
  }
}

/** Whether `value <relation> operand` holds for values of `kind`; false when either is not of that kind. */
export function compareTyped(kind: OperandKind, relation: Relation, value: Json, operand: Json): boolean {
  const o = order(kind, value, operand);
  return o !== undefined && holds(relation, o);
}
