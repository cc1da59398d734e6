/**
 * What Baton runs of a Distributed Map, checked at create time. AWS's own schema rules for ItemReader,
 * ItemBatcher and ResultWriter live in map-state.ts; this module adds Baton's limits on top: every reader
 * resource, reader option or writer option Baton does not implement is an InvalidDefinition error naming the
 * field, so that a definition is never accepted and then run differently (the house rule "never accept and then
 * ignore"). The wording says it is Baton's limit, not AWS's.
 */
import type { JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { ValidationContext } from './context.js';

export function notImplemented(field: string): string {
  return `The field '${field}' is not supported by Baton yet (it would be ignored, so the definition is refused)`;
}

/** Reports the Distributed Map fields of a Map state that Baton cannot run. */
export function checkDistributedSupport(ctx: ValidationContext, state: JsonObject, location: string): void {
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
    if (field in state) ctx.report.schema(notImplemented(field), at(location, field));
  }
}
