/**
 * Amazon SNS `publish` and Amazon SQS `sendMessage`, with their `.waitForTaskToken` forms (developer guide:
 * "Publish messages to an Amazon SNS topic with Step Functions", "Send messages to an Amazon SQS queue with Step
 * Functions"). Parameters are the API's (PascalCase); a non-string `Message` / `MessageBody` is sent as its JSON
 * text. The result is the API's response with `SdkHttpMetadata` and `SdkResponseMetadata`.
 * FIFO queues: when the state gives no `MessageDeduplicationId` and the queue does not deduplicate by content, the
 * id is derived from the task, so a redelivered attempt does not send the message twice.
 */
import { PublishCommand, SNSServiceException, type PublishCommandInput } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SendMessageCommand, SQSServiceException, type SendMessageCommandInput } from '@aws-sdk/client-sqs';
import type { Json } from '@baton/asl';
import { callSdk, LOWER_CASE_CONNECTION, requestIdOf, responseMetadata } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { asText, sdkToJson } from '../json-shapes.js';
import { failed, idempotencyToken, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';

export const SNS_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'SNS', serviceLabel: 'AmazonSNS', undeclared: 'AmazonSNSException', baseException: SNSServiceException,
};
export const SQS_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'SQS', serviceLabel: 'AmazonSQS', undeclared: 'AmazonSQSException', baseException: SQSServiceException,
};

/** Completes a request-response or waitForTaskToken call with the given output. */
export function patternResult(ctx: TaskContext, output: Json): TaskResult {
  switch (ctx.req.pattern) {
    case 'request-response':
      return { kind: 'succeeded', output };
    case 'waitForTaskToken':
      return { kind: 'submitted', output };
    default:
      return failed('States.Runtime', `The resource ${ctx.req.resource} does not support the .${ctx.req.pattern} pattern`);
  }
}

export async function snsService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'publish') return failed('States.Runtime', `Unsupported SNS integration action '${action}'`);
  const params = parametersObject(ctx.req);
  const input = { ...params, ...(params.Message !== undefined ? { Message: asText(params.Message) } : {}) } as unknown as PublishCommandInput;
  const region = regionOfArn(params.TopicArn) ?? regionOfArn(params.TargetArn) ?? ctx.req.region;
  const call = await callSdk(ctx.clients.get('sns', region), new PublishCommand(input), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, SNS_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const body = sdkToJson(call.output) as Record<string, Json>;
  return patternResult(ctx, { ...body, ...responseMetadata(call.http, requestIdOf(call.output), LOWER_CASE_CONNECTION) });
}

/** `https://sqs.<region>.amazonaws.com/<account>/<name>` (or the legacy `<region>.queue.amazonaws.com`). */
function regionOfQueueUrl(url: Json | undefined): string | undefined {
  if (typeof url !== 'string') return undefined;
  const m = /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.|([a-z0-9-]+)\.queue\.)/.exec(url);
  return m?.[1] ?? m?.[2];
}

export async function sqsService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'sendMessage') return failed('States.Runtime', `Unsupported SQS integration action '${action}'`);
  const params = parametersObject(ctx.req);
  const queueUrl = params.QueueUrl;
  const client = ctx.clients.get('sqs', regionOfQueueUrl(queueUrl) ?? ctx.req.region);
  const input: Record<string, unknown> = { ...params, ...(params.MessageBody !== undefined ? { MessageBody: asText(params.MessageBody) } : {}) };
  if (typeof queueUrl === 'string' && queueUrl.endsWith('.fifo') && input.MessageDeduplicationId === undefined) {
    const byContent = await contentBasedDeduplication(ctx, client, queueUrl);
    if (byContent === false) input.MessageDeduplicationId = idempotencyToken(ctx.req, 128);
  }
  const call = await callSdk(client, new SendMessageCommand(input as unknown as SendMessageCommandInput), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, SQS_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const body = sdkToJson(call.output) as Record<string, Json>;
  return patternResult(ctx, { ...body, ...responseMetadata(call.http, requestIdOf(call.output), LOWER_CASE_CONNECTION) });
}

const dedupCache = new WeakMap<object, Map<string, boolean>>();

/** Whether a FIFO queue deduplicates by content (cached per client; undefined when it cannot be read: the send
 * then goes as the state wrote it and SQS reports any problem). */
async function contentBasedDeduplication(ctx: TaskContext, client: object, queueUrl: string): Promise<boolean | undefined> {
  let cache = dedupCache.get(client);
  if (!cache) dedupCache.set(client, (cache = new Map()));
  const known = cache.get(queueUrl);
  if (known !== undefined) return known;
  const call = await callSdk(
    client as Parameters<typeof callSdk>[0],
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ContentBasedDeduplication'] }),
    ctx.signal,
  );
  if (!call.ok) return undefined;
  const value = (call.output as { Attributes?: Record<string, string> }).Attributes?.ContentBasedDeduplication === 'true';
  cache.set(queueUrl, value);
  return value;
}
