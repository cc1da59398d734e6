/**
 * Every client added with the HTTP Task, S3, EventBridge, Secrets Manager and STS honours the invoker's request
 * timeout and the task's abort signal, against a server that accepts connections and never answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { createTaskInvoker, type TaskInvokerOptions, type TaskRequest } from '../src/index.js';
import { listen, type RunningServer } from './servers/http-util.js';
import { S3RVER_CREDENTIALS } from './support/s3rver.js';

let silent: RunningServer;
beforeAll(async () => {
  silent = await listen(() => new Promise(() => {})); // reads the request, never answers
});
afterAll(async () => {
  await silent?.close();
});

const CONNECTION = 'arn:aws:events:us-east-1:123456789012:connection/silent/1';
const options = (): TaskInvokerOptions => ({
  region: 'us-east-1', credentials: S3RVER_CREDENTIALS, requestTimeoutMs: 150, httpTimeoutMs: 150, s3ForcePathStyle: true,
  endpoints: { s3: silent.endpoint, eventbridge: silent.endpoint, secretsmanager: silent.endpoint, sts: silent.endpoint },
  connections: { [CONNECTION]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } } },
});
const request = (resource: string, parameters: JsonObject, credentials?: JsonObject): TaskRequest => ({
  executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m',
  stateName: 'S', taskId: 't', resource, pattern: 'request-response', parameters, attempt: 0, region: 'us-east-1',
  ...(credentials ? { credentials } : {}),
});

/** [name, the request (built once the silent server listens), the error a timeout gives]. */
const calls: [string, () => TaskRequest, string][] = [
  ['events:putEvents', () => request('arn:aws:states:::events:putEvents', { Entries: [{ Source: 's', DetailType: 'd', Detail: {} }] }), 'EventBridge.SdkClientException'],
  ['aws-sdk:s3:getObject', () => request('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' }), 'S3.SdkClientException'],
  ['aws-sdk:secretsmanager', () => request('arn:aws:states:::aws-sdk:secretsmanager:listSecrets', {}), 'SecretsManager.SdkClientException'],
  ['STS for Credentials', () => request('arn:aws:states:::aws-sdk:secretsmanager:listSecrets', {}, { RoleArn: 'arn:aws:iam::123456789012:role/r' }), 'States.TaskFailed'],
  ['http:invoke', () => request('arn:aws:states:::http:invoke', { ApiEndpoint: `${silent.endpoint}/x`, Method: 'GET', Authentication: { ConnectionArn: CONNECTION } }), 'States.Http.Socket'],
];

describe('timeouts and aborts of the new clients', () => {
  for (const [name, build, error] of calls) {
    it(`${name}: a hung call fails with ${error}, an abort rejects`, async () => {
      const invoker = createTaskInvoker(options());
      const target = build();
      try {
        const started = Date.now();
        const timedOut = await invoker.invoke(target, new AbortController().signal);
        expect(timedOut).toMatchObject({ kind: 'failed', error });
        expect(Date.now() - started).toBeLessThan(10_000);
        const controller = new AbortController();
        const pending = invoker.invoke(target, controller.signal);
        setTimeout(() => controller.abort(new Error('cancelled by the engine')), 30);
        await expect(pending).rejects.toThrow('cancelled by the engine');
      } finally {
        invoker.destroy();
      }
    });
  }
});
