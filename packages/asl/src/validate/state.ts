/**
 * One state of any type (Amazon States Language, "States"; AWS developer guide, one page per state type): Type is
 * required and one of the eight types; the state's query language is its own QueryLanguage ("JSONPath" exactly
 * means JSONPath, any other value JSONata, reported against the enum) or else the machine's; a state may not
 * declare JSONPath in a JSONata machine; fields of the other language and fields the type never takes are
 * refused at the state; Next and End exclude each other and one of them is required on Pass, Task, Wait,
 * Parallel and Map. Then the checks of the type itself run.
 */
import type { Json, JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { message } from './messages.js';
import { checkAllowedFields, checkBoolean, checkEnum, checkObject, checkString } from './value-checks.js';
import { checkChoice } from './choice-state.js';
import { checkDataFields } from './data-fields.js';
import { checkFail } from './fail-state.js';
import { JSONATA_ONLY_FIELDS, JSONPATH_ONLY_FIELDS, STATE_FIELDS, STATE_TYPES, TRANSITION_TYPES, type StateType } from './state-fields.js';
import { checkMap } from './map-state.js';
import type { CheckNested } from './nested.js';
import { checkParallel } from './parallel-state.js';
import { checkTask } from './task-state.js';
import { checkWait } from './wait-state.js';

function stateLanguage(ctx: ValidationContext, state: JsonObject): QueryLanguage {
  if (!('QueryLanguage' in state)) return ctx.topLanguage;
  return state.QueryLanguage === 'JSONPath' ? 'JSONPath' : 'JSONata';
}

function checkLanguageFields(ctx: ValidationContext, state: JsonObject, type: StateType, location: string, language: QueryLanguage): void {
  const allowed = STATE_FIELDS[type];
  if (language === 'JSONata') {
    for (const field of JSONPATH_ONLY_FIELDS) {
      if (field in state && allowed.has(field)) ctx.report.schema(message.jsonPathOnly(field), location);
    }
  } else {
    for (const field of JSONATA_ONLY_FIELDS) {
      if (field in state && allowed.has(field)) ctx.report.schema(message.jsonataOnly(field), location);
    }
  }
}

function checkTransition(ctx: ValidationContext, state: JsonObject, location: string): void {
  const { report } = ctx;
  const hasNext = 'Next' in state;
  const ends = state.End === true;
  if (hasNext && ends) report.schema(message.onlyOneOf(['Next', 'End']), location);
  else if (!hasNext && !ends) report.schema(message.exactlyOneOf(['Next', 'End']), location);
  if (hasNext) checkString(report, state.Next, at(location, 'Next'));
  if ('End' in state) checkBoolean(report, state.End, at(location, 'End'));
}

export function checkState(ctx: ValidationContext, value: Json | undefined, location: string, nested: CheckNested): void {
  const { report } = ctx;
  if (!checkObject(report, value, location)) return;
  const state = value;
  if (!('Type' in state)) {
    report.schema(message.required(['Type']), location);
    return;
  }
  if (!checkEnum(report, state.Type, at(location, 'Type'), STATE_TYPES)) return;
  const type = state.Type as StateType;
  const language = stateLanguage(ctx, state);

  if (ctx.topDeclaresJsonata && state.QueryLanguage === 'JSONPath') report.schema(message.queryLanguageDowngrade(), location);
  else checkLanguageFields(ctx, state, type, location, language);
  if ('QueryLanguage' in state) checkEnum(report, state.QueryLanguage, at(location, 'QueryLanguage'), ['JSONPath', 'JSONata']);
  checkAllowedFields(report, state, location, STATE_FIELDS[type]);
  if (TRANSITION_TYPES.has(type)) checkTransition(ctx, state, location);
  if ('Comment' in state) checkString(report, state.Comment, at(location, 'Comment'));
  checkDataFields(ctx, state, location, language, STATE_FIELDS[type]);

  switch (type) {
    case 'Task':
      checkTask(ctx, state, location, language);
      break;
    case 'Choice':
      checkChoice(ctx, state, location, language);
      break;
    case 'Wait':
      checkWait(ctx, state, location, language);
      break;
    case 'Fail':
      checkFail(ctx, state, location, language);
      break;
    case 'Parallel':
      checkParallel(ctx, state, location, language, nested);
      break;
    case 'Map':
      checkMap(ctx, state, location, language, nested);
      break;
    case 'Pass':
    case 'Succeed':
      break;
  }
}
