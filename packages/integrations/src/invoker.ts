/**
 * `createTaskInvoker(options)`: the TaskInvoker that dispatches on the Task's resource ARN to the integration that
 * serves it. Every failure a definition can handle comes back as a `failed` result with the AWS error name; only
 * an abort (the engine cancelled the task) and bugs reject. A Task with `Credentials` runs with clients signed by
 * the role it names (see task-credentials.ts).
 */
import { parseResource } from '@baton/asl';
import { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';
import type { TaskInvoker, TaskRequest, TaskResult } from './port.js';
import { awsSdkService } from './services/aws-sdk.js';
import { dynamodbService } from './services/dynamodb.js';
import { ecsService } from './services/ecs.js';
import { eventsService } from './services/events.js';
import { ConnectionResolver } from './http/connections.js';
import { httpService } from './http/http-task.js';
import { lambdaFunction, lambdaService } from './services/lambda.js';
import { checkMockResult } from './mock-validation.js';
import { snsService, sqsService } from './services/messaging.js';
import { statesService } from './services/states.js';
import { failed, type IntegrationHandler, type TaskContext } from './task-context.js';
import { AssumedRoles, roleArnOf } from './task-credentials.js';
import { withTaskTrace } from './trace-headers.js';

/** Optimized integrations by resource type (`arn:aws:states:::<type>:<action>`). */
const OPTIMIZED: Record<string, IntegrationHandler> = {
  lambda: lambdaService,
  sns: snsService,
  sqs: sqsService,
  dynamodb: dynamodbService,
  ecs: ecsService,
  states: statesService,
  events: eventsService,
  http: httpService,
};

export interface BatonTaskInvoker extends TaskInvoker {
  /** Closes the SDK clients' connections (not the Step Functions client, which the app owns). */
  destroy(): void;
}

export function createTaskInvoker(options: TaskInvokerOptions): BatonTaskInvoker {
  const clients = new ClientFactory(options);
  const roles = new AssumedRoles(clients, options);
  const connections = new ConnectionResolver(options);

  /** The clients this task signs with: the invoker's own, or its `Credentials` role's. */
  async function clientsFor(req: TaskRequest, signal: AbortSignal): Promise<ClientFactory | TaskResult> {
    if (req.credentials === undefined || req.credentials === null) return clients;
    const roleArn = roleArnOf(req.credentials);
    if (typeof roleArn !== 'string') return roleArn;
    return roles.clientsFor(req, roleArn, signal);
  }

  return {
    invoke(req: TaskRequest, signal: AbortSignal): Promise<TaskResult> {
      return withTaskTrace(req.traceparent, signal, (own) => invokeTask(req, own));
    },
    checkMockResult,
    destroy(): void {
      roles.destroy();
      clients.destroy();
    },
  };

  async function invokeTask(req: TaskRequest, signal: AbortSignal): Promise<TaskResult> {
    const parsed = parseResource(req.resource);
    if (parsed.family === 'activity') return failed('States.Runtime', `Activities are dispatched by the engine, not invoked: ${req.resource}`);
    const scoped = await clientsFor(req, signal);
    if (!(scoped instanceof ClientFactory)) return scoped;
    const ctx: TaskContext = { req, signal, clients: scoped, options, connections };
    if (parsed.family === 'lambda') return lambdaFunction(ctx);
    const action = parsed.resource.split('.')[0] ?? '';
    if (parsed.resourceType.startsWith('aws-sdk:')) return awsSdkService(ctx, parsed.resourceType.slice('aws-sdk:'.length), action);
    const handler = OPTIMIZED[parsed.resourceType];
    if (!handler) return failed('States.Runtime', `Baton has no integration for the resource ${req.resource}`);
    return handler(ctx, action);
  }
}
