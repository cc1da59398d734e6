import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject } from '@baton/asl';

const one = (state: JsonObject): JsonObject => ({ StartAt: 'S', States: { S: { ...state, End: true } } });

describe('Pass and the JSONPath data-flow pipeline', () => {
  it('passes its input through by default', async () => {
    const r = await runLocal(one({ Type: 'Pass' }), { input: { a: 1 } });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { a: 1 } });
  });

  it('applies InputPath, Parameters, ResultPath and OutputPath in AWS order', async () => {
    const def = one({
      Type: 'Pass',
      InputPath: '$.order',
      Parameters: { 'id.$': '$.id', 'who.$': '$$.Execution.Name', fixed: 'x' },
      ResultPath: '$.result',
      OutputPath: '$.result',
    });
    const r = await runLocal(def, { input: { order: { id: 7 }, other: true }, context: { executionName: 'run-1' } });
    expect(r.output).toEqual({ id: 7, who: 'run-1', fixed: 'x' });
  });

  it('Result replaces the input; ResultPath places it onto the raw input (not the InputPath view)', async () => {
    const r = await runLocal(one({ Type: 'Pass', InputPath: '$.a', Result: { r: 1 }, ResultPath: '$.b.c' }), { input: { a: { x: 1 } } });
    expect(r.output).toEqual({ a: { x: 1 }, b: { c: { r: 1 } } });
  });

  it('ResultPath null keeps the input; InputPath null gives {}', async () => {
    expect((await runLocal(one({ Type: 'Pass', Result: 5, ResultPath: null }), { input: { k: 1 } })).output).toEqual({ k: 1 });
    expect((await runLocal(one({ Type: 'Pass', InputPath: null }), { input: { k: 1 } })).output).toEqual({});
  });

  it('a missing InputPath fails with States.Runtime and the AWS cause', async () => {
    const r = await runLocal(one({ Type: 'Pass', InputPath: '$.nope' }), { input: {} });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe("An error occurred while executing the state 'S' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']");
  });

  it('records ids 1..n with previousEventId chains', async () => {
    const def: JsonObject = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
    const r = await runLocal(def, { input: {} });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    expect(r.events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.events.map((e) => e.previousEventId)).toEqual([0, 0, 2, 3, 4, 5]);
    expect(r.events[1]).toMatchObject({ stateEnteredEventDetails: { name: 'A', input: '{}' } });
  });

  it('fails a state whose output exceeds the payload limit with States.DataLimitExceeded', async () => {
    const big = 'x'.repeat(300_000);
    const r = await runLocal(one({ Type: 'Pass', Result: big }), { input: {} });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.DataLimitExceeded');
  });
});

describe('Succeed, Fail, Choice, Wait', () => {
  it('Fail reports Error and Cause, and ErrorPath / CausePath from the input', async () => {
    const r = await runLocal(one({ Type: 'Fail', Error: 'E', Cause: 'C' }), { input: {} });
    expect(r).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
    const def: JsonObject = { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } };
    const r2 = await runLocal(def, { input: { e: 'Bad', c: 'why' } });
    expect(r2).toMatchObject({ status: 'FAILED', error: 'Bad', cause: 'why' });
    expect(r2.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });

  it('Choice takes the first matching rule, else Default, else fails with States.NoChoiceMatched', async () => {
    const def: JsonObject = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.n', NumericGreaterThan: 10, Next: 'Big' },
            { Variable: '$.n', NumericGreaterThan: 5, Next: 'Medium' },
          ],
          Default: 'Small',
        },
        Big: { Type: 'Pass', Result: 'big', End: true },
        Medium: { Type: 'Pass', Result: 'medium', End: true },
        Small: { Type: 'Pass', Result: 'small', End: true },
      },
    };
    expect((await runLocal(def, { input: { n: 11 } })).output).toBe('big');
    expect((await runLocal(def, { input: { n: 6 } })).output).toBe('medium');
    expect((await runLocal(def, { input: { n: 1 } })).output).toBe('small');
    const noDefault = JSON.parse(JSON.stringify(def)) as { States: { C: Record<string, unknown> } };
    delete noDefault.States.C.Default;
    const r = await runLocal(noDefault as unknown as JsonObject, { input: { n: 1 } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });

  it('Wait advances the virtual clock by Seconds, SecondsPath, and to a Timestamp', async () => {
    const start = Date.UTC(2024, 0, 1);
    const seconds = await runLocal(one({ Type: 'Wait', Seconds: 90 }), { input: {}, startTime: start });
    expect(seconds.endTime - start).toBe(90_000);
    const path = await runLocal(one({ Type: 'Wait', SecondsPath: '$.s' }), { input: { s: 5 }, startTime: start });
    expect(path.endTime - start).toBe(5_000);
    const ts = await runLocal(one({ Type: 'Wait', Timestamp: '2024-01-02T00:00:00Z' }), { input: {}, startTime: start });
    expect(ts.endTime).toBe(Date.UTC(2024, 0, 2));
    expect(ts.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  });

  it('Wait rejects a negative or fractional SecondsPath with AWS causes', async () => {
    const neg = await runLocal(one({ Type: 'Wait', SecondsPath: '$.s' }), { input: { s: -1 } });
    expect(neg.cause).toMatch(/The SecondsPath parameter references a negative value: \$\.s == -1$/);
    const frac = await runLocal(one({ Type: 'Wait', SecondsPath: '$.s' }), { input: { s: 1.5 } });
    expect(frac.cause).toMatch(/cannot be parsed as a long value: \$\.s == 1\.5$/);
  });
});
