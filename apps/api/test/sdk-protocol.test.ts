/**
 * The AWS JSON 1.0 protocol layer through the real `@aws-sdk/client-sfn`: wire format, dates, error classes,
 * request validation with AWS's recorded texts. The backend is the in-test InMemoryBackend (support/), so these
 * tests exercise the API layer only; the engine behind it is tested in test/api/sdk-engine.test.ts.
 */
import { readFileSync, existsSync } from 'node:fs';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  InvalidArn,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  MissingRequiredParameter,
  SFNServiceException,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineTypeNotSupported,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  ValidationException,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { rawCall, startServer, type Harness } from './support/harness.js';

const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const ROLE = 'arn:aws:iam::123456789012:role/r';
const VALIDATION_CASES = '/work/shared/conformance/validation-cases.jsonl';

let h: Harness;
let sfn: SFNClient;
let backend: InMemoryBackend;

beforeAll(async () => {
  backend = new InMemoryBackend();
  h = await startServer(backend);
  sfn = h.client();
});
afterAll(() => h.close());

async function failure(p: Promise<unknown>): Promise<SFNServiceException> {
  try {
    await p;
  } catch (e) {
    return e as SFNServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('wire format', () => {
  it('round-trips a create/describe with Dates as the SDK reads them', async () => {
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'wire', definition: PASS, roleArn: ROLE }));
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:wire');
    expect(created.creationDate).toBeInstanceOf(Date);
    expect(created.creationDate?.toISOString()).toBe('2024-01-02T03:04:05.678Z');
    expect(created.$metadata.httpStatusCode).toBe(200);
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(described).toMatchObject({ name: 'wire', definition: PASS, roleArn: ROLE, type: 'STANDARD', status: 'ACTIVE' });
    const listed = await sfn.send(new ListStateMachinesCommand({}));
    expect(listed.stateMachines?.map((m) => m.name)).toContain('wire');
  });

  it('carries executions, history events and tags in SDK shape', async () => {
    const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:wire';
    const started = await sfn.send(new StartExecutionCommand({ stateMachineArn: sm, name: 'e1', input: '{"a":1}' }));
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:wire:e1');
    expect(started.startDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    expect(d).toMatchObject({ status: 'RUNNING', input: '{"a":1}', name: 'e1', inputDetails: { included: true } });
    const hist = await sfn.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn }));
    expect(hist.events?.[0]).toMatchObject({ id: 1, type: 'ExecutionStarted', executionStartedEventDetails: { input: '{"a":1}' } });
    expect(hist.events?.[0]?.timestamp).toBeInstanceOf(Date);
    const tags = await sfn.send(new ListTagsForResourceCommand({ resourceArn: sm }));
    expect(tags.tags).toEqual([{ key: 'k', value: 'v' }]);
  });

  it('answers StartSyncExecution (host prefix disabled) and maps its errors', async () => {
    const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:wire';
    const e = await failure(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: sm, input: '{}' })));
    expect(e).toBeInstanceOf(StateMachineTypeNotSupported);
    await sfn.send(new CreateStateMachineCommand({ name: 'fast', definition: PASS, roleArn: ROLE, type: 'EXPRESS' }));
    const out = await sfn.send(
      new StartSyncExecutionCommand({ stateMachineArn: sm.replace('wire', 'fast'), input: '{"x":2}' }),
    );
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"x":2}' });
    expect(out.stopDate).toBeInstanceOf(Date);
  });
});

describe('errors', () => {
  it('raises the SDK exception class of the backend error code, with its message and status', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:execution:wire:nope';
    const e = await failure(sfn.send(new DescribeExecutionCommand({ executionArn: arn })));
    expect(e).toBeInstanceOf(ExecutionDoesNotExist);
    expect(e.name).toBe('ExecutionDoesNotExist');
    expect(e.message).toBe(`Execution Does Not Exist: '${arn}'`);
    expect(e.$metadata.httpStatusCode).toBe(400);
    const bad = await failure(sfn.send(new DescribeExecutionCommand({ executionArn: 'not_an_arn' })));
    expect(bad).toBeInstanceOf(InvalidArn);
    expect(bad.message).toBe("Invalid Arn: 'Invalid ARN prefix: not_an_arn'");
  });

  it('turns an unexpected backend failure into a 500 InternalFailure and keeps serving', async () => {
    backend.failNext.set('listStateMachines', new Error('database exploded: password=hunter2'));
    const e = await failure(sfn.send(new ListStateMachinesCommand({})));
    expect(e.name).toBe('InternalFailure');
    expect(e.$metadata.httpStatusCode).toBe(500);
    expect(e.message).not.toContain('hunter2');
    expect(h.logs.some((l) => l.includes('database exploded'))).toBe(true);
    const ok = await sfn.send(new ListStateMachinesCommand({}));
    expect(ok.$metadata.httpStatusCode).toBe(200);
  });

  it('passes an ApiError of any code through with its status', async () => {
    backend.failNext.set('listExecutions', new ApiError('ThrottlingException', 'Rate exceeded'));
    const e = await failure(h.client({ maxAttempts: 1 }).send(new ListExecutionsCommand({})));
    expect(e.name).toBe('ThrottlingException');
    expect(e.message).toBe('Rate exceeded');
  });
});

describe('request validation', () => {
  it('reports a range violation with the recorded AWS text', async () => {
    const e = await failure(sfn.send(new ListExecutionsCommand({ maxResults: 1001 })));
    expect(e).toBeInstanceOf(ValidationException);
    expect(e.message).toBe(
      "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  it('reports every violation at once, in AWS wording', async () => {
    const body = JSON.stringify({ maxResults: -1, statusFilter: 'succeeded' });
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.ListExecutions', body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      __type: 'ValidationException',
      message:
        "2 validation errors detected: Value 'succeeded' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]; Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
  });

  it('reports missing required members as ValidationException "Member must not be null"', async () => {
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.StartExecution', body: '{"name":"x"}' });
    expect(r.body.__type).toBe('ValidationException');
    expect(r.body.message).toBe(
      "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it('checks nested members (tags) and never echoes sensitive values', async () => {
    const body = JSON.stringify({ name: 'n', definition: '', roleArn: ROLE, tags: [{ key: 'ok' }, { key: '' }] });
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.CreateStateMachine', body });
    expect(r.body.message).toBe(
      "2 validation errors detected: Value at 'definition' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'tags.2.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('answers UpdateStateMachine without changes with MissingRequiredParameter', async () => {
    const e = await failure(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:wire' })),
    );
    expect(e).toBeInstanceOf(MissingRequiredParameter);
    expect(e.message).toBe(
      'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    );
  });

  it('refuses a value of the wrong JSON type with SerializationException', async () => {
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.ListExecutions', body: '{"maxResults":"ten"}' });
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('SerializationException');
  });

  const recorded = existsSync(VALIDATION_CASES)
    ? readFileSync(VALIDATION_CASES, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l))
    : [];
  const shapeCases = recorded.filter(
    (c) => c.expected_error_code === 'ValidationException' && c.operation === 'ListExecutions',
  );
  it.skipIf(shapeCases.length === 0 && process.env.CI !== 'true')('matches every recorded ListExecutions ValidationException text', async () => {
    for (const c of shapeCases) {
      const r = await rawCall(h.url, { target: `AWSStepFunctions.${c.operation}`, body: JSON.stringify(c.request) });
      const expected = String(c.expected_message).replace('<invalid_token_3097_chars>', c.request.nextToken ?? '');
      expect({ type: r.body.__type, message: r.body.message }).toEqual({ type: 'ValidationException', message: expected });
    }
  });

  const validateCases = recorded.filter((c) => c.operation === 'ValidateStateMachineDefinition');
  it.skipIf(validateCases.length === 0 && process.env.CI !== 'true')('answers the recorded ValidateStateMachineDefinition cases as AWS did', async () => {
    for (const c of validateCases) {
      const definition = typeof c.definition === 'string' ? c.definition : JSON.stringify(c.definition);
      const out = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, type: c.request.type }));
      expect({ result: out.result, diagnostics: out.diagnostics, truncated: out.truncated }).toEqual(c.expected_response);
    }
  });

  it('honours maxResults and truncated in ValidateStateMachineDefinition', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'X' }, B: { Type: 'Bogus' } } });
    const all = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition }));
    expect(all.result).toBe('FAIL');
    expect(all.diagnostics!.length).toBeGreaterThan(1);
    const one = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition, maxResults: 1 }));
    expect(one.diagnostics).toEqual(all.diagnostics!.slice(0, 1));
    expect(one.truncated).toBe(true);
  });
});

describe('protocol edges', () => {
  it('answers an unknown action with UnknownOperationException', async () => {
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.LaunchRockets', body: '{}' });
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('UnknownOperationException');
    const none = await rawCall(h.url, { body: '{}' });
    expect(none.body.__type).toBe('UnknownOperationException');
  });

  it('answers malformed JSON with SerializationException', async () => {
    const r = await rawCall(h.url, { target: 'AWSStepFunctions.ListStateMachines', body: '{"maxResults": ' });
    expect(r.status).toBe(400);
    expect(r.body.__type).toBe('SerializationException');
    const arr = await rawCall(h.url, { target: 'AWSStepFunctions.ListStateMachines', body: '[1]' });
    expect(arr.body.__type).toBe('SerializationException');
  });

  it('refuses a body over the limit with 413 and keeps serving', async () => {
    const small = await startServer(new InMemoryBackend(), { maxBodyBytes: 4096 });
    try {
      const body = JSON.stringify({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', input: 'x'.repeat(5000) });
      const r = await rawCall(small.url, { target: 'AWSStepFunctions.StartExecution', body });
      expect(r.status).toBe(413);
      expect(r.body.__type).toBe('RequestEntityTooLargeException');
      expect(r.body.message).toContain('4096 bytes');
      const e = await failure(small.client().send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x', input: 'y'.repeat(5000) })));
      expect(e.$metadata.httpStatusCode).toBe(413);
      const ok = await small.client().send(new ListStateMachinesCommand({}));
      expect(ok.$metadata.httpStatusCode).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('ends a GetActivityTask long poll on the backend when the client goes away', async () => {
    const controller = new AbortController();
    const poll = sfn
      .send(new GetActivityTaskCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:activity:a' }), {
        abortSignal: controller.signal,
      })
      .catch((e: unknown) => e);
    await waitFor(() => backend.calls.some((c) => c.method === 'getActivityTask'));
    controller.abort();
    await poll;
    await waitFor(() => backend.lastActivityPollAborted);
    expect(backend.lastActivityPollAborted).toBe(true);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
}
