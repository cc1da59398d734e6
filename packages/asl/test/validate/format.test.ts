import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition, type Diagnostic } from '../../src/validate/index.js';

describe('invalidDefinitionMessage', () => {
  it('formats one diagnostic as AWS does', () => {
    const d: Diagnostic = { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "The field 'RoleArn' is required but was missing", location: '/States/State0/Credentials' };
    expect(invalidDefinitionMessage([d])).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/State0/Credentials'",
    );
  });

  it('joins several with ", ", prints "at null" without a location, and leaves warnings out', () => {
    const diagnostics = validateDefinition({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } });
    expect(invalidDefinitionMessage(diagnostics)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    );
    expect(
      invalidDefinitionMessage([
        { severity: 'ERROR', code: 'MISSING_END_STATE', message: 'Workflow has no terminal state' },
        { severity: 'WARNING', code: 'NO_DOLLAR', message: 'ignored', location: '/States/A' },
      ]),
    ).toBe("Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
  });
});
