/**
 * Amazon EventBridge `arn:aws:states:::events:putEvents` and `.waitForTaskToken` (developer guide, "Add
 * EventBridge events with Step Functions"). How the optimized integration differs from `aws-sdk:eventbridge:*`:
 * "The execution ARN and the state machine ARN are automatically appended to the Resources field of each
 * PutEventsRequestEntry", and "If the response from PutEvents contains a non-zero FailedEntryCount then the Task
 * state fails with the error EventBridge.FailedEntry" (the cause is the response as JSON text). A `Detail` given as
 * a JSON object is sent as its JSON text. The result is the PutEvents response, `Entries` and `FailedEntryCount`,
 * without HTTP metadata (as recorded on AWS). Service errors are `EventBridge.<Exception>`.
 */
import { EventBridgeServiceException, PutEventsCommand, type PutEventsCommandInput } from '@aws-sdk/client-eventbridge';
import { isJsonObject, type Json, type JsonObject } from '@baton/asl';
import { callSdk } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { sdkToJson } from '../json-shapes.js';
import { failed, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';
import { patternResult } from './messaging.js';

export const EVENTS_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'EventBridge', serviceLabel: 'AmazonEventBridge', undeclared: 'AmazonEventBridgeException', baseException: EventBridgeServiceException,
};

function entry(e: Json, ctx: TaskContext): Json {
  if (!isJsonObject(e)) return e;
  const out: JsonObject = { ...e };
  if (isJsonObject(e.Detail) || Array.isArray(e.Detail)) out.Detail = JSON.stringify(e.Detail);
  const resources = Array.isArray(e.Resources) ? e.Resources : e.Resources === undefined ? [] : [e.Resources];
  out.Resources = [...resources, ctx.req.stateMachineArn, ctx.req.executionArn];
  return out;
}

export async function eventsService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'putEvents') return failed('States.Runtime', `Unsupported EventBridge integration action '${action}'`);
  const params = parametersObject(ctx.req);
  if (!Array.isArray(params.Entries)) return failed('States.Runtime', "The EventBridge integration needs an array 'Entries' parameter");
  const entries = params.Entries.map((e) => entry(e, ctx));
  const bus = entries.map((e) => (isJsonObject(e) ? e.EventBusName : undefined)).find((b) => typeof b === 'string');
  const client = ctx.clients.get('eventbridge', regionOfArn(bus) ?? ctx.req.region);
  const input = { ...params, Entries: entries } as unknown as PutEventsCommandInput;
  const call = await callSdk(client, new PutEventsCommand(input), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, EVENTS_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const output = sdkToJson(call.output) as JsonObject;
  if (typeof output.FailedEntryCount === 'number' && output.FailedEntryCount > 0) return failed('EventBridge.FailedEntry', JSON.stringify(output));
  return patternResult(ctx, output);
}
