/** What every integration handler gets: the request, the abort signal, the clients (signed with the Task's assumed
 * role when it has `Credentials`), the options and the HTTP Task's connections. */
import { createHash } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '@baton/asl';
import type { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';
import type { TaskRequest, TaskResult } from './port.js';
import type { ConnectionResolver } from './http/connections.js';

export interface TaskContext {
  readonly req: TaskRequest;
  readonly signal: AbortSignal;
  readonly clients: ClientFactory;
  readonly options: TaskInvokerOptions;
  readonly connections: ConnectionResolver;
}

export type IntegrationHandler = (ctx: TaskContext, action: string) => Promise<TaskResult>;

/** The Task's parameters as an object (a Task without Parameters passes its whole input, which may be any JSON). */
export function parametersObject(req: TaskRequest): JsonObject {
  return isJsonObject(req.parameters) ? req.parameters : {};
}

/** A token that is the same every time this task attempt is invoked again (worker crash, redelivery), and
 * different for every other task: for ECS `clientToken` and SQS FIFO `MessageDeduplicationId`. */
export function idempotencyToken(req: TaskRequest, maxLength: number): string {
  return createHash('sha256').update(`${req.executionArn}#${req.taskId}`).digest('hex').slice(0, maxLength);
}

/** The region named by an ARN (`arn:aws:sns:eu-west-1:...`), if any. */
export function regionOfArn(arn: Json | undefined): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const m = /^arn:[\w-]+:[\w-]+:([a-z0-9-]+):/.exec(arn);
  return m?.[1] || undefined;
}

export function failed(error: string, cause?: string): TaskResult {
  return cause === undefined ? { kind: 'failed', error } : { kind: 'failed', error, cause };
}
