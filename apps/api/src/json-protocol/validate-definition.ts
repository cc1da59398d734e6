/**
 * ValidateStateMachineDefinition, answered by the API from the ASL validator (AWS API reference,
 * "ValidateStateMachineDefinition"): `severity` is the lowest level returned (ERROR by default; WARNING returns
 * both), `maxResults` caps the diagnostics (0 or absent means the maximum, 100) and `truncated` says some were
 * left out; `result` is FAIL when there is any ERROR, OK otherwise. Errors are listed before warnings.
 */
import type { ValidateStateMachineDefinitionInput, ValidateStateMachineDefinitionOutput } from '@baton/api-contract';
import { validateDefinition } from '@baton/asl';

const MAX_DIAGNOSTICS = 100;

export function validateStateMachineDefinition(
  input: ValidateStateMachineDefinitionInput,
): ValidateStateMachineDefinitionOutput {
  const all = validateDefinition(input.definition, { stateMachineType: input.type ?? 'STANDARD' });
  const errors = all.filter((d) => d.severity === 'ERROR');
  const wanted = input.severity === 'WARNING' ? [...errors, ...all.filter((d) => d.severity === 'WARNING')] : errors;
  const limit = input.maxResults ? Math.min(input.maxResults, MAX_DIAGNOSTICS) : MAX_DIAGNOSTICS;
  return {
    result: errors.length > 0 ? 'FAIL' : 'OK',
    diagnostics: wanted.slice(0, limit).map((d) => ({ ...d })),
    truncated: wanted.length > limit,
  };
}
