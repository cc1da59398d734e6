/**
 * SDK v3 clients (Lambda, SNS, SQS, DynamoDB, ECS, S3, EventBridge, Secrets Manager, STS; Step Functions from the
 * app), one per service and region, built from the invoker's options: endpoint overrides, credentials,
 * request timeouts (`requestHandler`), and one attempt per call unless configured (the definition's Retry does the
 * retrying, as on AWS). SQS keeps requests on a configured endpoint (`useQueueUrlAsEndpoint: false`): definitions
 * carry real queue URLs, which would otherwise redirect the call to AWS (or to an emulator's unresolvable host).
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ECSClient } from '@aws-sdk/client-ecs';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { S3Client } from '@aws-sdk/client-s3';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { withTraceHeaderMiddleware } from './trace-headers.js';
import type { CredentialsOption, ShippedService, TaskInvokerOptions } from './options.js';

export interface ClientMap {
  lambda: LambdaClient;
  sns: SNSClient;
  sqs: SQSClient;
  dynamodb: DynamoDBClient;
  ecs: ECSClient;
  sfn: SFNClient;
  s3: S3Client;
  eventbridge: EventBridgeClient;
  secretsmanager: SecretsManagerClient;
  sts: STSClient;
}

export class StepFunctionsNotConfigured extends Error {
  override readonly name = 'StepFunctionsNotConfigured';
}

/** Nested executions run on Baton's own API, which does not accept credentials of an assumed role. */
export class TaskCredentialsNotSupported extends Error {
  override readonly name = 'TaskCredentialsNotSupported';
}

export class ClientFactory {
  private readonly cache = new Map<string, unknown>();

  /** `roleScoped`: this factory signs with a Task's assumed-role credentials (see task-credentials.ts). */
  constructor(private readonly options: TaskInvokerOptions, private readonly roleScoped = false) {}

  /** A factory whose clients sign with other credentials (a Task's assumed role); the caller destroys it. */
  withCredentials(credentials: NonNullable<CredentialsOption>): ClientFactory {
    return new ClientFactory({ ...this.options, credentials }, true);
  }

  get<S extends ShippedService>(service: S, region: string): ClientMap[S] {
    if (service === 's3') return this.s3(region) as ClientMap[S];
    const key = `${service}|${region}`;
    let client = this.cache.get(key) as ClientMap[S] | undefined;
    if (!client) {
      client = withTraceHeaderMiddleware(this.create(service, region));
      this.cache.set(key, client);
    }
    return client;
  }

  /**
   * The CloudWatch Logs client of a region, for execution logs (not a task integration): the `logs` endpoint
   * override (`AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`), and the SDK's standard retries (throttling is common there).
   */
  logs(region: string): CloudWatchLogsClient {
    const key = `logs|${region}`;
    let client = this.cache.get(key) as CloudWatchLogsClient | undefined;
    if (!client) {
      const endpoint = this.options.endpoints?.logs ?? this.options.endpoints?.default;
      client = new CloudWatchLogsClient({ ...this.baseConfig(region, endpoint), maxAttempts: 3 });
      this.cache.set(key, client);
    }
    return client;
  }

  /**
   * The S3 client of a region (Distributed Map item readers and result writers, `aws-sdk:s3:*`): the `s3` endpoint
   * override and path-style addressing when configured. Checksums only when an operation requires them: emulators
   * such as s3rver store aws-chunked uploads undecoded.
   */
  s3(region: string): S3Client {
    const key = `s3|${region}`;
    let client = this.cache.get(key) as S3Client | undefined;
    if (!client) {
      const endpoint = this.endpointFor('s3');
      client = withTraceHeaderMiddleware(new S3Client({
        ...this.baseConfig(region, endpoint),
        forcePathStyle: this.options.s3ForcePathStyle === true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }));
      this.cache.set(key, client);
    }
    return client;
  }

  endpointFor(service: ShippedService): string | undefined {
    return this.options.endpoints?.[service] ?? this.options.endpoints?.default;
  }

  destroy(): void {
    for (const [key, client] of this.cache) {
      if (!key.startsWith('sfn|')) (client as { destroy(): void }).destroy();
    }
    this.cache.clear();
  }

  private baseConfig(region: string, endpoint: string | undefined) {
    return {
      region,
      maxAttempts: this.options.maxAttempts ?? 1,
      requestHandler: {
        requestTimeout: this.options.requestTimeoutMs ?? 60_000,
        connectionTimeout: this.options.connectionTimeoutMs ?? 5_000,
        // Without this, this SDK version only logs a warning when a request outlives requestTimeout.
        throwOnRequestTimeout: true,
      },
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(this.options.credentials !== undefined ? { credentials: this.options.credentials } : {}),
    };
  }

  private create<S extends ShippedService>(service: S, region: string): ClientMap[S] {
    if (service === 'sfn') {
      if (this.roleScoped) throw new TaskCredentialsNotSupported('Task Credentials are not supported for Step Functions tasks: nested executions run on Baton\'s own API, which does not accept assumed-role credentials');
      if (!this.options.stepFunctions) throw new StepFunctionsNotConfigured('no Step Functions client factory is configured for nested executions');
      return this.options.stepFunctions(region) as ClientMap[S];
    }
    const endpoint = this.endpointFor(service);
    const config = this.baseConfig(region, endpoint);
    switch (service) {
      case 'lambda':
        return new LambdaClient(config) as ClientMap[S];
      case 'sns':
        return new SNSClient(config) as ClientMap[S];
      case 'sqs':
        return new SQSClient({ ...config, ...(endpoint !== undefined ? { useQueueUrlAsEndpoint: false } : {}) }) as ClientMap[S];
      case 'dynamodb':
        return new DynamoDBClient(config) as ClientMap[S];
      case 'ecs':
        return new ECSClient(config) as ClientMap[S];
      case 'eventbridge':
        return new EventBridgeClient(config) as ClientMap[S];
      case 'secretsmanager':
        return new SecretsManagerClient(config) as ClientMap[S];
      case 'sts':
        return new STSClient(config) as ClientMap[S];
      case 's3':
        return this.s3(region) as ClientMap[S];
      default:
        throw new Error(`unknown service ${String(service)}`);
    }
  }
}
