/**
 * `createTaskInvoker(options)`: the TaskInvoker that dispatches on the Task's resource ARN to the integration that
 * serves it. Every failure a definition can handle comes back as a `failed` result with the AWS error name; only
 * an abort (the engine cancelled the task) and bugs reject.
 */
import { parseResource } from '@baton/asl';
import { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';
import type { TaskInvoker, TaskRequest, TaskResult } from './port.js';
import { awsSdkService } from './services/aws-sdk.js';
import { dynamodbService } from './services/dynamodb.js';
import { ecsService } from './services/ecs.js';
import { lambdaFunction, lambdaService } from './services/lambda.js';
import { snsService, sqsService } from './services/messaging.js';
import { statesService } from './services/states.js';
import { failed, type IntegrationHandler, type TaskContext } from './task-context.js';

/** Optimized integrations by resource type (`arn:aws:states:::<type>:<action>`). */
const OPTIMIZED: Record<string, IntegrationHandler> = {
  lambda: lambdaService,
  sns: snsService,
  sqs: sqsService,
  dynamodb: dynamodbService,
  ecs: ecsService,
  states: statesService,
};

export interface BatonTaskInvoker extends TaskInvoker {
  /** Closes the SDK clients' connections (not the Step Functions client, which the app owns). */
  destroy(): void;
}

export function createTaskInvoker(options: TaskInvokerOptions): BatonTaskInvoker {
  const clients = new ClientFactory(options);
  return {
    async invoke(req: TaskRequest, signal: AbortSignal): Promise<TaskResult> {
      const ctx: TaskContext = { req, signal, clients, options };
      if (req.credentials !== undefined && req.credentials !== null) {
        return failed('States.Runtime', 'Task Credentials (cross-account role assumption) are not supported by this Baton deployment');
      }
      const parsed = parseResource(req.resource);
      switch (parsed.family) {
        case 'lambda':
          return lambdaFunction(ctx);
        case 'activity':
          return failed('States.Runtime', `Activities are dispatched by the engine, not invoked: ${req.resource}`);
        case 'service':
          break;
      }
      const action = parsed.resource.split('.')[0] ?? '';
      if (parsed.resourceType.startsWith('aws-sdk:')) return awsSdkService(ctx, parsed.resourceType.slice('aws-sdk:'.length), action);
      const handler = OPTIMIZED[parsed.resourceType];
      if (!handler) return failed('States.Runtime', `Baton has no integration for the resource ${req.resource}`);
      return handler(ctx, action);
    },
    destroy(): void {
      clients.destroy();
    },
  };
}
