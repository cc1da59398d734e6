/**
 * TestState's evaluation (pure, @baton/asl) beyond the recorded cases (those run through the API in
 * test/api/test-state-conformance.test.ts): variables in and out, the context object, Retry / Catch as TestState
 * reports them with stateConfiguration, the request rules and the refusals, and the two-step real Task call.
 */
import { describe, expect, it } from 'vitest';
import {
  TestStateRefusal, seededRandom, testState, testStateJson, type JsonObject, type TestStateRequest, type TestStateResponse, type TestStateStep,
} from '@baton/asl';

const ENV = {
  now: Date.UTC(2025, 0, 15, 10, 30), random: seededRandom(7), executionName: 'exec', stateMachineName: 'machine',
  account: '123456789012', region: 'eu-west-1', partition: 'aws',
};
const ROLE = 'arn:aws:iam::123456789012:role/r';
const LAMBDA = 'arn:aws:states:::lambda:invoke';

function request(definition: JsonObject, extra: Partial<TestStateRequest> = {}): TestStateRequest {
  return { definition, input: { n: 1 }, inspectionLevel: 'DEBUG', roleArn: ROLE, ...extra };
}

async function run(definition: JsonObject, extra: Partial<TestStateRequest> = {}): Promise<TestStateResponse> {
  const step = await testState(request(definition, extra), ENV);
  if (step.kind !== 'done') throw new Error(`expected an answer, got ${JSON.stringify(step)}`);
  return step.response;
}

async function refusal(definition: JsonObject, extra: Partial<TestStateRequest> = {}): Promise<{ code: string; message: string }> {
  try {
    await testState(request(definition, extra), ENV);
  } catch (e) {
    if (e instanceof TestStateRefusal) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

const parsed = (text: string | undefined): unknown => (text === undefined ? undefined : JSON.parse(text));

describe('TestState: variables', () => {
  it('the state sees the request variables, and inspectionData.variables shows them with what it assigned', async () => {
    const r = await run(
      { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $a + $states.input.n %}', Assign: { b: '{% $a * 10 %}' }, End: true },
      { variables: { a: 2 } },
    );
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '3' });
    expect(parsed(r.inspectionData?.variables)).toEqual({ a: 2, b: 20 });
  });

  it('JSONPath states read variables in their paths', async () => {
    const r = await run({ Type: 'Pass', Parameters: { 'x.$': '$a.deep' }, End: true }, { variables: { a: { deep: 'yes' } } });
    expect(parsed(r.output)).toEqual({ x: 'yes' });
    expect(parsed(r.inspectionData?.variables)).toEqual({ a: { deep: 'yes' } });
  });

  it('INFO shows no inspection data', async () => {
    const r = await run({ Type: 'Pass', Assign: { b: 1 }, End: true }, { inspectionLevel: 'INFO', variables: { a: 1 } });
    expect(r.inspectionData).toBeUndefined();
  });
});

describe('TestState: the context object', () => {
  const echoContext: JsonObject = { Type: 'Task', Resource: LAMBDA, ResultSelector: { 'ctx.$': '$$' }, End: true };

  it('made up as an Express execution when none is given, State.Name the tested state and RetryCount the retrierRetryCount', async () => {
    const r = await run(echoContext, { mock: { result: {} }, stateConfiguration: { retrierRetryCount: 2 } });
    expect(parsed(r.output)).toEqual({
      ctx: {
        Execution: {
          Id: 'arn:aws:states:eu-west-1:123456789012:express:machine:exec', Input: { n: 1 }, Name: 'exec', RoleArn: ROLE,
          StartTime: '2025-01-15T10:30:00.000Z',
        },
        StateMachine: { Id: 'arn:aws:states:eu-west-1:123456789012:stateMachine:machine', Name: 'machine' },
        State: { Name: 'StateName', EnteredTime: '2025-01-15T10:30:00.000Z', RetryCount: 2 },
      },
    });
  });

  it('exactly the one given, with a mock', async () => {
    const context = { Execution: { Id: 'e', Input: { from: 'context' } }, Task: { Token: 't' } };
    const r = await run(echoContext, { mock: { result: {} }, context });
    expect(parsed(r.output)).toEqual({ ctx: context });
  });

  it.each<[string, JsonObject, string]>([
    ['Map', { Map: {} }, "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"],
    ['an unknown section', { Pokedex: {} }, "Invalid Context object provided: Field 'Pokedex' is not allowed"],
    ['an unknown field', { State: { Colour: 'red' } }, "Invalid Context object provided: Field 'Colour' is not allowed"],
    ['a wrong type', { State: { RetryCount: 'x' } }, 'Invalid Context object provided: State.RetryCount must be a number'],
  ])('refused with %s', async (_label, context, message) => {
    expect(await refusal(echoContext, { mock: { result: {} }, context })).toEqual({ code: 'ValidationException', message });
  });

  it('refused without a mock', async () => {
    expect((await refusal({ Type: 'Pass', End: true }, { context: {} })).code).toBe('ValidationException');
  });
});

describe('TestState: Retry and Catch as TestState reports them', () => {
  const task = (fields: JsonObject): JsonObject => ({ Type: 'Task', Resource: LAMBDA, Next: 'After', ...fields });
  const boom = { errorOutput: { error: 'Boom', cause: 'why' } };

  it('RETRIABLE with the backoff of the next attempt (IntervalSeconds x BackoffRate^retries, capped by MaxDelaySeconds)', async () => {
    const retry: JsonObject[] = [{ ErrorEquals: ['Other'] }, { ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 5, MaxDelaySeconds: 30 }];
    const at = async (count: number) => (await run(task({ Retry: retry }), { mock: boom, stateConfiguration: { retrierRetryCount: count } })).inspectionData?.errorDetails;
    expect(await at(0)).toEqual({ retryBackoffIntervalSeconds: 2, retryIndex: 1 });
    expect(await at(2)).toEqual({ retryBackoffIntervalSeconds: 18, retryIndex: 1 });
    expect(await at(3)).toEqual({ retryBackoffIntervalSeconds: 30, retryIndex: 1 });
  });

  it('once the retrier is spent, the catcher: CAUGHT_ERROR with its output and Next', async () => {
    const r = await run(
      task({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Handler' }] }),
      { mock: boom, stateConfiguration: { retrierRetryCount: 2 } },
    );
    expect(r).toMatchObject({ status: 'CAUGHT_ERROR', error: 'Boom', cause: 'why', nextState: 'Handler', inspectionData: { errorDetails: { catchIndex: 0 } } });
    expect(parsed(r.output)).toEqual({ n: 1, err: { Error: 'Boom', Cause: 'why' } });
  });

  it('FAILED when nothing handles the error, without output or nextState', async () => {
    const r = await run(task({ Retry: [{ ErrorEquals: ['Other'] }] }), { mock: boom });
    expect(r).toEqual({ status: 'FAILED', error: 'Boom', cause: 'why', inspectionData: { input: '{"n": 1}', afterInputPath: '{"n": 1}', afterParameters: '{"n": 1}' } });
  });

  it('States.Runtime is neither retried nor caught', async () => {
    const r = await run(task({ OutputPath: '$.missing', Retry: [{ ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }] }), { mock: { result: {} } });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });

  it("a Fail state's error is final", async () => {
    expect(await run({ Type: 'Fail', Error: 'E', Cause: 'C' })).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
  });
});

describe('TestState: Map and Parallel with mocks', () => {
  const map = (fields: JsonObject): JsonObject => ({
    Type: 'Map', ItemsPath: '$.xs', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true, ...fields,
  });

  it('ToleratedFailurePercentage against mapIterationFailureCount out of the items', async () => {
    const at = (failures: number) => run(map({ ToleratedFailurePercentage: 50 }), { input: { xs: [1, 2, 3, 4] }, mock: { result: [] }, stateConfiguration: { mapIterationFailureCount: failures } });
    expect((await at(2)).status).toBe('SUCCEEDED');
    expect(await at(3)).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('afterItemSelector: each iteration\'s input', async () => {
    const r = await run(map({ ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' } }), { input: { xs: ['a', 'b'] }, mock: { result: [] } });
    expect(parsed(r.inspectionData?.afterItemSelector)).toEqual([{ i: 0, v: 'a' }, { i: 1, v: 'b' }]);
  });

  it.each<[string, JsonObject, Partial<TestStateRequest>, string]>([
    ['more failures than items', map({}), { input: { xs: [1] }, mock: { result: [] }, stateConfiguration: { mapIterationFailureCount: 2 } },
      'Map iteration failure count must be less than or equal to the number of Map iterations'],
    ['errorCausedByState outside the Map', map({}), { input: { xs: [] }, mock: { errorOutput: { error: 'E' } }, stateConfiguration: { errorCausedByState: 'Elsewhere' } },
      "ErrorCausedByState 'Elsewhere' is not a state of the Map or Parallel state under test."],
    ['an ItemReader without mapItemReaderData', map({ ItemsPath: '$', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } } }),
      { mock: { result: [] } }, 'Baton tests a Map state with an ItemReader only with stateConfiguration.mapItemReaderData (it does not read the source).'],
    ['a Parallel mock of the wrong length', { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], End: true }, { mock: { result: [1, 2] } },
      'Mocked result must contain the same number of items as number of Parallel branches.'],
  ])('refuses %s', async (_label, definition, extra, message) => {
    expect(await refusal(definition, extra)).toEqual({ code: 'ValidationException', message });
  });
});

describe('TestState: which states, which mocks', () => {
  it.each(['Pass', 'Choice', 'Wait', 'Succeed', 'Fail'])('a mock for a %s state is refused', async (type) => {
    const definition: JsonObject = { Pass: { Type: 'Pass', End: true }, Choice: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'X' }] }, Wait: { Type: 'Wait', Seconds: 1, End: true }, Succeed: { Type: 'Succeed' }, Fail: { Type: 'Fail' } }[type] as JsonObject;
    expect(await refusal(definition, { mock: { result: {} } })).toEqual({ code: 'ValidationException', message: `State type '${type}' is not supported when a mock is specified` });
  });

  it.each<[string, string]>([
    ['arn:aws:states:us-east-1:123456789012:activity:a', 'Activity tasks'],
    ['arn:aws:states:::states:startExecution.sync', '.sync service integration patterns'],
    ['arn:aws:states:::sqs:sendMessage.waitForTaskToken', '.waitForTaskToken service integration patterns'],
  ])('%s without a mock is refused', async (resource, what) => {
    expect(await refusal({ Type: 'Task', Resource: resource, End: true })).toEqual({
      code: 'InvalidDefinition', message: `TestState API supports ${what} only when a mock is specified.`,
    });
  });

  it('an errorOutput without its error is refused', async () => {
    expect(await refusal({ Type: 'Task', Resource: LAMBDA, End: true }, { mock: { errorOutput: { cause: 'c' } } })).toEqual({
      code: 'ValidationException', message: 'mock.errorOutput.error is required when mock.errorOutput is specified.',
    });
  });

  it('a result and an errorOutput together are refused', async () => {
    expect((await refusal({ Type: 'Task', Resource: LAMBDA, End: true }, { mock: { result: {}, errorOutput: { error: 'E' } } })).code).toBe('ValidationException');
  });

  it('a stateName inside a Parallel branch of a whole machine', async () => {
    const definition = {
      StartAt: 'P', States: { P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Pass', Result: 'x', Next: 'Last' }, Last: { Type: 'Succeed' } } }] } },
    };
    expect(await run(definition, { stateName: 'Inner', inspectionLevel: 'INFO' })).toEqual({ status: 'SUCCEEDED', output: '"x"', nextState: 'Last' });
  });

  it('a Wait state answers at once, with its next state', async () => {
    expect(await run({ Type: 'Wait', Seconds: 86400, Next: 'Later' }, { inspectionLevel: 'INFO' })).toEqual({ status: 'SUCCEEDED', output: '{"n": 1}', nextState: 'Later' });
  });

  it('the definition is validated as a machine of its own, the state called StateName', async () => {
    expect(await refusal({ Type: 'Pass', Next: 'Elsewhere', End: true })).toMatchObject({ code: 'InvalidDefinition' });
  });
});

describe('TestState: a Task without a mock', () => {
  const definition: JsonObject = {
    Type: 'Task', Resource: LAMBDA, Parameters: { 'FunctionName.$': '$.fn' }, TimeoutSeconds: 30,
    Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'] }], End: true,
  };

  it('asks for the call, then answers with its outcome', async () => {
    const first: TestStateStep = await testState(request(definition, { input: { fn: 'f' } }), ENV);
    expect(first).toEqual({
      kind: 'invoke', task: { resource: LAMBDA, pattern: 'request-response', stateName: 'StateName', parameters: { FunctionName: 'f' }, attempt: 0, timeoutSeconds: 30 },
    });
    const ok = await testState(request(definition, { input: { fn: 'f' }, taskOutcome: { kind: 'succeeded', output: { Payload: 1 } } }), ENV);
    expect(ok).toMatchObject({ kind: 'done', response: { status: 'SUCCEEDED', output: '{"Payload": 1}' } });
    const failed = await testState(request(definition, { input: { fn: 'f' }, taskOutcome: { kind: 'failed', error: 'Lambda.TooManyRequestsException', cause: 'slow down' } }), ENV);
    expect(failed).toMatchObject({ kind: 'done', response: { status: 'RETRIABLE', error: 'Lambda.TooManyRequestsException', cause: 'slow down' } });
  });

  it('needs the role', async () => {
    expect(await refusal(definition, { roleArn: undefined })).toEqual({ code: 'ValidationException', message: 'RoleArn must be specified when testing a Task state' });
  });
});

describe('testStateJson', () => {
  it('separates elements and members as AWS\'s TestState writes them', () => {
    expect(testStateJson([1, 'a', { k: [true, null] }])).toBe('[1, "a", {"k": [true, null]}]');
    expect(testStateJson('x')).toBe('"x"');
  });
});
