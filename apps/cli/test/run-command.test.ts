/**
 * `baton run` as a user runs it: the built command in a child process, the README's example, one JSON line out.
 */
import { describe, expect, it } from 'vitest';
import { baton, scratch } from './support/baton-bin.js';

const file = scratch('baton-run-');

const hello = file('hello.json', {
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, Next: 'Charge' },
    Charge: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'charge', 'Payload.$': '$' },
      ResultSelector: { 'receipt.$': '$.Payload.receipt' },
      ResultPath: '$.payment',
      Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 3 }],
      End: true,
    },
  },
});
const mocks = file('mocks.json', {
  Charge: [{ Throw: { Error: 'Lambda.TooManyRequestsException' } }, { Return: { Payload: { receipt: 'r-1' } } }],
});

describe('baton run', () => {
  it("runs the README's example: retry, then success, one JSON line, exit 0", async () => {
    const r = await baton(['run', hello, '--input', '{"name":"Ada"}', '--mocks', mocks]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'SUCCEEDED', output: { greeting: 'Hello, Ada!', payment: { receipt: 'r-1' } } });
  });

  it('prints FAILED with error and cause, exit 1', async () => {
    const fail = file('fail.json', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } });
    const r = await baton(['run', fail]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'FAILED', error: 'Nope', cause: 'because' });
  });

  it('a task without a mock fails the execution and says how to mock it', async () => {
    const r = await baton(['run', hello, '--input', '{"name":"Ada"}']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(r.stdout).cause).toContain('--mocks');
  });

  it('rejects an invalid definition with every problem, exit 2', async () => {
    const bad = file('bad.json', { StartAt: 'Nowhere', States: { A: { Type: 'Pass', Next: 'Missing' }, B: { Type: 'Wait' } } });
    const r = await baton(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('InvalidDefinition');
    expect(r.stderr).toContain('/States/A/Next');
    expect(r.stderr).toContain('/StartAt');
    expect(r.stderr).toContain('/States/B');
  });

  it('rejects bad JSON input and a bad mocks file with a clear message', async () => {
    const r = await baton(['run', hello, '--input', '{nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--input is not valid JSON');
    const badMocks = file('badmocks.json', { Charge: { Result: 1 } });
    const r2 = await baton(['run', hello, '--mocks', badMocks]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('mock "Charge"');
  });
});
