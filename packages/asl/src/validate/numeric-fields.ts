/**
 * Whole-second fields that JSONPath states write as integers and JSONata states may also write as an expression
 * (Wait Seconds, Task TimeoutSeconds / HeartbeatSeconds, Map MaxConcurrency / ToleratedFailureCount /
 * ToleratedFailurePercentage), and their `...Path` twins (a reference path, JSONPath states only). A field and its
 * path twin exclude each other: "There should only be one of the following fields: [TimeoutSeconds,
 * TimeoutSecondsPath]".
 */
import type { JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataString, isJsonataString } from './jsonata-check.js';
import { checkReferencePathField } from './paths.js';
import { checkAtMostOne, checkInteger, checkNumber, type Range } from './value-checks.js';

export interface NumericField {
  readonly field: string;
  readonly range: Range;
  /** A decimal (ToleratedFailurePercentage) rather than an integer. */
  readonly decimal?: boolean;
}

/** Checks `field` and `${field}Path`; returns the literal value when it is a valid number. */
export function checkNumericPair(
  ctx: ValidationContext,
  state: JsonObject,
  location: string,
  language: QueryLanguage,
  spec: NumericField,
): number | undefined {
  const { report } = ctx;
  const pathField = `${spec.field}Path`;
  checkAtMostOne(report, state, location, [spec.field, pathField]);
  if (language === 'JSONPath' && pathField in state) {
    checkReferencePathField(report, state[pathField], at(location, pathField), false);
  }
  if (!(spec.field in state)) return undefined;
  const value = state[spec.field];
  const loc = at(location, spec.field);
  if (language === 'JSONata' && isJsonataString(value)) {
    checkJsonataString(report, value, loc, { errorOutput: false });
    return undefined;
  }
  const ok = spec.decimal ? checkNumber(report, value, loc, spec.range) : checkInteger(report, value, loc, spec.range);
  return ok ? (value as number) : undefined;
}
