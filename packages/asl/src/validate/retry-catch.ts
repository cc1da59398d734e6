/**
 * Retriers and Catchers (AWS developer guide, "Handling errors in Step Functions workflows"): `ErrorEquals` is a
 * required non-empty array of error names, and "States.ALL must appear alone and at end of list" (alone in its
 * ErrorEquals, in the last Retrier / Catcher). A Retrier takes IntervalSeconds (1..99999999), MaxAttempts
 * (0..99999999), BackoffRate (>= 1.0), MaxDelaySeconds (1..31622400) and JitterStrategy (FULL | NONE); a Catcher
 * needs Next and takes ResultPath (JSONPath states) or Output (JSONata states), and Assign, which both may read
 * `$states.errorOutput`.
 */
import type { Json, JsonObject } from '../json.js';
import { at, item, type Report } from './diagnostics.js';
import { checkAssign } from './assign.js';
import type { ValidationContext, QueryLanguage } from './context.js';
import { checkJsonataValue } from './jsonata-check.js';
import { message } from './messages.js';
import { checkReferencePathField } from './paths.js';
import {
  checkAllowedFields, checkArray, checkEnum, checkInteger, checkNumber, checkObject, checkRequired, checkString,
} from './value-checks.js';

const RETRIER_FIELDS = new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);
const CATCHER_FIELDS = new Set(['ErrorEquals', 'Next', 'ResultPath', 'Output', 'Assign', 'Comment']);
const MAX_SECONDS = 99999999;

function checkErrorEquals(report: Report, value: Json | undefined, location: string, last: boolean): void {
  if (!checkArray(report, value, location)) return;
  if (value.length === 0) {
    report.schema(message.empty(), location);
    return;
  }
  value.forEach((name, j) => {
    if (!checkString(report, name, item(location, j))) return;
    if (name === 'States.ALL' && (value.length > 1 || !last)) report.schema(message.statesAll(), item(location, j));
  });
}

function forEachEntry(
  report: Report,
  value: Json | undefined,
  location: string,
  check: (entry: JsonObject, location: string, last: boolean) => void,
): void {
  if (!checkArray(report, value, location)) return;
  value.forEach((entry, i) => {
    const loc = item(location, i);
    if (checkObject(report, entry, loc)) check(entry, loc, i === value.length - 1);
  });
}

export function checkRetry(ctx: ValidationContext, value: Json | undefined, location: string): void {
  const { report } = ctx;
  forEachEntry(report, value, location, (retrier, loc, last) => {
    checkRequired(report, retrier, loc, ['ErrorEquals']);
    checkAllowedFields(report, retrier, loc, RETRIER_FIELDS);
    if ('ErrorEquals' in retrier) checkErrorEquals(report, retrier.ErrorEquals, at(loc, 'ErrorEquals'), last);
    if ('IntervalSeconds' in retrier) checkInteger(report, retrier.IntervalSeconds, at(loc, 'IntervalSeconds'), { min: 1, max: MAX_SECONDS });
    if ('MaxAttempts' in retrier) checkInteger(report, retrier.MaxAttempts, at(loc, 'MaxAttempts'), { min: 0, max: MAX_SECONDS });
    if ('BackoffRate' in retrier) checkNumber(report, retrier.BackoffRate, at(loc, 'BackoffRate'), { min: 1 });
    if ('MaxDelaySeconds' in retrier) checkInteger(report, retrier.MaxDelaySeconds, at(loc, 'MaxDelaySeconds'), { min: 1, max: 31622400 });
    if ('JitterStrategy' in retrier) checkEnum(report, retrier.JitterStrategy, at(loc, 'JitterStrategy'), ['FULL', 'NONE']);
    if ('Comment' in retrier) checkString(report, retrier.Comment, at(loc, 'Comment'));
  });
}

export function checkCatch(ctx: ValidationContext, value: Json | undefined, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  forEachEntry(report, value, location, (catcher, loc, last) => {
    checkRequired(report, catcher, loc, ['ErrorEquals', 'Next']);
    if (language === 'JSONPath' && 'Output' in catcher) report.schema(message.jsonataOnly('Output'), loc);
    if (language === 'JSONata' && 'ResultPath' in catcher) report.schema(message.jsonPathOnly('ResultPath'), loc);
    checkAllowedFields(report, catcher, loc, CATCHER_FIELDS);
    if ('ErrorEquals' in catcher) checkErrorEquals(report, catcher.ErrorEquals, at(loc, 'ErrorEquals'), last);
    if ('Next' in catcher) checkString(report, catcher.Next, at(loc, 'Next'));
    if ('Comment' in catcher) checkString(report, catcher.Comment, at(loc, 'Comment'));
    if (language === 'JSONPath' && 'ResultPath' in catcher) checkReferencePathField(report, catcher.ResultPath, at(loc, 'ResultPath'), true);
    if (language === 'JSONata' && 'Output' in catcher) checkJsonataValue(report, catcher.Output, at(loc, 'Output'), { errorOutput: true });
    if ('Assign' in catcher) checkAssign(report, catcher.Assign, at(loc, 'Assign'), language, { errorOutput: true });
  });
}
