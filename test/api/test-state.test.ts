/**
 * TestState through the real `@aws-sdk/client-sfn` and the engine, where the engine's part shows: the real call of
 * a Task tested without a mock (the task invoker, against the wire-level Lambda server), TestState's five-minute
 * bound (a TimeoutSeconds under it ends the call with States.Timeout), the mocked result checked against the
 * service's model, and what Baton refuses (no model to check a mock against, TRACE on an HTTP Task, no invoker).
 */
import * as S from '@aws-sdk/client-sfn';
import { createTaskInvoker, type BatonTaskInvoker } from '@baton/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionError, startLambdaServer, type LambdaTestServer } from '../../packages/integrations/test/servers/lambda-server.js';
import { failure, sdkClient, suiteStack } from './support/sdk.js';
import { startEngineStack, type EngineStack } from './support/engine-stack.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/tester`;
const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

describe('TestState with the task invoker', () => {
  let lambda: LambdaTestServer;
  let invoker: BatonTaskInvoker;
  let stack: EngineStack;
  let sfn: S.SFNClient;

  beforeAll(async () => {
    lambda = await startLambdaServer(REGION, ACCOUNT);
    lambda.define('double', (event) => (event as { n: number }).n * 2);
    lambda.define('boom', () => {
      throw new FunctionError('Oops', 'it broke');
    });
    lambda.define('slow', () => new Promise((resolve) => setTimeout(() => resolve('late'), 3000)));
    invoker = createTaskInvoker({ region: REGION, endpoints: { lambda: lambda.endpoint }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    stack = await startEngineStack('postgres', { account: ACCOUNT, region: REGION, invoker });
    sfn = sdkClient(stack);
  });

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
    invoker?.destroy();
    await lambda?.close();
  });

  const test = (definition: object, extra: Partial<S.TestStateInput> = {}) =>
    sfn.send(new S.TestStateCommand({ definition: JSON.stringify(definition), roleArn: ROLE, input: '{"n": 21}', ...extra }));

  it('calls the function of a Task tested without a mock, and shows its result at DEBUG', async () => {
    const r = await test({ Type: 'Task', Resource: fn('double'), ResultPath: '$.doubled', Next: 'After' }, { inspectionLevel: 'DEBUG' });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"n": 21, "doubled": 42}', nextState: 'After' });
    expect(r.inspectionData).toMatchObject({ input: '{"n": 21}', afterInputPath: '{"n": 21}', afterParameters: '{"n": 21}', result: '42' });
    expect(lambda.invocations.filter((i) => i.functionName === 'double').map((i) => JSON.parse(i.payloadText) as unknown)).toEqual([{ n: 21 }]);
  });

  it('reports the function\'s error through the state\'s Catch', async () => {
    const r = await test({ Type: 'Task', Resource: fn('boom'), Catch: [{ ErrorEquals: ['Oops'], Next: 'Handle' }], End: true });
    expect(r).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Oops', nextState: 'Handle' });
    expect(JSON.parse(r.output!)).toMatchObject({ Error: 'Oops' });
  });

  it('ends a call that outlasts the state\'s TimeoutSeconds with States.Timeout', async () => {
    const r = await test({ Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 1, End: true });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  });

  it('checks a mocked result against the model of the call it stands for', async () => {
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true };
    const e = await failure(test(definition, { mock: { result: '{"MessageId": 7}' } }));
    expect(e).toBeInstanceOf(S.ValidationException);
    expect(e.message).toBe("Mock result schema validation error: Field 'MessageId' must be a string");
    const none = await test(definition, { mock: { result: '{"MessageId": 7}', fieldValidationMode: 'NONE' } });
    expect(none.output).toBe('{"MessageId": 7}');
  });

  it('refuses to check a mock it has no model for, unless fieldValidationMode is NONE', async () => {
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:kms:encrypt', Parameters: { KeyId: 'k', Plaintext: 'p' }, End: true };
    const e = await failure(test(definition, { mock: { result: '{"CiphertextBlob": "x"}', fieldValidationMode: 'PRESENT' } }));
    expect(e).toBeInstanceOf(S.ValidationException);
    expect(e.message).toBe("Baton has no API model for the AWS SDK service 'kms', so it cannot check a mocked result in PRESENT mode; set mock.fieldValidationMode to NONE.");
    expect((await test(definition, { mock: { result: '{"CiphertextBlob": "x"}', fieldValidationMode: 'NONE' } })).status).toBe('SUCCEEDED');
  });

  it('refuses TRACE for an HTTP Task without a mock: Baton does not report the raw request and response', async () => {
    const definition = { Type: 'Task', Resource: 'arn:aws:states:::http:invoke', Parameters: { ApiEndpoint: 'https://example.com', Method: 'GET' }, End: true };
    const e = await failure(test(definition, { inspectionLevel: 'TRACE' }));
    expect(e).toBeInstanceOf(S.ValidationException);
    expect(e.message).toContain('inspectionLevel TRACE');
  });

  it.each<[string, Partial<S.TestStateInput>, string]>([
    ['variables that are not an object', { variables: '[1]' }, 'Variables must be a JSON object.'],
    ['a context that is not JSON', { context: '{', mock: { result: '{}' } }, 'Invalid Context object provided: not valid JSON'],
  ])('refuses %s', async (_label, extra, message) => {
    const e = await failure(test({ Type: 'Task', Resource: fn('double'), End: true }, extra));
    expect(e).toBeInstanceOf(S.ValidationException);
    expect(e.message).toBe(message);
  });

  it('refuses input that is not JSON as AWS refuses execution input', async () => {
    const e = await failure(test({ Type: 'Pass', End: true }, { input: '{' }));
    expect(e).toBeInstanceOf(S.InvalidExecutionInput);
  });
});

describe('TestState on an engine without a task invoker', () => {
  const suite = suiteStack('embedded', { account: ACCOUNT, region: REGION });

  it('fails a real Task call, and refuses to check a mock against a model it does not have', async () => {
    const r = await suite.sfn.send(new S.TestStateCommand({ definition: JSON.stringify({ Type: 'Task', Resource: fn('double'), End: true }), roleArn: ROLE }));
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    const e = await failure(suite.sfn.send(new S.TestStateCommand({
      definition: JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [] }, End: true }),
      mock: { result: '{"Entries": []}' },
    })));
    expect(e.message).toBe('Baton has no task invoker configured, so it cannot check a mocked result in STRICT mode; set mock.fieldValidationMode to NONE.');
  });
});

// TestState runs in the API process: its evaluation goes through the engine's evaluator (the pool of evaluation
// threads), under the same budgets as a step, so one request cannot stall the API that serves everyone else.
describe('TestState under the evaluation budgets', () => {
  let stack: EngineStack;
  let sfn: S.SFNClient;

  beforeAll(async () => {
    stack = await startEngineStack('postgres', { evaluation: { timeoutMs: 1_000, memoryMb: 64, threads: 1 } });
    sfn = sdkClient(stack);
  });

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
  });

  const test = (state: object) => sfn.send(new S.TestStateCommand({ definition: JSON.stringify(state), roleArn: ROLE, input: '{}' }));

  it('a JSONata state over the time budget answers FAILED with States.QueryEvaluationError while the API keeps answering', async () => {
    // $distinct is quadratic inside jsonata: minutes of CPU, on the API's event loop before.
    const slow = test({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $count($distinct([1..300000])) %}', End: true });
    const started = Date.now();
    const listed = await sfn.send(new S.ListStateMachinesCommand({}));
    expect(listed.stateMachines).toEqual([]);
    const answeredWithin = Date.now() - started;
    const r = await slow;
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toContain("time budget of 1000 ms (BATON_EVALUATION_TIMEOUT_MS)");
    // The listing did not wait for the evaluation (which takes at least the 1 s budget).
    expect(answeredWithin).toBeLessThan(1_000);
  });
});

describe('TestState under the memory budget', () => {
  let stack: EngineStack;
  let sfn: S.SFNClient;

  // A time budget the allocation stays well within, so that the memory budget is the one that ends it.
  beforeAll(async () => {
    stack = await startEngineStack('postgres', { evaluation: { timeoutMs: 60_000, memoryMb: 64, threads: 1 } });
    sfn = sdkClient(stack);
  });

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
  });

  const test = (state: object) => sfn.send(new S.TestStateCommand({ definition: JSON.stringify(state), roleArn: ROLE, input: '{}' }));

  it('a state whose evaluation outgrows the memory budget answers FAILED, and the next request is served', async () => {
    // Many separate strings and arrays (about 270 MB in all), then one array grown past the limit: in an evaluation
    // thread on Node 24 the second aborted the whole process (nodejs/node#47224; engine README); in an evaluation
    // process (the default) it can only end that process.
    for (const grown of ['[1..9999999] ~> $map(function($v) { $v })', '$count([1..200] ~> $map(function($i) { [1..1000000] }))']) {
      const g = await test({ Type: 'Pass', QueryLanguage: 'JSONata', Output: `{% ${grown} %}`, End: true });
      expect(g).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
      expect(g.cause).toMatch(/memory/);
    }
    const r = await test({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $count([1..1000] ~> $map(function($v) { $string([1..20000]) & $string($v) })) %}', End: true });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toMatch(/memory/);
    const ok = await test({ Type: 'Pass', Result: { fine: true }, End: true });
    expect(ok).toMatchObject({ status: 'SUCCEEDED', output: '{"fine": true}' });
  }, 90_000);
});
