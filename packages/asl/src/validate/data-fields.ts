/**
 * The input/output fields shared by state types (AWS developer guide, "Processing input and output" and
 * "Transforming data with JSONata"). JSONPath states: InputPath / OutputPath (JSONPath or null), ResultPath
 * (reference path or null), Parameters and ResultSelector (payload templates). JSONata states: Arguments (an object
 * or an expression) and Output (any value; `{% %}` strings must parse). Both: Assign. Only the fields of the state's
 * own language are checked here; the others were already reported as belonging to the other language.
 */
import { isJsonObject, type JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import { checkAssign } from './assign.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataValue, isJsonataString } from './jsonata-check.js';
import { message } from './messages.js';
import { checkJsonPathField, checkPayloadTemplate, checkReferencePathField } from './paths.js';
import { checkObject } from './value-checks.js';

const NO_ERROR_OUTPUT = { errorOutput: false } as const;

/** A JSONPath payload template field (Parameters, ResultSelector, ItemSelector): an object with valid `.$` keys. */
export function checkTemplateField(ctx: ValidationContext, state: JsonObject, field: string, location: string): void {
  const loc = at(location, field);
  if (checkObject(ctx.report, state[field], loc)) checkPayloadTemplate(ctx.report, state[field], loc);
}

/** A JSONata field that takes an object (possibly holding expressions) or a whole expression. */
export function checkJsonataObjectField(ctx: ValidationContext, state: JsonObject, field: string, location: string): void {
  const loc = at(location, field);
  const value = state[field];
  if (!isJsonObject(value) && !isJsonataString(value)) {
    ctx.report.schema(message.type('OBJECT'), loc);
    return;
  }
  checkJsonataValue(ctx.report, value, loc, NO_ERROR_OUTPUT);
}

export function checkDataFields(
  ctx: ValidationContext,
  allState: JsonObject,
  location: string,
  language: QueryLanguage,
  allowed: ReadonlySet<string>,
): void {
  const { report } = ctx;
  const state = Object.fromEntries(Object.entries(allState).filter(([field]) => allowed.has(field))) as JsonObject;
  if (language === 'JSONPath') {
    if ('InputPath' in state) checkJsonPathField(report, state.InputPath, at(location, 'InputPath'));
    if ('OutputPath' in state) checkJsonPathField(report, state.OutputPath, at(location, 'OutputPath'));
    if ('ResultPath' in state) checkReferencePathField(report, state.ResultPath, at(location, 'ResultPath'), true);
    if ('Parameters' in state && state.Type !== 'Map') checkTemplateField(ctx, state, 'Parameters', location);
    if ('ResultSelector' in state) checkTemplateField(ctx, state, 'ResultSelector', location);
  } else {
    if ('Arguments' in state) checkJsonataObjectField(ctx, state, 'Arguments', location);
    if ('Output' in state) checkJsonataValue(report, state.Output, at(location, 'Output'), NO_ERROR_OUTPUT);
  }
  if ('Assign' in state) checkAssign(report, state.Assign, at(location, 'Assign'), language, NO_ERROR_OUTPUT);
}
