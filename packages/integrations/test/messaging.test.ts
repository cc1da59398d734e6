import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { CallbackBook, runWithInvoker, taskRequest } from './support/run-with-invoker.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';

let emu: Emulators;
let snsProxy: FaultProxy;
let sqsProxy: FaultProxy;
let topicArn: string;
let inbox: { url: string; arn: string };
beforeAll(async () => {
  emu = await startEmulators();
  snsProxy = await startFaultProxy(emu.fauxqsEndpoint, 'sns');
  sqsProxy = await startFaultProxy(emu.fauxqsEndpoint, 'sqs');
  topicArn = await emu.createTopic('notifications');
  inbox = await emu.createQueue('notifications-inbox');
  await emu.subscribe(topicArn, inbox.arn);
});
afterAll(async () => {
  await snsProxy?.close();
  await sqsProxy?.close();
  await emu?.close();
});

const task = (resource: string, parameters: JsonObject, extra: JsonObject = {}): JsonObject => ({
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: resource, Parameters: parameters, End: true, ...extra } },
});

describe('sns:publish', () => {
  it('publishes (JSON messages as text) and returns MessageId with HTTP metadata; the subscribed queue receives it', async () => {
    const r = await runWithInvoker(task('arn:aws:states:::sns:publish', { TopicArn: topicArn, 'Message.$': '$.order' }), emu.invoker(), { input: { order: { id: 7 } } });
    expect(r.status).toBe('SUCCEEDED');
    expect(typeof (r.output as any).MessageId).toBe('string');
    expect((r.output as any).SdkHttpMetadata.HttpStatusCode).toBe(200);
    const got = await emu.receive(inbox.url);
    expect(got.map((m) => m.Body)).toEqual(['{"id":7}']);
  });

  it('a missing topic fails with SNS.NotFoundException, caught by Catch', async () => {
    const def = task('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Message: 'x' }, {
      Catch: [{ ErrorEquals: ['SNS.NotFoundException'], Next: 'Handled' }], End: undefined, Next: 'Handled',
    } as unknown as JsonObject);
    delete (def.States as any).T.End;
    (def.States as any).Handled = { Type: 'Pass', End: true };
    const r = await runWithInvoker(def, emu.invoker(), {});
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).Error).toBe('SNS.NotFoundException');
    expect((r.output as any).Cause).toMatch(/\(Service: AmazonSNS; Status Code: 404; Error Code: NotFound/);
  });

  it('retries a throttled publish (SNS.ThrottledException)', async () => {
    snsProxy.throttleNext(1);
    const def = task('arn:aws:states:::sns:publish', { TopicArn: topicArn, Message: 'after-throttle' }, {
      Retry: [{ ErrorEquals: ['SNS.ThrottledException'], IntervalSeconds: 1, MaxAttempts: 2 }],
    });
    const r = await runWithInvoker(def, emu.invoker({ endpoints: { ...emu.options().endpoints, sns: snsProxy.endpoint } }), {});
    expect(r.status).toBe('SUCCEEDED');
    expect(snsProxy.throttled).toBe(1);
    expect(r.events.filter((e) => e.type === 'TaskFailed').map((e: any) => e.taskFailedEventDetails.error)).toEqual(['SNS.ThrottledException']);
    expect((await emu.receive(inbox.url)).map((m) => m.Body)).toEqual(['after-throttle']);
  });

  it('.waitForTaskToken publishes the token; the subscriber calls back', async () => {
    const callbacks = new CallbackBook();
    const def = task('arn:aws:states:::sns:publish.waitForTaskToken', { TopicArn: topicArn, Message: { 'token.$': '$$.Task.Token', 'ask.$': '$.ask' } });
    const r = await runWithInvoker(def, emu.invoker(), {
      input: { ask: 'ship?' },
      callbacks,
      onSubmitted: async () => {
        const [m] = await emu.receive(inbox.url);
        const body = JSON.parse(m!.Body!);
        callbacks.succeed(body.token, { answer: `yes to ${body.ask}` });
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ answer: 'yes to ship?' });
  });
});

describe('sqs:sendMessage', () => {
  it('sends to the configured endpoint even though the queue URL names another host', async () => {
    const q = await emu.createQueue('orders');
    expect(new URL(q.url).hostname).not.toBe('127.0.0.1');
    const r = await runWithInvoker(task('arn:aws:states:::sqs:sendMessage', { QueueUrl: q.url, 'MessageBody.$': '$' }), emu.invoker(), { input: { a: 1 } });
    expect(r.status).toBe('SUCCEEDED');
    expect(Object.keys(r.output as object).sort()).toEqual(['MD5OfMessageBody', 'MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect((await emu.receive(q.url)).map((m) => m.Body)).toEqual(['{"a":1}']);
  });

  it('a missing queue fails with SQS.QueueDoesNotExistException, caught by Catch', async () => {
    const def = task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/missing', MessageBody: 'x' }, {
      Catch: [{ ErrorEquals: ['SQS.QueueDoesNotExistException'], ResultPath: '$.err', Next: 'Handled' }], Next: 'Handled',
    });
    delete (def.States as any).T.End;
    (def.States as any).Handled = { Type: 'Pass', End: true };
    const r = await runWithInvoker(def, emu.invoker(), { input: {} });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).err.Error).toBe('SQS.QueueDoesNotExistException');
  });

  it('retries a throttled send (SQS.RequestThrottledException)', async () => {
    const q = await emu.createQueue('throttled');
    sqsProxy.throttleNext(2);
    const def = task('arn:aws:states:::sqs:sendMessage', { QueueUrl: q.url, MessageBody: 'm' }, {
      Retry: [{ ErrorEquals: ['SQS.RequestThrottledException'], IntervalSeconds: 1, MaxAttempts: 2 }],
    });
    const r = await runWithInvoker(def, emu.invoker({ endpoints: { ...emu.options().endpoints, sqs: sqsProxy.endpoint } }), {});
    expect(r.status).toBe('SUCCEEDED');
    expect(sqsProxy.throttled).toBe(2);
    expect((await emu.receive(q.url)).map((m) => m.Body)).toEqual(['m']);
  });

  it('.waitForTaskToken sends the token; the consumer reads the queue and calls back (or fails)', async () => {
    const q = await emu.createQueue('work');
    const def: JsonObject = {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { QueueUrl: q.url, MessageBody: { 'TaskToken.$': '$$.Task.Token', 'job.$': '$.job' } },
          Catch: [{ ErrorEquals: ['JobRejected'], Next: 'Rejected' }], End: true,
        },
        Rejected: { Type: 'Fail', Error: 'Rejected' },
      },
    };
    const consumer = (callbacks: CallbackBook) => async () => {
      const [m] = await emu.receive(q.url);
      const body = JSON.parse(m!.Body!);
      if (body.job === 'good') callbacks.succeed(body.TaskToken, { done: body.job });
      else callbacks.fail(body.TaskToken, 'JobRejected', 'bad job');
    };
    const ok = new CallbackBook();
    const r1 = await runWithInvoker(def, emu.invoker(), { input: { job: 'good' }, callbacks: ok, onSubmitted: consumer(ok) });
    expect(r1.status).toBe('SUCCEEDED');
    expect(r1.output).toEqual({ done: 'good' });
    const ko = new CallbackBook();
    const r2 = await runWithInvoker(def, emu.invoker(), { input: { job: 'bad' }, callbacks: ko, onSubmitted: consumer(ko) });
    expect(r2).toMatchObject({ status: 'FAILED', error: 'Rejected' });
  });

  it('FIFO without content-based deduplication: a redelivered attempt sends once (MessageDeduplicationId from the task)', async () => {
    const q = await emu.createQueue('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'false' });
    const invoker = emu.invoker();
    const cmd = (taskId: string) => ({
      kind: 'scheduleTask', taskId, runId: 'r', stateName: 'S', resource: 'arn:aws:states:::sqs:sendMessage', family: 'service',
      pattern: 'request-response', parameters: { QueueUrl: q.url, MessageBody: 'same body', MessageGroupId: 'g' }, attempt: 0,
    }) as const;
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:m:e1';
    const first = await invoker.invoke(taskRequest(cmd('k1'), 'us-east-1', arn), new AbortController().signal);
    const again = await invoker.invoke(taskRequest(cmd('k1'), 'us-east-1', arn), new AbortController().signal);
    const other = await invoker.invoke(taskRequest(cmd('k2'), 'us-east-1', arn), new AbortController().signal);
    expect([first.kind, again.kind, other.kind]).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect((again as any).output.MessageId).toBe((first as any).output.MessageId);
    expect((other as any).output.MessageId).not.toBe((first as any).output.MessageId);
  });
});
