/**
 * Nested executions: `arn:aws:states:::states:startExecution` and its `.sync`, `.sync:2` and `.waitForTaskToken`
 * forms (developer guide: "Start a new AWS Step Functions state machine execution"). The call goes to the
 * configured Step Functions client, which the app points at Baton's own API.
 * - request-response: StartExecution; result `ExecutionArn`, `StartDate` with HTTP metadata.
 * - `.sync`: the DescribeExecution response once the child stops, with `Input`/`Output` as JSON text;
 *   `.sync:2`: the same with `Input`/`Output` parsed. Polled on the engine's durable timer. Both keep the redrive
 *   fields (`RedriveCount`, `RedriveStatus`, `RedriveStatusReason`) that DescribeExecution has returned since
 *   redrive was introduced (November 2023); executions recorded on AWS before that show none.
 *   A child that does not succeed fails the state with States.TaskFailed and the description as the cause.
 * - `.waitForTaskToken`: StartExecution, then wait for the callback.
 * `Input` may be JSON or JSON text; absent, the child gets `{}`.
 */
import { DescribeExecutionCommand, SFNServiceException, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Json } from '@baton/asl';
import { StepFunctionsNotConfigured, TaskCredentialsNotSupported } from '../clients.js';
import { callSdk, LOWER_CASE_CONNECTION, requestIdOf, responseMetadata } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { asText, parseMaybeJson, sdkToJson } from '../json-shapes.js';
import { failed, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';

export const STATES_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'StepFunctions', serviceLabel: 'AWSStepFunctions', undeclared: 'AWSStepFunctionsException', baseException: SFNServiceException,
};

const DEFAULT_POLL_MS = 2_000;

interface ExecutionPollState {
  executionArn: string;
  region: string;
}

function sfnClient(ctx: TaskContext, region: string): ReturnType<TaskContext['clients']['get']> | TaskResult {
  try {
    return ctx.clients.get('sfn', region);
  } catch (err) {
    if (err instanceof StepFunctionsNotConfigured || err instanceof TaskCredentialsNotSupported) return failed('States.Runtime', err.message);
    throw err;
  }
}

export async function statesService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'startExecution') return failed('States.Runtime', `Unsupported Step Functions integration action '${action}'`);
  if (ctx.req.poll) return pollExecution(ctx, ctx.req.poll.state as unknown as ExecutionPollState);
  const params = parametersObject(ctx.req);
  const region = regionOfArn(params.StateMachineArn) ?? ctx.req.region;
  const client = sfnClient(ctx, region);
  if ('kind' in client) return client;
  const input = params.Input === undefined || params.Input === null ? '{}' : asText(params.Input);
  const command = new StartExecutionCommand({
    stateMachineArn: params.StateMachineArn as string,
    input,
    ...(typeof params.Name === 'string' ? { name: params.Name } : {}),
    ...(typeof params.TraceHeader === 'string' ? { traceHeader: params.TraceHeader } : {}),
  });
  const call = await callSdk(client, command, ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, STATES_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const body = sdkToJson(call.output, 'pascal') as Record<string, Json>;
  const result = { ...body, ...responseMetadata(call.http, requestIdOf(call.output), LOWER_CASE_CONNECTION) };
  switch (ctx.req.pattern) {
    case 'request-response':
      return { kind: 'succeeded', output: result };
    case 'waitForTaskToken':
      return { kind: 'submitted', output: result };
    case 'sync':
    case 'sync:2': {
      const state: ExecutionPollState = { executionArn: String(body.ExecutionArn), region };
      return { kind: 'poll', afterMs: ctx.options.pollIntervalMs?.states ?? DEFAULT_POLL_MS, state: state as unknown as Json, output: result };
    }
  }
}

async function pollExecution(ctx: TaskContext, state: ExecutionPollState): Promise<TaskResult> {
  const client = sfnClient(ctx, state.region);
  if ('kind' in client) return client;
  const call = await callSdk(client, new DescribeExecutionCommand({ executionArn: state.executionArn }), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, STATES_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const described = sdkToJson(call.output, 'pascal') as Record<string, Json>;
  if (described.Status === 'RUNNING' || described.Status === 'PENDING_REDRIVE') {
    return { kind: 'poll', afterMs: ctx.options.pollIntervalMs?.states ?? DEFAULT_POLL_MS, state: state as unknown as Json };
  }
  const output = ctx.req.pattern === 'sync:2' ? parsedDescription(described) : described;
  if (described.Status === 'SUCCEEDED') return { kind: 'succeeded', output };
  return failed('States.TaskFailed', JSON.stringify(output));
}

/** `.sync:2`: `Input` and `Output` parsed. */
function parsedDescription(d: Record<string, Json>): Record<string, Json> {
  return {
    ...d,
    ...(typeof d.Input === 'string' ? { Input: parseMaybeJson(d.Input) } : {}),
    ...(typeof d.Output === 'string' ? { Output: parseMaybeJson(d.Output) } : {}),
  };
}
