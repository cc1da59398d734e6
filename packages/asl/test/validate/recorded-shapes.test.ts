import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition } from '../../src/validate/index.js';

/** Small definitions of our own with the problems AWS answered in recorded API calls; the messages must match. */
describe('AWS answers for known problems', () => {
  it('missing States', () => {
    expect(invalidDefinitionMessage(validateDefinition({ Comment: 'x', StartAt: 'A' }))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'",
    );
  });

  it('Credentials without RoleArn in a JSONata task', () => {
    const def = {
      StartAt: 'T',
      QueryLanguage: 'JSONata',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: '{% $states.input %}', Credentials: {}, End: true } },
    };
    expect(invalidDefinitionMessage(validateDefinition(def))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/T/Credentials'",
    );
  });

  it('an optimized integration that does not exist', () => {
    const def = { StartAt: 'Q', States: { Q: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:query', Parameters: { TableName: 't' }, End: true } } };
    expect(invalidDefinitionMessage(validateDefinition(def))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/Q/Resource'",
    );
  });

  it('callback and sync integrations in an EXPRESS machine', () => {
    const def = (resource: string) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, Parameters: {}, End: true } } });
    expect(invalidDefinitionMessage(validateDefinition(def('arn:aws:states:::sqs:sendMessage.waitForTaskToken'), { stateMachineType: 'EXPRESS' }))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/T/Resource'",
    );
    expect(invalidDefinitionMessage(validateDefinition(def('arn:aws:states:::states:startExecution.sync'), { stateMachineType: 'EXPRESS' }))).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/T/Resource'",
    );
  });

  it('empty Parallel branches', () => {
    expect(validateDefinition({ StartAt: 'StateName', States: { StateName: { Type: 'Parallel', Branches: [], End: true } } })).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Value cannot be empty', location: '/States/StateName/Branches' },
    ]);
  });
});
