import { describe, expect, it } from 'vitest';
import { problems, SCHEMA } from './helpers.js';

function withErrors(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true, ...fields },
      H: { Type: 'Succeed' },
    },
  };
}

const catchAll = { ErrorEquals: ['States.ALL'], Next: 'H' };

describe('Retry', () => {
  it('requires a non-empty ErrorEquals of strings', () => {
    expect(problems(withErrors({ Retry: [{ MaxAttempts: 1 }], Catch: [catchAll] }))).toEqual([[SCHEMA, 'These fields are required: [ErrorEquals]', '/States/T/Retry[0]']]);
    expect(problems(withErrors({ Retry: [{ ErrorEquals: [] }], Catch: [catchAll] }))).toEqual([[SCHEMA, 'Value cannot be empty', '/States/T/Retry[0]/ErrorEquals']]);
    expect(problems(withErrors({ Retry: [{ ErrorEquals: [1] }], Catch: [catchAll] }))).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/States/T/Retry[0]/ErrorEquals[0]']]);
  });

  it('wants States.ALL alone and in the last retrier', () => {
    const rows = problems(withErrors({
      Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Custom', 'States.ALL'] }],
      Catch: [catchAll],
    }));
    expect(rows).toEqual([
      [SCHEMA, 'States.ALL must appear alone and at end of list', '/States/T/Retry[0]/ErrorEquals[0]'],
      [SCHEMA, 'States.ALL must appear alone and at end of list', '/States/T/Retry[1]/ErrorEquals[1]'],
    ]);
    expect(problems(withErrors({ Retry: [{ ErrorEquals: ['Custom'] }, { ErrorEquals: ['States.ALL'] }], Catch: [catchAll] }))).toEqual([]);
  });

  it('checks IntervalSeconds, MaxAttempts, BackoffRate, MaxDelaySeconds and JitterStrategy', () => {
    const retrier = { ErrorEquals: ['E'], IntervalSeconds: 0, MaxAttempts: -1, BackoffRate: 0.5, MaxDelaySeconds: 31622401, JitterStrategy: 'HALF' };
    expect(problems(withErrors({ Retry: [retrier], Catch: [catchAll] }))).toEqual([
      [SCHEMA, 'Minimum value is 1', '/States/T/Retry[0]/IntervalSeconds'],
      [SCHEMA, 'Minimum value is 0', '/States/T/Retry[0]/MaxAttempts'],
      [SCHEMA, 'Minimum value is 1.0', '/States/T/Retry[0]/BackoffRate'],
      [SCHEMA, 'Maximum value is 31622400', '/States/T/Retry[0]/MaxDelaySeconds'],
      [SCHEMA, 'Value should be one of the following: [FULL, NONE]', '/States/T/Retry[0]/JitterStrategy'],
    ]);
    const good = { ErrorEquals: ['E'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1, MaxDelaySeconds: 10, JitterStrategy: 'FULL', Comment: 'c' };
    expect(problems(withErrors({ Retry: [good], Catch: [catchAll] }))).toEqual([]);
  });

  it('refuses unknown retrier fields and a Retry that is not an array of objects', () => {
    expect(problems(withErrors({ Retry: [{ ErrorEquals: ['E'], Next: 'H' }], Catch: [catchAll] }))).toEqual([[SCHEMA, "Field 'Next' is not supported", '/States/T/Retry[0]']]);
    expect(problems(withErrors({ Retry: { ErrorEquals: ['E'] }, Catch: [catchAll] }))).toEqual([[SCHEMA, 'Expected value of type [ARRAY]', '/States/T/Retry']]);
    expect(problems(withErrors({ Retry: ['E'], Catch: [catchAll] }))).toEqual([[SCHEMA, 'Expected value of type [OBJECT]', '/States/T/Retry[0]']]);
  });
});

describe('Catch', () => {
  it('requires ErrorEquals and Next', () => {
    const rows = problems(withErrors({ Catch: [{ ResultPath: '$.e' }] }));
    expect(rows).toEqual([
      [SCHEMA, 'These fields are required: [ErrorEquals, Next]', '/States/T/Catch[0]'],
      ['MISSING_TRANSITION_TARGET', 'State "H" is not reachable.', '/States/H'],
    ]);
  });

  it('wants States.ALL in the last catcher, and a reference path in ResultPath', () => {
    expect(problems(withErrors({ Catch: [catchAll, { ErrorEquals: ['E'], Next: 'H' }] }))).toEqual([
      [SCHEMA, 'States.ALL must appear alone and at end of list', '/States/T/Catch[0]/ErrorEquals[0]'],
    ]);
    expect(problems(withErrors({ Catch: [{ ...catchAll, ResultPath: '$..e' }] }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/T/Catch[0]/ResultPath']]);
  });

  it('takes Output in JSONata and ResultPath in JSONPath, each refused in the other language', () => {
    expect(problems(withErrors({ Catch: [{ ...catchAll, Output: {} }] }))).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage", '/States/T/Catch[0]'],
    ]);
    const jsonata = {
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: {}, End: true, Catch: [{ ...catchAll, ResultPath: '$.e' }] },
        H: { Type: 'Succeed' },
      },
    };
    expect(problems(jsonata)).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage", '/States/T/Catch[0]'],
    ]);
  });
});
