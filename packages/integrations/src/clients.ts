/**
 * SDK v3 clients (Lambda, SNS, SQS, DynamoDB, ECS, S3, EventBridge, Secrets Manager, STS; Step Functions from the
 * app), one per service and region, built from the invoker's options: endpoint overrides, credentials,
 * request timeouts (`requestHandler`), and one attempt per call unless configured (the definition's Retry does the
 * retrying, as on AWS). SQS keeps requests on a configured endpoint (`useQueueUrlAsEndpoint: false`): definitions
 * carry real queue URLs, which would otherwise redirect the call to AWS (or to an emulator's unresolvable host).
 *
 * The clients of services whose endpoint does not depend on a call's input (`SCOPED`) take their task calls through
 * call-scope.ts: the SDK caches each command's middleware stack (`cacheMiddleware`, which shares one handler
 * context between concurrent calls of a command, and so is kept from services whose endpoint rules read the input:
 * S3's bucket, DynamoDB's resource ARN, EventBridge's endpoint id, a queue URL used as SQS's endpoint), and their
 * SigV4 signer is built once per auth scheme instead of once per call. Together that is about 300 µs of a Lambda
 * call's CPU (packages/integrations/README.md).
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
import { CallScopedHttpHandler, withCallScope } from './call-scope.js';
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

/** Services whose endpoint rules take no operation input (region, FIPS, dual-stack, the configured endpoint). */
const SCOPED: ReadonlySet<ShippedService> = new Set(['lambda', 'sns', 'ecs', 'secretsmanager', 'sts']);

type SignerProvider = (authScheme?: { name?: string; signingName?: string; signingRegion?: string }) => Promise<unknown>;

/**
 * The SDK builds a SigV4 signer for every call (a copy of the whole client configuration, then the signer); its
 * inputs are the client's configuration and the auth scheme, so one per scheme does the same work once. The
 * signer reads the credentials provider and the clock offset when it signs, not when it is built.
 */
function memoizeSigner(client: { config: object }): void {
  const config = client.config as { signer?: unknown };
  const build = config.signer as SignerProvider | undefined;
  if (typeof build !== 'function') return;
  const built = new Map<string, Promise<unknown>>();
  config.signer = ((authScheme) => {
    const key = `${authScheme?.name}|${authScheme?.signingName}|${authScheme?.signingRegion}`;
    let signer = built.get(key);
    if (!signer) {
      signer = build(authScheme);
      signer.catch(() => built.delete(key)); // a failure is not kept
      built.set(key, signer);
    }
    return signer;
  }) satisfies SignerProvider;
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

  private baseConfig(region: string, endpoint: string | undefined): BaseConfig {
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
    if (service === 's3') return this.s3(region) as ClientMap[S];
    const endpoint = this.endpointFor(service);
    const base = this.baseConfig(region, endpoint);
    // SQS takes its endpoint from the queue URL unless one is configured (useQueueUrlAsEndpoint below).
    if (!SCOPED.has(service) && !(service === 'sqs' && endpoint !== undefined)) return this.build(service, base) as ClientMap[S];
    const handler = new CallScopedHttpHandler(base.requestHandler);
    const client = this.build(service, { ...base, cacheMiddleware: true, requestHandler: handler });
    memoizeSigner(client);
    return withCallScope(client) as ClientMap[S];
  }

  private build(service: Exclude<ShippedService, 'sfn' | 's3'>, config: ClientConfig): AnyClient {
    switch (service) {
      case 'lambda':
        return new LambdaClient(config);
      case 'sns':
        return new SNSClient(config);
      case 'sqs':
        return new SQSClient({ ...config, ...(config.endpoint !== undefined ? { useQueueUrlAsEndpoint: false } : {}) });
      case 'dynamodb':
        return new DynamoDBClient(config);
      case 'ecs':
        return new ECSClient(config);
      case 'eventbridge':
        return new EventBridgeClient(config);
      case 'secretsmanager':
        return new SecretsManagerClient(config);
      case 'sts':
        return new STSClient(config);
      default:
        throw new Error(`unknown service ${String(service)}`);
    }
  }
}

interface BaseConfig {
  region: string;
  maxAttempts: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: boolean };
  endpoint?: string;
  credentials?: NonNullable<CredentialsOption>;
}
type ClientConfig = BaseConfig | (Omit<BaseConfig, 'requestHandler'> & { cacheMiddleware: true; requestHandler: CallScopedHttpHandler });
type AnyClient = LambdaClient | SNSClient | SQSClient | DynamoDBClient | ECSClient | EventBridgeClient | SecretsManagerClient | STSClient;
