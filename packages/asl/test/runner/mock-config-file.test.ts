/**
 * Step Functions Local's MockConfigFile.json in the in-memory runner: what the file may contain, how invocation
 * numbers are counted (per state, over the whole execution, Map iterations included), and what happens past the
 * last one.
 */
import { describe, expect, it } from 'vitest';
import {
  isMockConfigFile, loadMockFile, MockFormatError, parseMockConfigFile, runLocal, type JsonObject,
} from '@baton/asl';

const task = (extra: JsonObject = {}): JsonObject => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ...extra });
const oneTask: JsonObject = { StartAt: 'T', States: { T: task({ End: true }) } };
const ok = (v: unknown) => ({ Return: v }) as JsonObject;
const boom = { Throw: { Error: 'Boom', Cause: 'it broke' } };
const fileWith = (responses: JsonObject, testCase: JsonObject = { T: 'R' }): JsonObject => ({
  StateMachines: { M: { TestCases: { C: testCase } } },
  MockedResponses: responses,
});

function formatError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MockFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a MockFormatError');
}

describe('reading the file', () => {
  it("tells the two formats apart (a Baton mock may be named after any state, even 'StateMachines')", () => {
    expect(isMockConfigFile(fileWith({ R: { '0': ok(1) } }))).toBe(true);
    expect(isMockConfigFile({ MockedResponses: {} })).toBe(true);
    expect(isMockConfigFile({ StateMachines: { Return: 1 } })).toBe(false);
    expect(isMockConfigFile({ T: { Return: 1 } })).toBe(false);
    expect(loadMockFile({ T: { Return: 1 } }, oneTask)).toEqual({ mocks: { T: { Return: 1 } } });
  });

  it('refuses what the format does not have, naming where', () => {
    expect(formatError(() => parseMockConfigFile({ ...fileWith({ R: { '0': ok(1) } }), Comment: 'x' }, oneTask))).toBe(
      'the mock file: unknown field Comment (expected StateMachines, MockedResponses)',
    );
    expect(formatError(() => parseMockConfigFile({ StateMachines: {} }, oneTask))).toBe('MockedResponses must be a JSON object');
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0': { Return: 1, Throw: boom.Throw } } }), oneTask))).toBe(
      'MockedResponses.R."0" must have a single field, Return or Throw (it has Return, Throw)',
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0': { Throw: { Error: 'E' } } } }), oneTask))).toBe(
      'MockedResponses.R."0".Throw must have string fields Error and Cause',
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { first: ok(1) } }), oneTask))).toBe(
      'MockedResponses.R: "first" is not an invocation number or an inclusive range of them ("0", "1-2")',
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '2-1': ok(1) } }), oneTask))).toContain('"2-1" is not an invocation number');
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0-2': ok(1), '2': ok(2) } }), oneTask))).toBe(
      'MockedResponses.R: invocation 2 is listed twice',
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '1': ok(1) } }), oneTask))).toBe(
      'MockedResponses.R: invocation 0 has no response (the numbers must run from 0 without a gap)',
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: {} }), oneTask))).toContain('MockedResponses.R has no responses');
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0': ok(1) } }, { T: 'Missing' }), oneTask))).toBe(
      "StateMachines.M.TestCases.C.T names mocked response 'Missing', which MockedResponses does not define",
    );
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0': ok(1) } }, { T: 3 }), oneTask))).toContain('must be the name of a mocked response');
  });

  it('checks the test case against the Task states of the definition, nested ones included', () => {
    const nested: JsonObject = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'Inner', States: { Inner: task({ End: true }) } }], Next: 'W' },
        W: { Type: 'Wait', Seconds: 1, End: true },
      },
    };
    expect(() => parseMockConfigFile(fileWith({ R: { '0': ok(1) } }, { Inner: 'R' }), nested)).not.toThrow();
    expect(formatError(() => parseMockConfigFile(fileWith({ R: { '0': ok(1) } }, { W: 'R' }), nested))).toBe(
      "test case 'C' mocks state 'W', which is not a Task state of the definition",
    );
  });

  it('keeps a huge range as a range (nothing is expanded)', async () => {
    const testCase = parseMockConfigFile(fileWith({ R: { '0-9007199254740990': ok('same') } }), oneTask);
    expect(testCase.response('T', 0)).toEqual(ok('same'));
    expect(testCase.response('T', 9007199254740990)).toEqual(ok('same'));
    expect(testCase.response('Other', 0)).toBeUndefined();
  });
});

describe('running a test case', () => {
  it('counts invocations per state over the whole execution: Map iterations share one count', async () => {
    const definition: JsonObject = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'T', States: { T: task({ End: true }) } },
          End: true,
        },
      },
    };
    const file = fileWith({ R: { '0': ok('first'), '1-2': ok('middle'), '3': ok('last') } });
    const { mockTestCase } = loadMockFile(file, definition) as { mockTestCase: never };
    const r = await runLocal(definition, { input: { items: [1, 2, 3, 4] }, mockTestCase });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: ['first', 'middle', 'middle', 'last'] });
  });

  it('a retry is an invocation, and a call past the last listed one fails with States.Runtime, which Retry and Catch on States.ALL do not match', async () => {
    const definition: JsonObject = {
      StartAt: 'T',
      States: {
        T: task({
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        }),
        Caught: { Type: 'Pass', End: true },
      },
    };
    const mockTestCase = parseMockConfigFile(fileWith({ R: { '0-1': boom } }), definition);
    const r = await runLocal(definition, { mockTestCase });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe(
      "No mocked response for invocation 2 of state 'T': mocked response 'R' (test case 'C' of state machine 'M') lists " +
        'invocations 0 to 1, and a mocked Task needs a response for every invocation.',
    );
    expect(r.events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(1);
  });

  it("refuses both kinds of mocks at once", async () => {
    const mockTestCase = parseMockConfigFile(fileWith({ R: { '0': ok(1) } }), oneTask);
    await expect(runLocal(oneTask, { mocks: { T: ok(2) as never }, mockTestCase })).rejects.toThrow(/not both/);
  });
});
