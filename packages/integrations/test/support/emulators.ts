/**
 * Starts every service the integration tests talk to, in-process, on 127.0.0.1 with ephemeral ports: dynalite
 * (DynamoDB), fauxqs 1.9 (SQS and SNS, from its app builder, since its own starter binds all interfaces), s3rver
 * (S3, path-style), and the wire-level Lambda, ECS, Step Functions, EventBridge, Secrets Manager and STS servers of
 * ../servers. Resources are created over HTTP with the SDK. Every client signs with s3rver's key pair, the only
 * one s3rver accepts (the other emulators do not check signatures).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { buildApp } from 'fauxqs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createTaskInvoker, type BatonTaskInvoker, type TaskInvokerOptions } from '../../src/index.js';
import { startLambdaServer, type LambdaTestServer } from '../servers/lambda-server.js';
import { startEcsServer, type EcsTestServer } from '../servers/ecs-server.js';
import { startSfnServer, type SfnTestServer } from '../servers/sfn-server.js';
import { startSecretsManagerServer, type SecretsManagerTestServer } from '../servers/secretsmanager-server.js';
import { startEventBridgeServer, type EventBridgeTestServer } from '../servers/eventbridge-server.js';
import { startStsServer, type StsTestServer } from '../servers/sts-server.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3Emulator } from './s3rver.js';

export const REGION = 'us-east-1';
const credentials = S3RVER_CREDENTIALS;

export interface Emulators {
  dynamodbEndpoint: string;
  fauxqsEndpoint: string;
  lambda: LambdaTestServer;
  ecs: EcsTestServer;
  sfn: SfnTestServer;
  s3rver: S3Emulator;
  secretsManager: SecretsManagerTestServer;
  eventBridge: EventBridgeTestServer;
  sts: StsTestServer;
  s3: S3Client;
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  sns: SNSClient;
  options(overrides?: Partial<TaskInvokerOptions>): TaskInvokerOptions;
  invoker(overrides?: Partial<TaskInvokerOptions>): BatonTaskInvoker;
  createTable(name: string, key?: string): Promise<void>;
  createQueue(name: string, attributes?: Record<string, string>): Promise<{ url: string; arn: string }>;
  createTopic(name: string, attributes?: Record<string, string>): Promise<string>;
  /** Subscribes a queue to a topic; raw delivery (the default) puts the bare message in the queue, else the SNS envelope. */
  subscribe(topicArn: string, queueArn: string, options?: { raw?: boolean }): Promise<void>;
  receive(queueUrl: string, waitSeconds?: number): Promise<{ Body?: string }[]>;
  createBucket(name: string): Promise<void>;
  putObject(bucket: string, key: string, body: string, contentType?: string): Promise<void>;
  close(): Promise<void>;
}

export interface EmulatorOptions {
  /** Account the Lambda and ECS servers name in their ARNs (default 123456789012; fauxqs always uses 000000000000). */
  account?: string;
}

export async function startEmulators(settings: EmulatorOptions = {}): Promise<Emulators> {
  const dyn: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => dyn.listen(0, '127.0.0.1', resolve));
  const dynamodbEndpoint = `http://127.0.0.1:${(dyn.address() as AddressInfo).port}`;

  const fauxqs = buildApp({ logger: false, defaultRegion: REGION });
  const fauxqsEndpoint = await fauxqs.listen({ port: 0, host: '127.0.0.1' });

  const [lambda, ecs, sfn, s3rver, secretsManager, sts] = await Promise.all([
    startLambdaServer(REGION, settings.account), startEcsServer(REGION, settings.account), startSfnServer(), startS3rver(),
    startSecretsManagerServer(REGION, settings.account), startStsServer(),
  ]);
  const eventBridge = await startEventBridgeServer(secretsManager, REGION, settings.account);

  const sdk = { region: REGION, credentials };
  const dynamo = new DynamoDBClient({ ...sdk, endpoint: dynamodbEndpoint });
  const sqs = new SQSClient({ ...sdk, endpoint: fauxqsEndpoint, useQueueUrlAsEndpoint: false });
  const sns = new SNSClient({ ...sdk, endpoint: fauxqsEndpoint });
  const s3 = new S3Client({ ...sdk, endpoint: s3rver.endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const sfnClients: SFNClient[] = [];

  const options = (overrides: Partial<TaskInvokerOptions> = {}): TaskInvokerOptions => ({
    region: REGION,
    credentials,
    endpoints: {
      dynamodb: dynamodbEndpoint, sqs: fauxqsEndpoint, sns: fauxqsEndpoint, lambda: lambda.endpoint, ecs: ecs.endpoint,
      s3: s3rver.endpoint, secretsmanager: secretsManager.endpoint, eventbridge: eventBridge.endpoint, sts: sts.endpoint,
    },
    s3ForcePathStyle: true,
    requestTimeoutMs: 5_000,
    pollIntervalMs: { ecs: 5, states: 5 },
    stepFunctions: (region) => {
      const client = new SFNClient({ region, credentials, endpoint: sfn.endpoint, maxAttempts: 1 });
      sfnClients.push(client);
      return client;
    },
    ...overrides,
  });
  const invokers: BatonTaskInvoker[] = [];

  return {
    dynamodbEndpoint,
    fauxqsEndpoint,
    lambda,
    ecs,
    sfn,
    s3rver,
    secretsManager,
    eventBridge,
    sts,
    s3,
    dynamo,
    sqs,
    sns,
    options,
    invoker: (overrides) => {
      const inv = createTaskInvoker(options(overrides));
      invokers.push(inv);
      return inv;
    },
    async createTable(name, key = 'id') {
      await dynamo.send(new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }));
      for (let i = 0; i < 50; i++) {
        const d = await dynamo.send(new DescribeTableCommand({ TableName: name }));
        if (d.Table?.TableStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async createQueue(name, attributes) {
      const created = await sqs.send(new CreateQueueCommand({ QueueName: name, ...(attributes ? { Attributes: attributes } : {}) }));
      const url = created.QueueUrl!;
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      return { url, arn: attrs.Attributes!.QueueArn! };
    },
    async createTopic(name, attributes) {
      const t = await sns.send(new CreateTopicCommand({ Name: name, ...(attributes ? { Attributes: attributes } : {}) }));
      return t.TopicArn!;
    },
    async subscribe(topicArn, queueArn, options = {}) {
      const raw = options.raw ?? true;
      await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: queueArn, Attributes: { RawMessageDelivery: String(raw) } }));
    },
    async receive(queueUrl, waitSeconds = 1) {
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));
      return r.Messages ?? [];
    },
    async createBucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
    },
    async putObject(bucket, key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...(contentType ? { ContentType: contentType } : {}) }));
    },
    async close() {
      for (const inv of invokers) inv.destroy();
      for (const c of sfnClients) c.destroy();
      dynamo.destroy();
      sqs.destroy();
      sns.destroy();
      s3.destroy();
      await Promise.all([
        new Promise<void>((resolve) => dyn.close(() => resolve())),
        fauxqs.close(),
        lambda.close(),
        ecs.close(),
        sfn.close(),
        s3rver.close(),
        secretsManager.close(),
        eventBridge.close(),
        sts.close(),
      ]);
    },
  };
}
