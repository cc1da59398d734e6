import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

describe('fields of every state', () => {
  it('requires Type, one of the eight state types', () => {
    expect(problems(single({ Next: 'S' }))).toEqual([
      [SCHEMA, 'These fields are required: [Type]', '/States/S'],
      ['MISSING_END_STATE', 'Workflow has no terminal state', undefined],
    ]);
    expect(problems(single({ Type: 'Sleep', End: true }))).toEqual([
      [SCHEMA, 'Value should be one of the following: [Pass, Succeed, Fail, Task, Choice, Wait, Parallel, Map]', '/States/S/Type'],
    ]);
  });

  it('refuses fields a state type does not take, at the state', () => {
    expect(problems(single({ Type: 'Pass', End: true, TimeoutSeconds: 5 }))).toEqual([[SCHEMA, "Field 'TimeoutSeconds' is not supported", '/States/S']]);
    expect(problems(single({ Type: 'Wait', Seconds: 1, End: true, Retry: [{ ErrorEquals: ['States.ALL'] }] }))).toEqual([
      [SCHEMA, "Field 'Retry' is not supported", '/States/S'],
    ]);
    expect(problems(single({ Type: 'Pass', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }] }))).toEqual([
      [SCHEMA, "Field 'Catch' is not supported", '/States/S'],
    ]);
    expect(problems(single({ Type: 'Wait', Seconds: 1, End: true, ResultPath: null }))).toEqual([[SCHEMA, "Field 'ResultPath' is not supported", '/States/S']]);
    expect(problems(single({ Type: 'Fail', InputPath: '$' }))).toEqual([[SCHEMA, "Field 'InputPath' is not supported", '/States/S']]);
  });

  it('allows Retry and Catch on Task, Parallel and Map only', () => {
    const retry = [{ ErrorEquals: ['States.ALL'] }];
    const def = {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, Retry: retry, Next: 'P' },
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Retry: retry, Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Retry: retry, End: true },
      },
    };
    expect(problems(def)).toEqual([]);
  });

  it('requires exactly one of Next and End on Pass, Task, Wait, Parallel and Map', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B', End: true }, B: { Type: 'Pass' } } };
    expect(problems(def)).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [Next, End]', '/States/A'],
      [SCHEMA, 'This object should have only one of the following fields: [Next, End]', '/States/B'],
    ]);
    expect(problems(single({ Type: 'Pass', End: 'yes' }))).toEqual([
      [SCHEMA, 'This object should have only one of the following fields: [Next, End]', '/States/S'],
      [SCHEMA, 'Expected value of type [BOOLEAN]', '/States/S/End'],
      ['MISSING_END_STATE', 'Workflow has no terminal state', undefined],
    ]);
  });

  it('refuses Next and End on the terminal types Succeed, Fail and Choice', () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'OK' }], End: true },
        OK: { Type: 'Succeed', Next: 'F' },
        F: { Type: 'Fail' },
      },
    };
    expect(problems(def)).toEqual([
      [SCHEMA, "Field 'End' is not supported", '/States/C'],
      [SCHEMA, "Field 'Next' is not supported", '/States/OK'],
    ]);
  });

  it('checks Comment is a string', () => {
    expect(problems(single({ Type: 'Succeed', Comment: 3 }))).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/States/S/Comment']]);
  });
});
