/**
 * Typed options of the task invoker. The library never reads the environment: apps build these once at boot
 * (apps/cli/src/aws-env.ts) and pass them in.
 */
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { LambdaClientConfig } from '@aws-sdk/client-lambda';
import type { ConnectionDefinition } from './http/connection-definition.js';

/** The services whose SDK clients Baton ships, by the name used in `aws-sdk:<service>:<action>` resources. */
export const SHIPPED_SERVICES = ['lambda', 'sns', 'sqs', 'dynamodb', 'ecs', 'sfn', 's3', 'eventbridge', 'secretsmanager', 'sts'] as const;
export type ShippedService = (typeof SHIPPED_SERVICES)[number];

/** The SDK's credential provider type (the same for every client). */
export type CredentialsOption = LambdaClientConfig['credentials'];

export interface TaskInvokerOptions {
  /** Region for resources whose ARN or URL does not name one (AWS: the state machine's region). */
  region: string;
  /** Per-service endpoint overrides (emulators, VPC endpoints); `default` applies to services without their own. */
  endpoints?: Partial<Record<ShippedService | 'logs' | 'default', string>>;
  /** S3 path-style addressing (`http://host/bucket/key`), which emulators need; default virtual-hosted style. */
  s3ForcePathStyle?: boolean;
  /** Credentials; omitted means the SDK's default provider chain. */
  credentials?: CredentialsOption;
  /** Socket and connection timeouts of every SDK call, so a hung service cannot hold a worker (default 60 s / 5 s). */
  requestTimeoutMs?: number;
  connectionTimeoutMs?: number;
  /** SDK attempts per call (default 1: retrying is the definition's Retry field's job, as on AWS). */
  maxAttempts?: number;
  /** Client for nested executions (`states:startExecution*`, `aws-sdk:sfn:*`): the app points it at Baton's own API. */
  stepFunctions?: (region: string) => SFNClient;
  /** How long to wait between `.sync` polls (default: 5 s for ECS, 2 s for nested executions). */
  pollIntervalMs?: { ecs?: number; states?: number };
  /**
   * EventBridge connections the HTTP Task (`arn:aws:states:::http:invoke`) authorises with, by connection ARN, in
   * the shape of EventBridge CreateConnection (`BATON_CONNECTIONS_FILE`). Checked first.
   */
  connections?: Readonly<Record<string, ConnectionDefinition>>;
  /** Resolve connection ARNs that `connections` does not list through EventBridge DescribeConnection and the
   * connection's Secrets Manager secret (default false: such an ARN fails the task). */
  connectionLookup?: boolean;
  /** The HTTP Task's limit for a whole call, connection to last byte (default 60 s, AWS's fixed limit). */
  httpTimeoutMs?: number;
  /** Task `Credentials`: the assumed role's session length and how long before its expiry it is renewed
   * (defaults 3600 s, AssumeRole's default, and 5 minutes). */
  assumeRole?: { durationSeconds?: number; refreshBeforeExpiryMs?: number };
}
