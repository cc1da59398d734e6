/**
 * Amazon ECS `runTask` (developer guide: "Run Amazon ECS or Fargate tasks with Step Functions").
 * - request-response: RunTask; the result is its response (`Tasks`, `Failures`) with HTTP metadata, even when
 *   `Failures` is non-empty.
 * - `.sync`: RunTask, then DescribeTasks on the engine's durable timer (`poll` results) until the task is STOPPED;
 *   a container that exits non-zero (or never ran) fails the state with States.TaskFailed and the task description
 *   as the cause; otherwise the result is the task description.
 * - `.waitForTaskToken`: RunTask, then wait for the callback.
 * For `.sync` and `.waitForTaskToken` a non-empty `Failures` fails the task with `AmazonECS.Unknown` (as the guide
 * says). Parameters are PascalCase and converted to the API's camelCase; `clientToken` defaults to a token derived
 * from the task, so a redelivered attempt does not start a second ECS task.
 */
import { DescribeTasksCommand, ECSServiceException, RunTaskCommand, type Task } from '@aws-sdk/client-ecs';
import { isJsonObject, type Json } from '@baton/asl';
import { callSdk, requestIdOf, responseMetadata } from '../sdk-call.js';
import { mapSdkError, type ErrorNaming } from '../service-errors.js';
import { jsonToCamel, sdkToJson } from '../json-shapes.js';
import { failed, idempotencyToken, parametersObject, regionOfArn, type TaskContext } from '../task-context.js';
import type { TaskResult } from '../port.js';

export const ECS_ERRORS: ErrorNaming = {
  style: 'optimized', prefix: 'ECS', serviceLabel: 'AmazonECS', undeclared: 'AmazonECSException', baseException: ECSServiceException,
};

const DEFAULT_POLL_MS = 5_000;

interface EcsPollState {
  cluster?: string;
  taskArn: string;
  region: string;
}

export async function ecsService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'runTask') return failed('States.Runtime', `Unsupported ECS integration action '${action}'`);
  if (ctx.req.pattern === 'sync:2') return failed('States.Runtime', 'ecs:runTask does not support the .sync:2 pattern');
  if (ctx.req.poll) return pollTask(ctx, ctx.req.poll.state as unknown as EcsPollState);

  const params = parametersObject(ctx.req);
  const input = jsonToCamel(params) as Record<string, unknown>;
  if (input.clientToken === undefined) input.clientToken = idempotencyToken(ctx.req, 64);
  const region = regionOfArn(params.Cluster) ?? ctx.req.region;
  const call = await callSdk(ctx.clients.get('ecs', region), new RunTaskCommand(input as never), ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, ECS_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const body = sdkToJson(call.output, 'pascal') as Record<string, Json>;
  const result = { ...body, ...responseMetadata(call.http, requestIdOf(call.output)) };
  if (ctx.req.pattern === 'request-response') return { kind: 'succeeded', output: result };

  const out = call.output as { tasks?: Task[]; failures?: unknown[] };
  if ((out.failures?.length ?? 0) > 0 || !out.tasks?.[0]?.taskArn) {
    return failed('AmazonECS.Unknown', JSON.stringify(body.Failures ?? []));
  }
  if (ctx.req.pattern === 'waitForTaskToken') return { kind: 'submitted', output: result };
  const state: EcsPollState = {
    taskArn: out.tasks[0].taskArn,
    region,
    ...(out.tasks[0].clusterArn ? { cluster: out.tasks[0].clusterArn } : typeof params.Cluster === 'string' ? { cluster: params.Cluster } : {}),
  };
  return { kind: 'poll', afterMs: pollInterval(ctx), state: state as unknown as Json, output: result };
}

function pollInterval(ctx: TaskContext): number {
  return ctx.options.pollIntervalMs?.ecs ?? DEFAULT_POLL_MS;
}

async function pollTask(ctx: TaskContext, state: EcsPollState): Promise<TaskResult> {
  if (!isJsonObject(state as unknown as Json) || typeof state.taskArn !== 'string') {
    return failed('States.Runtime', 'ecs:runTask.sync was polled without the task it started');
  }
  const command = new DescribeTasksCommand({ tasks: [state.taskArn], ...(state.cluster ? { cluster: state.cluster } : {}) });
  const call = await callSdk(ctx.clients.get('ecs', state.region), command, ctx.signal);
  if (!call.ok) {
    const e = mapSdkError(call.error, ECS_ERRORS, call.http);
    return failed(e.error, e.cause);
  }
  const task = (call.output as { tasks?: Task[] }).tasks?.[0];
  if (!task) return failed('AmazonECS.Unknown', JSON.stringify(sdkToJson((call.output as { failures?: unknown }).failures ?? [], 'pascal')));
  if (task.lastStatus !== 'STOPPED') return { kind: 'poll', afterMs: pollInterval(ctx), state: state as unknown as Json };
  const description = sdkToJson(task, 'pascal');
  const containers = task.containers ?? [];
  const allExitedZero = containers.length > 0 && containers.every((c) => c.exitCode === 0);
  if (!allExitedZero) return failed('States.TaskFailed', JSON.stringify(description));
  return { kind: 'succeeded', output: description };
}
