import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';

let emu: Emulators;
let proxy: FaultProxy;
beforeAll(async () => {
  emu = await startEmulators();
  proxy = await startFaultProxy(emu.dynamodbEndpoint, 'dynamodb');
  await emu.createTable('Inventory', 'productId');
});
afterAll(async () => {
  await proxy?.close();
  await emu?.close();
});

const crud: JsonObject = {
  StartAt: 'Put',
  States: {
    Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Inventory', Item: { productId: { 'S.$': '$.id' }, quantity: { N: '3' } } }, ResultPath: '$.put', Next: 'Update' },
    Update: {
      Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem',
      Parameters: { TableName: 'Inventory', Key: { productId: { 'S.$': '$.id' } }, UpdateExpression: 'SET quantity = quantity - :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' },
      ResultPath: '$.update', Next: 'Get',
    },
    Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'Inventory', Key: { productId: { 'S.$': '$.id' } } }, ResultPath: '$.get', Next: 'Delete' },
    Delete: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:deleteItem', Parameters: { TableName: 'Inventory', Key: { productId: { 'S.$': '$.id' } }, ReturnValues: 'ALL_OLD' }, ResultPath: '$.delete', End: true },
  },
};

describe('dynamodb', () => {
  it('putItem, updateItem, getItem, deleteItem in PascalCase with typed attribute values', async () => {
    const r = await runWithInvoker(crud, emu.invoker(), { input: { id: 'p1' } });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as any;
    expect(out.put.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(out.update.Attributes).toEqual({ quantity: { N: '2' } });
    expect(out.get.Item).toEqual({ productId: { S: 'p1' }, quantity: { N: '2' } });
    expect(out.delete.Attributes).toEqual({ productId: { S: 'p1' }, quantity: { N: '2' } });
  });

  it('a failed condition is DynamoDB.ConditionalCheckFailedException, caught by Catch', async () => {
    const def: JsonObject = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: 'Inventory', Item: { productId: { S: 'p2' } }, ConditionExpression: 'attribute_exists(productId)' },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.err', Next: 'Missing' }], End: true,
        },
        Missing: { Type: 'Pass', End: true },
      },
    };
    const r = await runWithInvoker(def, emu.invoker(), { input: {} });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).err.Error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect((r.output as any).err.Cause).toMatch(/\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: \w+; Proxy: null\)$/);
  });

  it('a missing table is DynamoDB.ResourceNotFoundException; a validation error the model does not declare is DynamoDB.AmazonDynamoDBException', async () => {
    const missing = await runWithInvoker({ StartAt: 'G', States: { G: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: 'NoSuchTable', Key: { id: { S: 'x' } } }, End: true } } }, emu.invoker());
    expect(missing).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ResourceNotFoundException' });
    expect(missing.cause).toMatch(/^Requested resource not found/);
    const invalid = await runWithInvoker({ StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Inventory' }, End: true } } }, emu.invoker());
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'DynamoDB.AmazonDynamoDBException' });
    expect(invalid.cause).toContain('Error Code: ValidationException');
  });

  it('retries DynamoDB.ProvisionedThroughputExceededException', async () => {
    proxy.throttleNext(2);
    const def: JsonObject = {
      StartAt: 'Put',
      States: {
        Put: {
          Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 'Inventory', Item: { productId: { S: 'p3' } } },
          Retry: [{ ErrorEquals: ['DynamoDB.ProvisionedThroughputExceededException'], IntervalSeconds: 1, MaxAttempts: 3 }], End: true,
        },
      },
    };
    const r = await runWithInvoker(def, emu.invoker({ endpoints: { ...emu.options().endpoints, dynamodb: proxy.endpoint } }));
    expect(r.status).toBe('SUCCEEDED');
    expect(proxy.throttled).toBe(2);
    expect(r.events.filter((e) => e.type === 'TaskFailed')).toHaveLength(2);
  });
});
