/**
 * Fail state (AWS developer guide, "Fail workflow state"): Error and Cause are strings (JSONata: possibly
 * expressions); ErrorPath and CausePath (JSONPath only) take a reference path or an intrinsic function call; a
 * field and its path twin exclude each other.
 */
import type { JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataString, isJsonataString } from './jsonata-check.js';
import { checkPathOrIntrinsicField } from './paths.js';
import { checkAtMostOne, checkString } from './value-checks.js';

export function checkFail(ctx: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  for (const field of ['Error', 'Cause']) {
    checkAtMostOne(report, state, location, [field, `${field}Path`]);
    if (field in state) {
      const loc = at(location, field);
      const value = state[field];
      if (language === 'JSONata' && isJsonataString(value)) checkJsonataString(report, value, loc, { errorOutput: false });
      else checkString(report, value, loc);
    }
    if (language === 'JSONPath' && `${field}Path` in state) {
      checkPathOrIntrinsicField(report, state[`${field}Path`], at(location, `${field}Path`));
    }
  }
}
