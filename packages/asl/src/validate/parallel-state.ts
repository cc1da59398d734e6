/**
 * Parallel state (AWS developer guide, "Parallel workflow state"): Branches is a required, non-empty array
 * ("Value cannot be empty" at /States/<name>/Branches) of state machines, each validated like the top level at
 * /States/<name>/Branches[i]; Retry and Catch.
 */
import type { JsonObject } from '../json.js';
import { at, item } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { message } from './messages.js';
import { checkCatch, checkRetry } from './retry-catch.js';
import { checkArray, checkRequired } from './value-checks.js';
import type { CheckNested } from './nested.js';

export function checkParallel(
  ctx: ValidationContext,
  state: JsonObject,
  location: string,
  language: QueryLanguage,
  nested: CheckNested,
): void {
  const { report } = ctx;
  if (checkRequired(report, state, location, ['Branches'])) {
    const loc = at(location, 'Branches');
    const branches = state.Branches;
    if (checkArray(report, branches, loc)) {
      if (branches.length === 0) report.schema(message.empty(), loc);
      branches.forEach((branch, i) => nested(branch, item(loc, i), 'branch'));
    }
  }
  if ('Retry' in state) checkRetry(ctx, state.Retry, at(location, 'Retry'));
  if ('Catch' in state) checkCatch(ctx, state.Catch, at(location, 'Catch'), language);
}
