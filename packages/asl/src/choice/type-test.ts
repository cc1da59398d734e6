/**
 * The Is* Choice Rule operators: IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp. The operand is
 * a boolean and the rule holds when the test's outcome equals it ("IsString": false matches a number).
 * IsPresent is the one operator that accepts a Variable path that is not in the input (AWS: it is how a rule
 * guards a key that might not exist); recorded on AWS, a null value is present.
 */
import type { Json } from '../json.js';
import type { TypeTest } from './operators.js';
import { isTimestamp } from './timestamp.js';

/** The outcome of an Is* test; `value` is undefined when the Variable path was not found. */
export function typeTest(test: TypeTest, value: Json | undefined): boolean {
  switch (test) {
    case 'IsPresent':
      return value !== undefined;
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    case 'IsTimestamp':
      return isTimestamp(value);
    default: {
      const never: never = test;
      throw new Error(`unknown type test ${String(never)}`);
    }
  }
}
