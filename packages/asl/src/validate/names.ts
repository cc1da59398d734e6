/**
 * State names (AWS developer guide, "State machine structure" and quotas): a name is at most 80 characters by
 * default (INVALID_STATE_NAME: "Invalid State name: State '<name>' exceeds the 80-character limit allowed by the
 * service"), holds no control characters, and is unique within the whole machine, nested branches and item
 * processors included (DUPLICATE_STATE_NAME). The control-character wording is ours: no AWS record was found.
 */
import type { ValidationContext } from './context.js';
import { message } from './messages.js';

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkStateName(ctx: ValidationContext, name: string, location: string): void {
  const { report } = ctx;
  const length = [...name].length;
  if (length > ctx.maxStateNameLength) report.error('INVALID_STATE_NAME', message.nameTooLong(name, ctx.maxStateNameLength), location);
  else if (length === 0 || CONTROL.test(name)) {
    report.error('INVALID_STATE_NAME', `Invalid State name: State '${name}' contains invalid characters`, location);
  }
  if (ctx.stateNames.has(name)) report.error('DUPLICATE_STATE_NAME', message.duplicateName(name), location);
  ctx.stateNames.add(name);
}
