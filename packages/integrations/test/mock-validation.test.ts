/**
 * TestState's check of mocked results against the SDK clients' models (src/mock-validation.ts), with the messages AWS
 * records in validation-cases.jsonl (test_field_validation_mode*): required members in STRICT only, member types in
 * STRICT and PRESENT, list elements, members the model does not know allowed, and what has no model.
 */
import { describe, expect, it } from 'vitest';
import { checkMockResult } from '../src/mock-validation.js';

const START = 'arn:aws:states:::states:startExecution';

describe('checkMockResult', () => {
  it('STRICT wants the required members, named as Step Functions returns them (PascalCase)', () => {
    expect(checkMockResult(START, {}, 'STRICT')).toEqual({ kind: 'invalid', message: "Required field 'ExecutionArn' is missing" });
    expect(checkMockResult(START, { executionArn: 'a', startDate: 'd' }, 'STRICT')).toEqual({ kind: 'invalid', message: "Required field 'ExecutionArn' is missing" });
    expect(checkMockResult(START, { ExecutionArn: 'a', StartDate: 'd' }, 'STRICT')).toEqual({ kind: 'valid' });
  });

  it('PRESENT checks only the members present', () => {
    expect(checkMockResult(START, {}, 'PRESENT')).toEqual({ kind: 'valid' });
    expect(checkMockResult(START, { StartDate: true }, 'PRESENT')).toEqual({ kind: 'invalid', message: "Field 'StartDate' must be a string" });
    expect(checkMockResult(START, { ExecutionArn: 1 }, 'PRESENT')).toEqual({ kind: 'invalid', message: "Field 'ExecutionArn' must be a string" });
  });

  it('walks lists and nested structures, naming the innermost member', () => {
    const putEvents = 'arn:aws:states:::events:putEvents';
    expect(checkMockResult(putEvents, { Entries: 'x' }, 'STRICT')).toEqual({ kind: 'invalid', message: "Field 'Entries' must be an array" });
    expect(checkMockResult(putEvents, { Entries: [{ EventId: 'a' }, { EventId: ['b'] }] }, 'STRICT')).toEqual({ kind: 'invalid', message: "Field 'EventId' must be a string" });
    expect(checkMockResult('arn:aws:states:::dynamodb:putItem', { ConsumedCapacity: { CapacityUnits: '1.5' } }, 'PRESENT'))
      .toEqual({ kind: 'invalid', message: "Field 'CapacityUnits' must be a number" });
  });

  it('allows members the model does not know', () => {
    expect(checkMockResult('arn:aws:states:::events:putEvents', { random: 'json' }, 'STRICT')).toEqual({ kind: 'valid' });
  });

  it("takes lambda:invoke's Payload as any JSON (the integration returns the function's result parsed)", () => {
    expect(checkMockResult('arn:aws:states:::lambda:invoke', { Payload: { a: 1 }, StatusCode: 200 }, 'STRICT')).toEqual({ kind: 'valid' });
    expect(checkMockResult('arn:aws:states:::lambda:invoke', { StatusCode: '200' }, 'STRICT')).toEqual({ kind: 'invalid', message: "Field 'StatusCode' must be a number" });
  });

  it('reads AWS SDK integrations from the shipped clients, camelCase APIs capitalised', () => {
    expect(checkMockResult('arn:aws:states:::aws-sdk:s3:getObject', { ContentLength: '9000' }, 'STRICT')).toEqual({ kind: 'invalid', message: "Field 'ContentLength' must be a number" });
    expect(checkMockResult('arn:aws:states:::aws-sdk:sfn:describeExecution', { ExecutionArn: 'a' }, 'STRICT').kind).toBe('invalid');
  });

  it('checks the HTTP Task and API Gateway answers by their documented members', () => {
    expect(checkMockResult('arn:aws:states:::apigateway:invoke', { approval: true }, 'STRICT')).toEqual({ kind: 'valid' });
    expect(checkMockResult('arn:aws:states:::http:invoke', { StatusCode: '200' }, 'STRICT')).toEqual({ kind: 'invalid', message: "Field 'StatusCode' must be a number" });
  });

  it('accepts anything from a function, an activity or a callback; has no model for the rest', () => {
    expect(checkMockResult('arn:aws:lambda:us-east-1:123456789012:function:f', 'anything', 'STRICT')).toEqual({ kind: 'valid' });
    expect(checkMockResult('arn:aws:states:::sqs:sendMessage.waitForTaskToken', [1], 'STRICT')).toEqual({ kind: 'valid' });
    expect(checkMockResult('arn:aws:states:::aws-sdk:kms:encrypt', {}, 'STRICT')).toEqual({ kind: 'noModel', reason: "Baton has no API model for the AWS SDK service 'kms'" });
    expect(checkMockResult('arn:aws:states:::states:startExecution.sync', {}, 'STRICT').kind).toBe('noModel');
    expect(checkMockResult('arn:aws:states:::aws-sdk:s3:noSuchAction', {}, 'STRICT').kind).toBe('noModel');
  });

  it('wants an object where the model has a structure', () => {
    expect(checkMockResult(START, [1], 'STRICT')).toEqual({ kind: 'invalid', message: 'Mocked result must be a JSON object' });
  });
});
