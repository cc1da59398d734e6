/**
 * The message of the InvalidDefinition error that CreateStateMachine / UpdateStateMachine return, exactly as AWS
 * formats it: "Invalid State Machine Definition: '<CODE>: <message> at <location>, <CODE>: <message> at
 * <location>'" - every ERROR diagnostic, joined by ", "; a diagnostic without a location prints "at null"
 * ("MISSING_END_STATE: Workflow has no terminal state at null").
 */
import type { Diagnostic } from './diagnostics.js';

export function invalidDefinitionMessage(diagnostics: readonly Diagnostic[]): string {
  const parts = diagnostics
    .filter((d) => d.severity === 'ERROR')
    .map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`);
  return `Invalid State Machine Definition: '${parts.join(', ')}'`;
}
