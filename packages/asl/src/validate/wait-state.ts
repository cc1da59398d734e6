/**
 * Wait state (AWS developer guide, "Wait workflow state"): exactly one of Seconds (a non-negative integer up to
 * 99999999, or an expression in JSONata), Timestamp (an RFC 3339 timestamp such as 2016-08-18T17:33:00Z, or an
 * expression), SecondsPath and TimestampPath (reference paths, JSONPath only).
 */
import type { JsonObject } from '../json.js';
import { isTimestamp } from '../choice/index.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataString, isJsonataString } from './jsonata-check.js';
import { message } from './messages.js';
import { checkReferencePathField } from './paths.js';
import { checkInteger, checkString } from './value-checks.js';

export function checkWait(ctx: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  const fields = language === 'JSONPath' ? ['SecondsPath', 'Seconds', 'TimestampPath', 'Timestamp'] : ['Seconds', 'Timestamp'];
  const present = fields.filter((f) => f in state);
  if (present.length === 0) report.schema(message.exactlyOneOf(fields), location);
  else if (present.length > 1) report.schema(message.onlyOneOf(fields), location);

  if ('Seconds' in state) {
    const loc = at(location, 'Seconds');
    if (language === 'JSONata' && isJsonataString(state.Seconds)) checkJsonataString(report, state.Seconds, loc, { errorOutput: false });
    else checkInteger(report, state.Seconds, loc, { min: 0, max: 99999999 });
  }
  if ('Timestamp' in state) {
    const loc = at(location, 'Timestamp');
    const value = state.Timestamp;
    if (language === 'JSONata' && isJsonataString(value)) checkJsonataString(report, value, loc, { errorOutput: false });
    else if (checkString(report, value, loc) && !isTimestamp(value)) report.schema('String does not match RFC3339 timestamp', loc);
  }
  if (language === 'JSONPath') {
    for (const field of ['SecondsPath', 'TimestampPath']) {
      if (field in state) checkReferencePathField(report, state[field], at(location, field), false);
    }
  }
}
