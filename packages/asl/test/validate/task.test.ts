import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

function task(fields: Record<string, unknown>): Record<string, unknown> {
  return single({ Type: 'Task', End: true, ...fields });
}

const notRecognized = (arn: string) =>
  `The resource provided ${arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`;

describe('Task state', () => {
  it('requires Resource', () => {
    expect(problems(task({}))).toEqual([[SCHEMA, 'These fields are required: [Resource]', '/States/S']]);
    expect(problems(task({ Resource: 7 }))).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/States/S/Resource']]);
  });

  it('recognises Lambda functions, activities, optimized integrations and aws-sdk, in every partition', () => {
    for (const arn of [
      'arn:aws:lambda:us-east-1:111111111111:function:my-fn',
      'arn:aws:lambda:us-east-1:111111111111:function:my-fn:prod',
      'arn:aws:states:us-east-1:111111111111:activity:my-activity',
      'arn:aws:states:::lambda:invoke',
      'arn:aws:states:::lambda:invoke.waitForTaskToken',
      'arn:aws:states:::sns:publish',
      'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
      'arn:aws:states:::dynamodb:getItem',
      'arn:aws:states:::dynamodb:putItem',
      'arn:aws:states:::dynamodb:updateItem',
      'arn:aws:states:::dynamodb:deleteItem',
      'arn:aws:states:::ecs:runTask.sync',
      'arn:aws:states:::states:startExecution.sync:2',
      'arn:aws:states:::http:invoke',
      'arn:aws:states:::aws-sdk:s3:listBuckets',
      'arn:aws:states:::aws-sdk:sfn:sendTaskSuccess.waitForTaskToken',
      'arn:aws-cn:states:::lambda:invoke',
      'arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:f',
    ]) {
      expect(problems(task({ Resource: arn, Parameters: {} })), arn).toEqual([]);
    }
  });

  it("gives AWS's message for an integration it does not have, or a pattern the integration lacks", () => {
    for (const arn of ['arn:aws:states:::dynamodb:query', 'arn:aws:states:::dynamodb:getItem.sync', 'arn:aws:states:::aws-sdk:s3:listBuckets.sync', 'createToken', 'arn:aws:lambda:us-east-1:1:function:f']) {
      expect(problems(task({ Resource: arn })), arn).toEqual([[SCHEMA, notRecognized(arn), '/States/S/Resource']]);
    }
  });

  it('refuses .sync, .waitForTaskToken and activities in EXPRESS machines only', () => {
    const sync = task({ Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: {} });
    expect(problems(sync)).toEqual([]);
    expect(problems(sync, { stateMachineType: 'EXPRESS' })).toEqual([
      [SCHEMA, "Express state machine does not support '.sync' service integration", '/States/S/Resource'],
    ]);
    expect(problems(task({ Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', Parameters: {} }), { stateMachineType: 'EXPRESS' })).toEqual([
      [SCHEMA, "Express state machine does not support '.waitForTaskToken' service integration ", '/States/S/Resource'],
    ]);
    expect(problems(task({ Resource: 'arn:aws:states:us-east-1:111111111111:activity:a' }), { stateMachineType: 'EXPRESS' })).toEqual([
      [SCHEMA, 'Express state machine does not support Activity ARN', '/States/S/Resource'],
    ]);
    expect(problems(task({ Resource: 'arn:aws:states:::lambda:invoke', Parameters: {} }), { stateMachineType: 'EXPRESS' })).toEqual([]);
  });

  it('requires RoleArn in Credentials, whatever else the object holds', () => {
    const lambda = { Resource: 'arn:aws:states:::lambda:invoke', Parameters: {} };
    const missing = "The field 'RoleArn' is required but was missing";
    expect(problems(task({ ...lambda, Credentials: {} }))).toEqual([[SCHEMA, missing, '/States/S/Credentials']]);
    expect(problems(task({ ...lambda, Credentials: { InvalidField: 'x' } }))).toEqual([[SCHEMA, missing, '/States/S/Credentials']]);
    expect(problems(task({ ...lambda, Credentials: { 'RoleArn.$': '$.role' } }))).toEqual([]);
    expect(problems(task({ ...lambda, Credentials: { RoleArn: 'arn:aws:iam::1:role/r' } }))).toEqual([]);
  });

  it('checks TimeoutSeconds and HeartbeatSeconds: positive, exclusive with their paths, heartbeat below timeout', () => {
    const lambda = { Resource: 'arn:aws:states:::lambda:invoke', Parameters: {} };
    expect(problems(task({ ...lambda, TimeoutSeconds: 0 }))).toEqual([[SCHEMA, 'Minimum value is 1', '/States/S/TimeoutSeconds']]);
    expect(problems(task({ ...lambda, HeartbeatSeconds: 1.5 }))).toEqual([[SCHEMA, 'Expected value of type [INTEGER]', '/States/S/HeartbeatSeconds']]);
    expect(problems(task({ ...lambda, TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }))).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]', '/States/S/TimeoutSeconds'],
    ]);
    expect(problems(task({ ...lambda, TimeoutSeconds: 5, HeartbeatSeconds: 5 }))).toEqual([
      [SCHEMA, 'HeartbeatSeconds must be smaller than TimeoutSeconds', '/States/S/HeartbeatSeconds'],
    ]);
    expect(problems(task({ ...lambda, TimeoutSeconds: 5, HeartbeatSeconds: 4 }))).toEqual([]);
    expect(problems(task({ ...lambda, HeartbeatSecondsPath: '$.a[*]' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/HeartbeatSecondsPath']]);
  });

  it('takes expressions for TimeoutSeconds and HeartbeatSeconds in JSONata states', () => {
    const def = task({ QueryLanguage: 'JSONata', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, TimeoutSeconds: '{% $states.input.t %}', HeartbeatSeconds: '{% 1 + %}' });
    expect(problems(def)).toEqual([['INVALID_JSONATA_EXPRESSION', 'Unexpected end of expression', '/States/S/HeartbeatSeconds']]);
  });
});
