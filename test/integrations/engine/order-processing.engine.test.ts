/**
 * The seed article's order-processing machine through the durable engine (Postgres + BullMQ, worker and timer
 * service, API server) with the real task invoker against the emulators. The payment gateway (a Lambda function)
 * receives the task token; the test then plays the gateway's callback with SendTaskSuccess / SendTaskFailure through
 * the real `@aws-sdk/client-sfn` against the API server, and the history must show the callback task as AWS records
 * it: TaskScheduled, TaskStarted, TaskSubmitted (the Invoke response), TaskSucceeded / TaskFailed.
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionError } from '../../../packages/integrations/test/servers/lambda-server.js';
import { orderDefinition, seedAvailable } from '../support/seed-order.js';
import { startIntegrationStack, type IntegrationStack } from './support/integration-stack.js';

let stack: IntegrationStack;
let machine: string;
let notifications: { url: string; arn: string };
/** Task tokens the payment gateway received, by customer. */
const tokens = new Map<string, string>();

beforeAll(async () => {
  if (!seedAvailable()) return;
  stack = await startIntegrationStack({ label: 'order_engine' });
  const { emu } = stack;
  await emu.createTable('Inventory', 'productId');
  const topicArn = await emu.createTopic('order-notifications');
  notifications = await emu.createQueue('order-notifications-inbox');
  await emu.subscribe(topicArn, notifications.arn);
  const backorders = await emu.createQueue('backorder-queue');
  emu.lambda.define('order-validator', (event) => {
    const order = event as { orderId?: string; amount?: number };
    if (!order.orderId || typeof order.amount !== 'number') throw new FunctionError('ValidationFailed', 'orderId and amount are required');
    return { valid: true };
  });
  emu.lambda.define('payment-processor', (event) => {
    const { taskToken, customerId } = event as { taskToken: string; customerId: string };
    tokens.set(customerId, taskToken);
    return { accepted: true };
  });
  machine = await stack.createStateMachine('order-processing', orderDefinition(topicArn, backorders.url));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

async function stock(productId: string, quantity: number): Promise<void> {
  await stack.emu.dynamo.send(new PutItemCommand({ TableName: 'Inventory', Item: { productId: { S: productId }, quantity: { N: String(quantity) } } }));
}
async function quantity(productId: string): Promise<string | undefined> {
  const r = await stack.emu.dynamo.send(new GetItemCommand({ TableName: 'Inventory', Key: { productId: { S: productId } } }));
  return r.Item?.quantity?.N;
}

/** Waits until the payment task is submitted (the Invoke returned) and the gateway holds the token. */
async function paymentSubmitted(executionArn: string, customerId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const events = await stack.history(executionArn);
    if (events.some((e) => e.type === 'TaskSubmitted') && tokens.has(customerId)) return tokens.get(customerId)!;
    if (events.some((e) => e.type === 'ExecutionFailed' || e.type === 'ExecutionSucceeded')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`payment of ${customerId} was never submitted`);
}

/** The event types from the named state's TaskStateEntered to its exit (or the execution's end). */
function stateEvents(events: S.HistoryEvent[], state: string): S.HistoryEvent[] {
  const from = events.findIndex((e) => e.type === 'TaskStateEntered' && e.stateEnteredEventDetails?.name === state);
  const to = events.findIndex((e, i) => i > from && (e.type === 'TaskStateExited' || e.type?.startsWith('Execution')));
  return events.slice(from, to + 1);
}

describe.skipIf(!seedAvailable() && process.env.CI !== 'true')('seed order-processing machine through the durable engine', () => {
  it('happy path: validated after a retried Lambda.ServiceException, in stock, paid by SendTaskSuccess, fulfilled', async () => {
    await stock('p-1', 5);
    stack.emu.lambda.failNext('order-validator', 1, 'service');
    const arn = await stack.start(machine, { orderId: 'o-1', productId: 'p-1', amount: 50, customerId: 'c-1' });
    const token = await paymentSubmitted(arn, 'c-1');
    await stack.sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ orderId: 'o-1', productId: 'p-1', paymentStatus: 'APPROVED' }) }));
    const done = await stack.finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    const [update, publish] = JSON.parse(done.output!) as any[];
    expect(update.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(typeof publish.MessageId).toBe('string');
    expect(await quantity('p-1')).toBe('4');
    expect((await stack.emu.receive(notifications.url)).map((m) => m.Body)).toEqual(['Order o-1 confirmed']);

    const events = await stack.history(arn);
    // The validator's first attempt failed with the service's error and was retried on a durable timer.
    expect(events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error)).toEqual(['Lambda.ServiceException']);
    const payment = stateEvents(events, 'ProcessPayment');
    expect(payment.map((e) => e.type)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited']);
    const [, scheduled, , submitted, succeeded] = payment;
    expect(scheduled!.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', region: 'us-east-1', timeoutInSeconds: 300 });
    expect(JSON.parse(scheduled!.taskScheduledEventDetails!.parameters!)).toMatchObject({ FunctionName: 'payment-processor', Payload: { amount: 50, customerId: 'c-1', taskToken: token } });
    expect(submitted!.taskSubmittedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
    expect(JSON.parse(submitted!.taskSubmittedEventDetails!.output!)).toMatchObject({ Payload: { accepted: true }, StatusCode: 200 });
    expect(JSON.parse(succeeded!.taskSucceededEventDetails!.output!)).toEqual({ orderId: 'o-1', productId: 'p-1', paymentStatus: 'APPROVED' });
    // The token is single use: answering again is TaskDoesNotExist, as on AWS.
    await expect(stack.sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(S.TaskDoesNotExist);
  });

  it('declined payment: SendTaskFailure(PaymentDeclined) is caught, the customer is notified, the order fails', async () => {
    await stock('p-2', 5);
    const arn = await stack.start(machine, { orderId: 'o-2', productId: 'p-2', amount: 5000, customerId: 'c-2' });
    const token = await paymentSubmitted(arn, 'c-2');
    await stack.sfn.send(new S.SendTaskFailureCommand({ taskToken: token, error: 'PaymentDeclined', cause: 'card of c-2 declined' }));
    const done = await stack.finished(arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'OrderProcessingFailed', cause: 'Order could not be completed' });
    expect(await quantity('p-2')).toBe('5');
    expect((await stack.emu.receive(notifications.url)).map((m) => m.Body)).toEqual(['Order o-2 rejected: card of c-2 declined']);
    const payment = stateEvents(await stack.history(arn), 'ProcessPayment');
    expect(payment.map((e) => e.type)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed', 'TaskStateExited']);
    expect(payment[4]!.taskFailedEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke.waitForTaskToken', error: 'PaymentDeclined', cause: 'card of c-2 declined' });
  });

  it('invalid order: the function error ValidationFailed is caught by name and the rejection quotes its payload', async () => {
    const arn = await stack.start(machine, { orderId: 'o-4', productId: 'p-1', customerId: 'c-4' });
    const done = await stack.finished(arn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'OrderProcessingFailed' });
    const [message] = await stack.emu.receive(notifications.url);
    expect(message!.Body).toMatch(/^Order o-4 rejected: \{"errorMessage":"orderId and amount are required","errorType":"ValidationFailed"/);
  });
});
