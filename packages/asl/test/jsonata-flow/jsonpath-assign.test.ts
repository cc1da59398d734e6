import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject, type TaskMocks } from '@baton/asl';
import { LAMBDA, assignedBy } from './helpers.js';

describe('Assign in JSONPath states', () => {
  it('takes $ from the Pass result (Result or Parameters) and $$ from the context', async () => {
    const def: JsonObject = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'a.$': '$.answer', 'state.$': '$$.State.Name', plain: [1] }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { p: 'P' }, Assign: { 'b.$': '$.p', 'old.$': '$a' }, End: true },
      },
    };
    const r = await runLocal(def, { input: {} });
    expect(assignedBy(r.events, 'A')).toEqual({ a: 42, state: 'A', plain: [1] });
    expect(assignedBy(r.events, 'B')).toEqual({ b: 'P', old: 42 });
    expect(r.output).toEqual({ p: 'P' });
  });

  it('sees the variables from before the state in every value', async () => {
    const def: JsonObject = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: 2, 'y.$': '$x' }, End: true },
      },
    };
    const r = await runLocal(def, { input: {} });
    expect(assignedBy(r.events, 'B')).toEqual({ x: 2, y: 1 });
  });

  it('takes $ from the task result (after ResultSelector) and from the error output in a catcher', async () => {
    const def: JsonObject = {
      StartAt: 'T1',
      States: {
        T1: { Type: 'Task', Resource: LAMBDA, ResultSelector: { 'v.$': '$.Payload' }, Assign: { 'got.$': '$.v' }, Next: 'T2' },
        T2: {
          Type: 'Task',
          Resource: LAMBDA,
          Assign: { never: true },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'err.$': '$.Error', 'cause.$': '$.Cause' }, Next: 'End' }],
          Next: 'End',
        },
        End: { Type: 'Pass', End: true },
      },
    };
    const mocks: TaskMocks = { T1: { Return: { Payload: 'hello' } }, T2: { Throw: { Error: 'Bad', Cause: 'because' } } };
    const r = await runLocal(def, { input: {}, mocks });
    expect(assignedBy(r.events, 'T1')).toEqual({ got: 'hello' });
    expect(assignedBy(r.events, 'T2')).toEqual({ err: 'Bad', cause: 'because' });
  });

  it('assigns from the matching Choice rule against the effective input', async () => {
    const def: JsonObject = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          InputPath: '$.inner',
          Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Assign: { 'n.$': '$.n' }, Next: 'End' }],
          Default: 'End',
        },
        End: { Type: 'Pass', End: true },
      },
    };
    const r = await runLocal(def, { input: { inner: { n: 3 } } });
    expect(assignedBy(r.events, 'C')).toEqual({ n: 3 });
  });
});
