/**
 * `baton run --mocks MockConfigFile.json`: Step Functions Local's mock file, as a user runs it (the built command in
 * a child process). Test cases pick mocked responses per state; invocation numbers and ranges drive retries on
 * the virtual clock; a call past the last number fails the execution; ambiguity and bad files are clear errors.
 */
import { describe, expect, it } from 'vitest';
import { baton, scratch } from './support/baton-bin.js';

const file = scratch('baton-run-aws-mocks-');

const definition = file('lambda-sqs.json', {
  StartAt: 'LambdaState',
  States: {
    LambdaState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'hello', 'Payload.$': '$' },
      ResultSelector: { 'body.$': '$.Payload.body' },
      ResultPath: '$.lambda',
      Retry: [{ ErrorEquals: ['Lambda.ResourceNotReadyException', 'Lambda.TimeoutException'], IntervalSeconds: 60, BackoffRate: 2, MaxAttempts: 3 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: 'Recovered' }],
      Next: 'SQSState',
    },
    SQSState: {
      Type: 'Task',
      Resource: 'arn:aws:states:::sqs:sendMessage',
      Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/out', 'MessageBody.$': '$.lambda.body' },
      ResultSelector: { 'id.$': '$.MessageId' },
      ResultPath: '$.sqs',
      Next: 'Stamp',
    },
    Stamp: {
      Type: 'Pass',
      Parameters: { 'started.$': '$$.Execution.StartTime', 'entered.$': '$$.State.EnteredTime' },
      ResultPath: '$.times',
      End: true,
    },
    Recovered: { Type: 'Pass', End: true },
  },
});

const lambdaOk = { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } };
const mockConfig = file('MockConfigFile.json', {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
        ExhaustedPath: { LambdaState: 'MockedLambdaTwoTimeouts', SQSState: 'MockedSQSSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': lambdaOk },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '5d41402abc4b2a76', MessageId: 'msg-1' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': lambdaOk,
    },
    MockedLambdaTwoTimeouts: { '0-1': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } } },
  },
});

async function runCase(testCase: string, extra: string[] = []) {
  const r = await baton(['run', definition, '--input', '{"name":"Ada"}', '--mocks', mockConfig, '--test-case', testCase, ...extra]);
  return { ...r, line: r.stdout ? JSON.parse(r.stdout) : undefined };
}

describe('baton run with a Step Functions Local mock file', () => {
  it('runs a test case: each state gets its mocked response, the only state machine is the default', async () => {
    const r = await runCase('HappyPath');
    expect(r.code).toBe(0);
    expect(r.line).toMatchObject({ status: 'SUCCEEDED', output: { name: 'Ada', lambda: { body: 'Hello from Lambda!' }, sqs: { id: 'msg-1' } } });
  });

  it('answers invocation after invocation ("0", "1-2", "3"), the retry waits passing on the virtual clock', async () => {
    const r = await runCase('RetryPath', ['--state-machine', 'LambdaSQSIntegration']);
    expect(r.code).toBe(0);
    expect(r.line.status).toBe('SUCCEEDED');
    expect(r.line.output.lambda).toEqual({ body: 'Hello from Lambda!' });
    // Three retries at 60, 120 and 240 s: seven minutes of virtual time, none of it waited for.
    const { started, entered } = r.line.output.times;
    expect(Date.parse(entered) - Date.parse(started)).toBe(420_000);
  });

  it('fails the execution with States.Runtime on an invocation past the last listed one (not caught by States.ALL)', async () => {
    const r = await runCase('ExhaustedPath');
    expect(r.code).toBe(1);
    expect(r.line).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.line.cause).toContain("No mocked response for invocation 2 of state 'LambdaState'");
    expect(r.line.cause).toContain("'MockedLambdaTwoTimeouts'");
  });

  it('a state the test case does not mock fails as an unmocked task does', async () => {
    const r = await runCase('HybridPath');
    expect(r.code).toBe(1);
    expect(r.line).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(r.line.cause).toContain("No mock result for state 'SQSState'");
  });

  it('needs --test-case when the state machine has several, and names them', async () => {
    const [r, r2] = await Promise.all([baton(['run', definition, '--mocks', mockConfig]), runCase('SadPath')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("StateMachines.LambdaSQSIntegration.TestCases has 4 test cases ('HappyPath', 'RetryPath', 'HybridPath', 'ExhaustedPath'): choose one with --test-case");
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("--test-case 'SadPath': StateMachines.LambdaSQSIntegration.TestCases has no such test case");
  });

  it('needs --state-machine when the file has several, and refuses an unknown one', async () => {
    const two = file('two-machines.json', {
      StateMachines: { A: { TestCases: { T: { LambdaState: 'R' } } }, B: { TestCases: { T: { LambdaState: 'R' } } } },
      MockedResponses: { R: { '0': lambdaOk } },
    });
    const [r, r2, r3] = await Promise.all([
      baton(['run', definition, '--mocks', two, '--test-case', 'T']),
      baton(['run', definition, '--mocks', two, '--state-machine', 'C']),
      baton(['run', definition, '--mocks', two, '--state-machine', 'B', '--test-case', 'T', '--input', '{}']),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("StateMachines has 2 state machines ('A', 'B'): choose one with --state-machine");
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("--state-machine 'C': StateMachines has no such state machine (it has 'A', 'B')");
    expect(r3.code).toBe(1); // SQSState is not mocked by B/T
    expect(JSON.parse(r3.stdout).cause).toContain("'SQSState'");
  });

  it('refuses a test case naming a state the definition does not have, and gaps in invocation numbers', async () => {
    const typo = file('typo.json', {
      StateMachines: { M: { TestCases: { T: { LambdaStat: 'R' } } } },
      MockedResponses: { R: { '0': lambdaOk } },
    });
    const gap = file('gap.json', {
      StateMachines: { M: { TestCases: { T: { LambdaState: 'R' } } } },
      MockedResponses: { R: { '0': lambdaOk, '2-3': lambdaOk } },
    });
    const [r, r2] = await Promise.all([baton(['run', definition, '--mocks', typo]), baton(['run', definition, '--mocks', gap])]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("test case 'T' mocks state 'LambdaStat', which is not a Task state of the definition");
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('MockedResponses.R: invocation 1 has no response');
  });

  it("keeps Baton's own format, where --test-case and --state-machine do not apply", async () => {
    const own = file('own.json', { LambdaState: lambdaOk, SQSState: { Return: { MessageId: 'm' } } });
    const [r, r2, r3] = await Promise.all([
      baton(['run', definition, '--mocks', own]),
      baton(['run', definition, '--mocks', own, '--test-case', 'T']),
      baton(['run', definition, '--test-case', 'T']),
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).output.sqs).toEqual({ id: 'm' });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("this one is in Baton's format");
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('give --mocks too');
  });
});
