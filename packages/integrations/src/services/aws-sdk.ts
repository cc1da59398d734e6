/**
 * `arn:aws:states:::aws-sdk:<service>:<action>` for the services whose clients Baton ships (developer guide:
 * "AWS SDK service integrations"). The action's SDK command is `<Action>Command`; parameters are PascalCase and
 * converted to camelCase for the camelCase APIs (ECS, Step Functions); results are the API response without HTTP
 * metadata, keys PascalCase, dates ISO-8601. Errors are `<Service>.<Name>Exception` (see service-errors.ts).
 * S3 (see s3-payloads.ts): a streamed body in the answer (GetObject's `Body`) is returned as a string, as AWS
 * records it; a JSON `Body` sent to PutObject / UploadPart goes as its text.
 */
import * as Lambda from '@aws-sdk/client-lambda';
import * as Sns from '@aws-sdk/client-sns';
import * as Sqs from '@aws-sdk/client-sqs';
import * as DynamoDb from '@aws-sdk/client-dynamodb';
import * as Ecs from '@aws-sdk/client-ecs';
import * as Sfn from '@aws-sdk/client-sfn';
import * as S3 from '@aws-sdk/client-s3';
import * as EventBridge from '@aws-sdk/client-eventbridge';
import * as SecretsManager from '@aws-sdk/client-secrets-manager';
import * as Sts from '@aws-sdk/client-sts';
import type { Json } from '@baton/asl';
import { StepFunctionsNotConfigured, TaskCredentialsNotSupported } from '../clients.js';
import type { ShippedService } from '../options.js';
import { callSdk } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { asText, jsonToCamel, sdkToJson, upperFirst } from '../json-shapes.js';
import { failed, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';
import { patternResult } from './messaging.js';
import { s3Input, s3Output, s3Unsupported } from './s3-payloads.js';

interface SdkService {
  readonly module: Record<string, unknown>;
  readonly errors: ErrorNaming;
  /** The API spells members in camelCase (JSON protocol with lower-case members). */
  readonly camelCase: boolean;
}

function naming(prefix: string, base: abstract new (...args: any[]) => Error, extendedRequestId = false): ErrorNaming {
  return { style: 'aws-sdk', prefix, serviceLabel: prefix, undeclared: `${prefix}Exception`, baseException: base, extendedRequestId };
}

const SERVICES: Record<ShippedService, SdkService> = {
  lambda: { module: Lambda, errors: naming('Lambda', Lambda.LambdaServiceException), camelCase: false },
  sns: { module: Sns, errors: naming('Sns', Sns.SNSServiceException), camelCase: false },
  sqs: { module: Sqs, errors: naming('Sqs', Sqs.SQSServiceException), camelCase: false },
  dynamodb: { module: DynamoDb, errors: naming('DynamoDb', DynamoDb.DynamoDBServiceException), camelCase: false },
  ecs: { module: Ecs, errors: naming('Ecs', Ecs.ECSServiceException), camelCase: true },
  sfn: { module: Sfn, errors: naming('Sfn', Sfn.SFNServiceException), camelCase: true },
  s3: { module: S3, errors: naming('S3', S3.S3ServiceException, true), camelCase: false },
  eventbridge: { module: EventBridge, errors: naming('EventBridge', EventBridge.EventBridgeServiceException), camelCase: false },
  secretsmanager: { module: SecretsManager, errors: naming('SecretsManager', SecretsManager.SecretsManagerServiceException), camelCase: false },
  sts: { module: Sts, errors: naming('Sts', Sts.STSServiceException), camelCase: false },
};

export function isShippedSdkService(name: string): name is ShippedService {
  return Object.hasOwn(SERVICES, name);
}

/** The SDK client module of a shipped service (its commands and their schemas), or undefined. */
export function sdkServiceModule(name: string): Record<string, unknown> | undefined {
  return isShippedSdkService(name) ? SERVICES[name].module : undefined;
}

export async function awsSdkService(ctx: TaskContext, serviceName: string, action: string): Promise<TaskResult> {
  if (!isShippedSdkService(serviceName)) {
    return failed('States.Runtime', `The AWS SDK integration for '${serviceName}' is not available in Baton (shipped: ${Object.keys(SERVICES).join(', ')})`);
  }
  const service = SERVICES[serviceName];
  const Command = service.module[`${upperFirst(action)}Command`] as (new (input: unknown) => unknown) | undefined;
  if (typeof Command !== 'function' || !/^[a-z][A-Za-z0-9]*$/.test(action)) {
    return failed('States.Runtime', `The AWS SDK integration '${serviceName}' has no action '${action}'`);
  }
  if (ctx.req.pattern === 'sync' || ctx.req.pattern === 'sync:2') {
    return failed('States.Runtime', `aws-sdk integrations do not support the .${ctx.req.pattern} pattern`);
  }
  const refused = serviceName === 's3' ? s3Unsupported(action) : undefined;
  if (refused) return failed('States.Runtime', refused);
  let client;
  try {
    client = ctx.clients.get(serviceName, ctx.req.region);
  } catch (err) {
    if (err instanceof StepFunctionsNotConfigured || err instanceof TaskCredentialsNotSupported) return failed('States.Runtime', err.message);
    throw err;
  }
  let input = sdkInput(serviceName, action, ctx.req.parameters, service.camelCase);
  if (serviceName === 's3') input = s3Input(action, input as Record<string, unknown>);
  const call = await callSdk(client, new Command(input), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, service.errors, call.http);
    return failed(e.error, e.cause);
  }
  let raw: Record<string, unknown> = call.output;
  if (serviceName === 's3') {
    const read = await s3Output(call.output, ctx.signal);
    if (!read.ok) return read.result;
    raw = read.output;
  }
  return patternResult(ctx, sdkToJson(raw, service.camelCase ? 'pascal' : 'keep', 'iso'));
}

/** Parameters as the SDK command wants them: camelCase members where the API uses them; JSON where the API
 * takes a document as text or bytes (SFN `input`/`output`, Lambda `Payload`). */
function sdkInput(service: ShippedService, action: string, parameters: Json, camelCase: boolean): unknown {
  const input = (camelCase ? jsonToCamel(parameters) : parameters) as Record<string, unknown> | null;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return {};
  if (service === 'sfn') {
    for (const key of ['input', 'output']) {
      if (input[key] !== undefined && typeof input[key] !== 'string') input[key] = asText(input[key] as Json);
    }
  }
  if (service === 'lambda' && action === 'invoke' && input.Payload !== undefined) {
    input.Payload = new TextEncoder().encode(asText(input.Payload as Json));
  }
  return input;
}
