/**
 * AWS Lambda (developer guide: "Invoke an AWS Lambda function with Step Functions").
 * - `arn:aws:states:::lambda:invoke`: Invoke with FunctionName, Payload, InvocationType, LogType, ClientContext,
 *   Qualifier (a string `Payload` is sent as it is, as JSON text; any other value as its JSON text); the result is
 *   the Invoke response: `ExecutedVersion`, `Payload` (parsed JSON), `StatusCode`,
 *   `SdkHttpMetadata`, `SdkResponseMetadata` (and `LogResult` when asked).
 * - `lambda:invoke.waitForTaskToken`: the same call; the task then waits for SendTaskSuccess/Failure.
 * - a function ARN as the resource (legacy): the effective input is the payload; the result is the function's
 *   returned payload.
 * A function error (`X-Amz-Function-Error`) fails the task with the payload's `errorType` as the error and the
 * payload text as the cause (`Lambda.Unknown` when the payload names no type); service errors are named
 * `Lambda.<Exception>` (see service-errors.ts).
 */
import { InvokeCommand, LambdaServiceException } from '@aws-sdk/client-lambda';
import { isJsonObject, type Json } from '@baton/asl';
import { callSdk, responseMetadata, requestIdOf } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { asText, blobText, parseMaybeJson } from '../json-shapes.js';
import { failed, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';

export const LAMBDA_ERRORS: ErrorNaming = {
  style: 'optimized',
  prefix: 'Lambda',
  serviceLabel: 'AWSLambda',
  undeclared: 'AWSLambdaException',
  baseException: LambdaServiceException,
};

interface InvokeOutcome {
  ok: true;
  payloadText: string;
  result: Record<string, Json>;
}

/** `payload` is the request body as text (undefined: none). */
async function invokeFunction(ctx: TaskContext, params: Record<string, Json>, payload: string | undefined): Promise<InvokeOutcome | TaskResult> {
  const functionName = params.FunctionName;
  if (typeof functionName !== 'string') return failed('States.Runtime', "The Lambda integration needs a string 'FunctionName' parameter");
  const region = regionOfArn(functionName) ?? ctx.req.region;
  const command = new InvokeCommand({
    FunctionName: functionName,
    ...(payload !== undefined ? { Payload: new TextEncoder().encode(payload) } : {}),
    ...(typeof params.InvocationType === 'string' ? { InvocationType: params.InvocationType as 'RequestResponse' } : {}),
    ...(typeof params.LogType === 'string' ? { LogType: params.LogType as 'Tail' } : {}),
    ...(typeof params.ClientContext === 'string' ? { ClientContext: params.ClientContext } : {}),
    ...(typeof params.Qualifier === 'string' ? { Qualifier: params.Qualifier } : {}),
  });
  const call = await callSdk(ctx.clients.get('lambda', region), command, ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, LAMBDA_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const out = call.output as { Payload?: Uint8Array; FunctionError?: string; StatusCode?: number; ExecutedVersion?: string; LogResult?: string };
  const payloadText = out.Payload ? blobText(out.Payload) : '';
  if (out.FunctionError !== undefined) {
    const parsed = parseMaybeJson(payloadText);
    const type = isJsonObject(parsed) && typeof parsed.errorType === 'string' ? parsed.errorType : 'Lambda.Unknown';
    return failed(type, payloadText);
  }
  const result: Record<string, Json> = {
    ...(out.ExecutedVersion !== undefined ? { ExecutedVersion: out.ExecutedVersion } : {}),
    ...(out.LogResult !== undefined ? { LogResult: out.LogResult } : {}),
    Payload: parseMaybeJson(payloadText),
    ...responseMetadata(call.http, requestIdOf(call.output)),
    StatusCode: out.StatusCode ?? call.http?.statusCode ?? 200,
  };
  return { ok: true, payloadText, result };
}

function isOutcome(v: InvokeOutcome | TaskResult): v is InvokeOutcome {
  return 'ok' in v;
}

/** `arn:aws:states:::lambda:invoke[.waitForTaskToken]`. */
export async function lambdaService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'invoke') return failed('States.Runtime', `Unsupported Lambda integration action '${action}'`);
  const params = parametersObject(ctx.req);
  // `Payload` is the Invoke request's body: a string goes as it is (it is JSON text, as AWS sends it: the recorded
  // test_invoke_json_values cases send "true", "0", "\"HelloWorld\"" and the function receives true, 0,
  // "HelloWorld"); any other value as its JSON text.
  const outcome = await invokeFunction(ctx, params, params.Payload === null || params.Payload === undefined ? undefined : asText(params.Payload));
  if (!isOutcome(outcome)) return outcome;
  switch (ctx.req.pattern) {
    case 'request-response':
      return { kind: 'succeeded', output: outcome.result };
    case 'waitForTaskToken':
      return { kind: 'submitted', output: outcome.result };
    default:
      return failed('States.Runtime', `lambda:invoke does not support the .${ctx.req.pattern} pattern`);
  }
}

/** A Lambda function ARN as the Task's resource: the input is the payload, the payload is the result. */
export async function lambdaFunction(ctx: TaskContext): Promise<TaskResult> {
  // The effective input is a JSON document: always sent as its JSON text (a string input arrives as a JSON string).
  const outcome = await invokeFunction(ctx, { FunctionName: ctx.req.resource }, JSON.stringify(ctx.req.parameters));
  if (!isOutcome(outcome)) return outcome;
  return { kind: 'succeeded', output: parseMaybeJson(outcome.payloadText) };
}
