/**
 * Static validation of a state machine definition, as CreateStateMachine, UpdateStateMachine and
 * ValidateStateMachineDefinition do it (AWS API reference, "ValidateStateMachineDefinition"; Amazon States
 * Language spec): every problem at once, as diagnostics with AWS's codes, wording and locations.
 * Order: JSON text problems; the schema of the top level and of each state (nested machines where they appear);
 * then, machine by machine (top level first), transition targets, the terminal state and reachability.
 */
import { isJsonObject, type Json } from '../json.js';
import { Report, type Diagnostic } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkTransitions } from './graph.js';
import { parseDefinitionText } from './json-text.js';
import { checkMachine } from './machine.js';
import { message } from './messages.js';

export type { Diagnostic } from './diagnostics.js';
export { invalidDefinitionMessage } from './format.js';
export { classifyResource, type ResourceKind } from './resource.js';

export interface ValidateOptions {
  stateMachineType?: 'STANDARD' | 'EXPRESS';
  maxStateNameLength?: number;
}

/** Accepts the definition as JSON text (as the API receives it) or as a parsed value. */
export function validateDefinition(definition: string | unknown, options: ValidateOptions = {}): Diagnostic[] {
  const report = new Report();
  let value: unknown = definition;
  if (typeof definition === 'string') {
    const parsed = parseDefinitionText(definition);
    if (!parsed.ok) {
      report.error('INVALID_JSON_DESCRIPTION', parsed.message, parsed.location);
      return report.diagnostics;
    }
    value = parsed.value;
  }
  if (!isJsonObject(value)) {
    report.error('SCHEMA_VALIDATION_FAILED', message.notAnObject());
    return report.diagnostics;
  }
  const declared = value.QueryLanguage;
  const topLanguage: QueryLanguage = !('QueryLanguage' in value) || declared === 'JSONPath' ? 'JSONPath' : 'JSONata';
  const ctx: ValidationContext = {
    report,
    machineType: options.stateMachineType ?? 'STANDARD',
    maxStateNameLength: options.maxStateNameLength ?? 80,
    topLanguage,
    topDeclaresJsonata: declared === 'JSONata',
    machines: [],
    stateNames: new Set(),
  };
  checkMachine(ctx, value as Json, '/', 'root');
  for (const machine of ctx.machines) checkTransitions(report, machine);
  return report.diagnostics;
}
