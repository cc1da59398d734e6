/**
 * The seed article's order-processing state machine (Lambda validate with Retry/Catch, DynamoDB getItem, Choice,
 * Lambda .waitForTaskToken payment with a callback, Parallel with DynamoDB updateItem and SNS publish, SQS
 * sendMessage on backorder), end to end against the emulators: every Task goes through the real invoker over HTTP.
 * The definition is the article's, with its topic ARN and queue URL mapped onto the emulator's (fauxqs names its
 * account 000000000000), and one fix to its Choice input (see support/seed-order.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from '../../packages/integrations/test/support/emulators.js';
import { CallbackBook, runWithInvoker } from '../../packages/integrations/test/support/run-with-invoker.js';
import { FunctionError } from '../../packages/integrations/test/servers/lambda-server.js';
import { orderDefinition, seedAvailable } from './support/seed-order.js';

let emu: Emulators;
let definition: JsonObject;
let notifications: { url: string; arn: string };
let backorders: { url: string; arn: string };
const callbacks = new CallbackBook();

beforeAll(async () => {
  emu = await startEmulators();
  await emu.createTable('Inventory', 'productId');
  const topicArn = await emu.createTopic('order-notifications');
  notifications = await emu.createQueue('order-notifications-inbox');
  await emu.subscribe(topicArn, notifications.arn);
  backorders = await emu.createQueue('backorder-queue');
  definition = orderDefinition(topicArn, backorders.url);

  emu.lambda.define('order-validator', (event) => {
    const order = event as { orderId?: string; amount?: number };
    if (!order.orderId || typeof order.amount !== 'number') throw new FunctionError('ValidationFailed', 'orderId and amount are required');
    return { valid: true };
  });
  // The payment gateway: gets the task token, answers later through the callback (SendTaskSuccess/Failure).
  emu.lambda.define('payment-processor', (event) => {
    const { taskToken, amount, customerId } = event as { taskToken: string; amount: number; customerId: string };
    setTimeout(() => {
      if (amount > 1000) callbacks.fail(taskToken, 'PaymentDeclined', `card of ${customerId} declined`);
      // The state has no ResultPath, so the callback output becomes the state's output: the gateway echoes the order reference.
      else callbacks.succeed(taskToken, { orderId: pending.get(customerId)!.orderId, productId: pending.get(customerId)!.productId, paymentStatus: 'APPROVED' });
    }, 5);
    return { accepted: true };
  });
}, 60_000);
afterAll(async () => {
  await emu?.close();
});

const pending = new Map<string, { orderId: string; productId: string }>();

async function stock(productId: string, quantity: number): Promise<void> {
  await emu.dynamo.send(new PutItemCommand({ TableName: 'Inventory', Item: { productId: { S: productId }, quantity: { N: String(quantity) } } }));
}
async function quantity(productId: string): Promise<string | undefined> {
  const r = await emu.dynamo.send(new GetItemCommand({ TableName: 'Inventory', Key: { productId: { S: productId } } }));
  return r.Item?.quantity?.N;
}

describe.skipIf(!seedAvailable())('seed order-processing state machine', () => {
  it('happy path: validated (after a retried Lambda.ServiceException), in stock, paid by callback, fulfilled', async () => {
    await stock('p-1', 5);
    pending.set('c-1', { orderId: 'o-1', productId: 'p-1' });
    emu.lambda.failNext('order-validator', 1, 'service');
    const r = await runWithInvoker(definition, emu.invoker(), { input: { orderId: 'o-1', productId: 'p-1', amount: 50, customerId: 'c-1' }, callbacks });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.events.filter((e) => e.type === 'TaskFailed').map((e: any) => e.taskFailedEventDetails.error)).toEqual(['Lambda.ServiceException']);
    const [update, publish] = r.output as any[];
    expect(update.SdkHttpMetadata.HttpStatusCode).toBe(200);
    expect(typeof publish.MessageId).toBe('string');
    expect(await quantity('p-1')).toBe('4');
    expect((await emu.receive(notifications.url)).map((m) => m.Body)).toEqual(['Order o-1 confirmed']);
    const payment = JSON.parse(emu.lambda.invocations.filter((i) => i.functionName === 'payment-processor').at(-1)!.payloadText);
    expect(payment).toMatchObject({ amount: 50, customerId: 'c-1' });
    expect(typeof payment.taskToken).toBe('string');
  });

  it('declined payment: PaymentDeclined is caught, the customer is notified, the order fails', async () => {
    await stock('p-2', 5);
    const r = await runWithInvoker(definition, emu.invoker(), { input: { orderId: 'o-2', productId: 'p-2', amount: 5000, customerId: 'c-2' }, callbacks });
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderProcessingFailed', cause: 'Order could not be completed' });
    expect(await quantity('p-2')).toBe('5');
    expect((await emu.receive(notifications.url)).map((m) => m.Body)).toEqual(['Order o-2 rejected: card of c-2 declined']);
  });

  it('without the fix, the article\'s Choice never sees stock: DynamoDB numbers are strings', async () => {
    await stock('p-5', 5);
    const asPublished = structuredClone(definition);
    delete (asPublished.States as any).CheckInventory.ResultSelector;
    const r = await runWithInvoker(asPublished, emu.invoker(), { input: { orderId: 'o-5', productId: 'p-5', amount: 1, customerId: 'c-5' }, callbacks });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.events.some((e: any) => e.stateEnteredEventDetails?.name === 'BackorderItem')).toBe(true);
    await emu.receive(backorders.url);
  });

  it('out of stock: the order goes to the backorder queue', async () => {
    await stock('p-3', 0);
    const input = { orderId: 'o-3', productId: 'p-3', amount: 10, customerId: 'c-3' };
    const r = await runWithInvoker(definition, emu.invoker(), { input, callbacks });
    expect(r.status).toBe('SUCCEEDED');
    const [message] = await emu.receive(backorders.url);
    expect(JSON.parse(message!.Body!)).toMatchObject({ ...input, inventory: { Item: { quantity: { N: 0 } } } });
  });

  it('invalid order: the function error ValidationFailed is caught and the rejection quotes its payload', async () => {
    const r = await runWithInvoker(definition, emu.invoker(), { input: { orderId: 'o-4', productId: 'p-1', customerId: 'c-4' }, callbacks });
    expect(r).toMatchObject({ status: 'FAILED', error: 'OrderProcessingFailed' });
    const [message] = await emu.receive(notifications.url);
    expect(message!.Body).toMatch(/^Order o-4 rejected: \{"errorMessage":"orderId and amount are required","errorType":"ValidationFailed"/);
  });
});
