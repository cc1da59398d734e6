/**
 * A state machine object (Amazon States Language, "Top-level fields"): the definition itself, a Parallel branch or
 * a Map item processor. StartAt and States are required ("These fields are required: [States, StartAt]" at the
 * object); the top level also takes Comment, Version, TimeoutSeconds (a positive integer up to 99999999) and
 * QueryLanguage; a branch takes Comment; an item processor takes Comment and ProcessorConfig (a branch or processor
 * may not declare a QueryLanguage: "Field 'QueryLanguage' is not supported"). Every state is checked, and the
 * machine is recorded for the transition checks.
 */
import type { Json } from '../json.js';
import { at } from './diagnostics.js';
import type { ValidationContext } from './context.js';
import { checkStateName } from './names.js';
import { checkState } from './state.js';
import type { NestedKind } from './nested.js';
import { checkAllowedFields, checkEnum, checkInteger, checkObject, checkRequired, checkString } from './value-checks.js';

const FIELDS = {
  root: new Set(['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage']),
  branch: new Set(['Comment', 'StartAt', 'States']),
  processor: new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']),
} as const;

export function checkMachine(ctx: ValidationContext, value: Json | undefined, location: string, kind: 'root' | NestedKind): void {
  const { report } = ctx;
  if (!checkObject(report, value, location)) return;
  const machine = value;
  if (kind === 'root' && 'QueryLanguage' in machine) {
    checkEnum(report, machine.QueryLanguage, at(location, 'QueryLanguage'), ['JSONPath', 'JSONata']);
  }
  checkRequired(report, machine, location, ['States', 'StartAt']);
  checkAllowedFields(report, machine, location, FIELDS[kind]);
  if ('Comment' in machine) checkString(report, machine.Comment, at(location, 'Comment'));
  if ('StartAt' in machine) checkString(report, machine.StartAt, at(location, 'StartAt'));
  if (kind === 'root') {
    if ('Version' in machine) checkString(report, machine.Version, at(location, 'Version'));
    if ('TimeoutSeconds' in machine) checkInteger(report, machine.TimeoutSeconds, at(location, 'TimeoutSeconds'), { min: 1, max: 99999999 });
  }
  if (!('States' in machine)) return;
  const statesLocation = at(location, 'States');
  if (!checkObject(report, machine.States, statesLocation)) return;
  const states = machine.States;
  ctx.machines.push({ location, root: kind === 'root', startAt: machine.StartAt, states });
  for (const [name, state] of Object.entries(states)) {
    const stateLocation = at(statesLocation, name);
    checkStateName(ctx, name, stateLocation);
    checkState(ctx, state, stateLocation, (nested, nestedLocation, nestedKind) => checkMachine(ctx, nested, nestedLocation, nestedKind));
  }
}
