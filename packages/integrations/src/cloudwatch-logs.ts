/**
 * Execution logs to CloudWatch Logs (the engine's `ExecutionLogDelivery` port, satisfied structurally): the log
 * group comes from the state machine's `loggingConfiguration` (`arn:<partition>:logs:<region>:<account>:log-group:
 * <name>:*`), whose region picks the client. As on AWS, the log group is the user's to create beforehand; the log
 * streams are Baton's, created on first use, and one that already exists is fine. The calls are not traced
 * (`untraced`): they belong to no execution, and would each start a trace of their own.
 */
import { CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { untraced } from '@baton/observability';
import { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';

const LOG_GROUP_ARN = /^arn:[a-z0-9-]+:logs:([a-z0-9-]+):\d{12}:log-group:(.+?)(:\*)?$/;

export function logGroupOf(logGroupArn: string): { region: string; name: string } {
  const m = LOG_GROUP_ARN.exec(logGroupArn);
  if (!m) throw new Error(`not a CloudWatch Logs log group ARN: ${logGroupArn}`);
  return { region: m[1]!, name: m[2]! };
}

export interface CloudWatchLogsDelivery {
  createLogStream(logGroupArn: string, logStreamName: string): Promise<void>;
  putLogEvents(logGroupArn: string, logStreamName: string, events: readonly { timestamp: number; message: string }[]): Promise<void>;
  destroy(): void;
}

export function createCloudWatchLogsDelivery(options: Pick<TaskInvokerOptions, 'region' | 'endpoints' | 'credentials' | 'requestTimeoutMs' | 'connectionTimeoutMs'>): CloudWatchLogsDelivery {
  const clients = new ClientFactory({ ...options, requestTimeoutMs: options.requestTimeoutMs ?? 30_000 });
  return {
    async createLogStream(logGroupArn, logStreamName) {
      const group = logGroupOf(logGroupArn);
      try {
        await untraced(() => clients.logs(group.region).send(new CreateLogStreamCommand({ logGroupName: group.name, logStreamName })));
      } catch (e) {
        if ((e as { name?: unknown }).name !== 'ResourceAlreadyExistsException') throw e;
      }
    },
    async putLogEvents(logGroupArn, logStreamName, events) {
      const group = logGroupOf(logGroupArn);
      await untraced(() => clients.logs(group.region).send(new PutLogEventsCommand({
        logGroupName: group.name, logStreamName, logEvents: events.map((e) => ({ timestamp: e.timestamp, message: e.message })),
      })));
    },
    destroy() {
      clients.destroy();
    },
  };
}
