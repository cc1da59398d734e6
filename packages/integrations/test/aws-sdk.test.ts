import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  await emu.createTable('Things');
});
afterAll(async () => {
  await emu?.close();
});

const sdkTask = (resource: string, parameters: JsonObject, extra: JsonObject = {}): JsonObject => ({
  StartAt: 'T', States: { T: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:${resource}`, Parameters: parameters, End: true, ...extra } },
});

describe('aws-sdk:<service>:<action>', () => {
  it('dynamodb putItem then getItem: the API response without HTTP metadata', async () => {
    const def: JsonObject = {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 'Things', Item: { id: { S: 'a' }, n: { N: '5' } } }, ResultPath: '$.put', Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 'Things', Key: { id: { S: 'a' } } }, ResultPath: '$.get', End: true },
      },
    };
    const r = await runWithInvoker(def, emu.invoker(), { input: {} });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).put).toEqual({});
    expect((r.output as any).get).toEqual({ Item: { id: { S: 'a' }, n: { N: '5' } } });
  });

  it('names errors <Service>.<Name>Exception with the SDK-integration cause format', async () => {
    const r = await runWithInvoker(sdkTask('dynamodb:putItem', { TableName: 'Missing', Item: { id: { S: 'a' } } }), emu.invoker());
    expect(r).toMatchObject({ status: 'FAILED', error: 'DynamoDb.ResourceNotFoundException' });
    expect(r.cause).toMatch(/^Requested resource not found \(Service: DynamoDb, Status Code: 400, Request ID: \w+\)$/);
    const invalid = await runWithInvoker(sdkTask('dynamodb:putItem', { TableName: 'Things' }), emu.invoker());
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'DynamoDb.DynamoDbException' });
  });

  it('camelCase APIs take PascalCase parameters and answer in PascalCase (sfn), with errors like Sfn.InvalidTokenException', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:sdk-child';
    emu.sfn.defineStateMachine(arn, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const started = await runWithInvoker(sdkTask('sfn:startExecution', { StateMachineArn: arn, Input: { x: 1 }, Name: 'n1' }), emu.invoker());
    expect(started.status).toBe('SUCCEEDED');
    expect(Object.keys(started.output as object).sort()).toEqual(['ExecutionArn', 'StartDate']);
    expect(emu.sfn.executions.get((started.output as any).ExecutionArn)?.input).toBe('{"x":1}');
    const bad = await runWithInvoker(sdkTask('sfn:sendTaskSuccess', { TaskToken: 'nope', Output: '{}' }), emu.invoker());
    expect(bad).toMatchObject({ status: 'FAILED', error: 'Sfn.InvalidTokenException' });
    await emu.sfn.settled();
  });

  it('sqs and lambda through the generic form', async () => {
    const q = await emu.createQueue('sdk-queue');
    const sent = await runWithInvoker(sdkTask('sqs:sendMessage', { QueueUrl: q.url, MessageBody: 'via sdk' }), emu.invoker());
    expect(sent.status).toBe('SUCCEEDED');
    expect((sent.output as any).SdkHttpMetadata).toBeUndefined();
    expect((await emu.receive(q.url)).map((m) => m.Body)).toEqual(['via sdk']);
    emu.lambda.define('sdk-fn', (e) => ({ e }));
    const invoked = await runWithInvoker(sdkTask('lambda:invoke', { FunctionName: 'sdk-fn', Payload: { k: 'v' } }), emu.invoker());
    expect(invoked.status).toBe('SUCCEEDED');
    expect((invoked.output as any).StatusCode).toBe(200);
    expect(JSON.parse((invoked.output as any).Payload)).toEqual({ e: { k: 'v' } });
  });

  it('a service Baton does not ship fails with States.Runtime naming what is available', async () => {
    const r = await runWithInvoker(sdkTask('athena:listWorkGroups', {}), emu.invoker());
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toContain("'athena'");
    expect(r.cause).toContain('s3, eventbridge, secretsmanager, sts');
  });
});
