/**
 * `arn:aws:states:::aws-sdk:<service>:<action>` for the services whose clients Baton ships (developer guide:
 * "AWS SDK service integrations"). The action's SDK command is `<Action>Command`; parameters are PascalCase and
 * converted to camelCase for the camelCase APIs (ECS, Step Functions); results are the API response without HTTP
 * metadata, keys PascalCase. Errors are `<Service>.<Name>Exception` (see service-errors.ts).
 */
import * as Lambda from '@aws-sdk/client-lambda';
import * as Sns from '@aws-sdk/client-sns';
import * as Sqs from '@aws-sdk/client-sqs';
import * as DynamoDb from '@aws-sdk/client-dynamodb';
import * as Ecs from '@aws-sdk/client-ecs';
import * as Sfn from '@aws-sdk/client-sfn';
import type { Json } from '@baton/asl';
import { StepFunctionsNotConfigured } from '../clients.js';
import type { ShippedService } from '../options.js';
import { callSdk } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { asText, jsonToCamel, sdkToJson, upperFirst } from '../json-shapes.js';
import { failed, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';
import { patternResult } from './messaging.js';

interface SdkService {
  readonly module: Record<string, unknown>;
  readonly errors: ErrorNaming;
  /** The API spells members in camelCase (JSON protocol with lower-case members). */
  readonly camelCase: boolean;
}

function naming(prefix: string, base: abstract new (...args: any[]) => Error): ErrorNaming {
  return { style: 'aws-sdk', prefix, serviceLabel: prefix, undeclared: `${prefix}Exception`, baseException: base };
}

const SERVICES: Record<ShippedService, SdkService> = {
  lambda: { module: Lambda, errors: naming('Lambda', Lambda.LambdaServiceException), camelCase: false },
  sns: { module: Sns, errors: naming('Sns', Sns.SNSServiceException), camelCase: false },
  sqs: { module: Sqs, errors: naming('Sqs', Sqs.SQSServiceException), camelCase: false },
  dynamodb: { module: DynamoDb, errors: naming('DynamoDb', DynamoDb.DynamoDBServiceException), camelCase: false },
  ecs: { module: Ecs, errors: naming('Ecs', Ecs.ECSServiceException), camelCase: true },
  sfn: { module: Sfn, errors: naming('Sfn', Sfn.SFNServiceException), camelCase: true },
};

export function isShippedSdkService(name: string): name is ShippedService {
  return Object.hasOwn(SERVICES, name);
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
  let client;
  try {
    client = ctx.clients.get(serviceName, ctx.req.region);
  } catch (err) {
    if (err instanceof StepFunctionsNotConfigured) return failed('States.Runtime', err.message);
    throw err;
  }
  const call = await callSdk(client, new Command(sdkInput(serviceName, action, ctx.req.parameters, service.camelCase)), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, service.errors, call.http);
    return failed(e.error, e.cause);
  }
  const output = sdkToJson(call.output, service.camelCase ? 'pascal' : 'keep', 'iso');
  if (ctx.req.pattern === 'sync' || ctx.req.pattern === 'sync:2') {
    return failed('States.Runtime', `aws-sdk integrations do not support the .${ctx.req.pattern} pattern`);
  }
  return patternResult(ctx, output);
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
