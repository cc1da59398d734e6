import { validateDefinition, type ValidateOptions } from '../../src/validate/index.js';

/** The diagnostics of a definition as [code, message, location] rows, the easiest shape to compare. */
export function problems(definition: unknown, options?: ValidateOptions): [string, string, string | undefined][] {
  return validateDefinition(definition, options).map((d) => [d.code, d.message, d.location]);
}

/** A one-state machine around `state` (named S), ending there. */
export function single(state: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { StartAt: 'S', States: { S: state }, ...top };
}

export const SCHEMA = 'SCHEMA_VALIDATION_FAILED';
