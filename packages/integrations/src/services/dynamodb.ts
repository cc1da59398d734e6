/**
 * Amazon DynamoDB `getItem`, `putItem`, `updateItem`, `deleteItem` (developer guide: "Perform DynamoDB CRUD
 * operations with Step Functions"). Parameters and results are the API's, PascalCase with typed attribute values
 * (`{"S": "..."}`); results carry `SdkHttpMetadata` and `SdkResponseMetadata`. Errors are `DynamoDB.<Exception>`,
 * e.g. `DynamoDB.ConditionalCheckFailedException`; undeclared ones (ValidationException) `DynamoDB.AmazonDynamoDBException`.
 */
import {
  DeleteItemCommand, DynamoDBServiceException, GetItemCommand, PutItemCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Json } from '@baton/asl';
import { callSdk, requestIdOf, responseMetadata } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { sdkToJson } from '../json-shapes.js';
import { failed, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';

export const DYNAMODB_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'DynamoDB', serviceLabel: 'AmazonDynamoDBv2', undeclared: 'AmazonDynamoDBException', baseException: DynamoDBServiceException,
};

const COMMANDS: Record<string, new (input: never) => unknown> = {
  getItem: GetItemCommand,
  putItem: PutItemCommand,
  updateItem: UpdateItemCommand,
  deleteItem: DeleteItemCommand,
};

export async function dynamodbService(ctx: TaskContext, action: string): Promise<TaskResult> {
  const Command = Object.hasOwn(COMMANDS, action) ? COMMANDS[action] : undefined;
  if (!Command) return failed('States.Runtime', `Unsupported DynamoDB integration action '${action}'`);
  if (ctx.req.pattern !== 'request-response') return failed('States.Runtime', `dynamodb:${action} supports only the request-response pattern`);
  const params = parametersObject(ctx.req);
  const client = ctx.clients.get('dynamodb', regionOfArn(params.TableName) ?? ctx.req.region);
  const call = await callSdk(client, new Command(params as never), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, DYNAMODB_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const body = sdkToJson(call.output) as Record<string, Json>;
  return { kind: 'succeeded', output: { ...body, ...responseMetadata(call.http, requestIdOf(call.output)) } };
}
