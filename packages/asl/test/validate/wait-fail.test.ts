import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

describe('Wait state', () => {
  const wait = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) => single({ Type: 'Wait', End: true, ...fields }, top);

  it('needs exactly one of Seconds, SecondsPath, Timestamp and TimestampPath', () => {
    expect(problems(wait({}))).toEqual([[SCHEMA, 'This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]', '/States/S']]);
    expect(problems(wait({ Seconds: 1, TimestampPath: '$.t' }))).toEqual([[SCHEMA, 'There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]', '/States/S']]);
    expect(problems(wait({ Seconds: 0 }))).toEqual([]);
  });

  it('checks the value of each', () => {
    expect(problems(wait({ Seconds: -1 }))).toEqual([[SCHEMA, 'Minimum value is 0', '/States/S/Seconds']]);
    expect(problems(wait({ Seconds: '10' }))).toEqual([[SCHEMA, 'Expected value of type [INTEGER]', '/States/S/Seconds']]);
    expect(problems(wait({ Timestamp: 'tomorrow' }))).toEqual([[SCHEMA, 'String does not match RFC3339 timestamp', '/States/S/Timestamp']]);
    expect(problems(wait({ Timestamp: '2016-08-18T17:33:00Z' }))).toEqual([]);
    expect(problems(wait({ SecondsPath: 'seconds' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/SecondsPath']]);
    expect(problems(wait({ TimestampPath: '$$.Execution.Input.when' }))).toEqual([]);
  });

  it('takes expressions in JSONata and refuses the path fields there', () => {
    const top = { QueryLanguage: 'JSONata' };
    expect(problems(wait({ Seconds: '{% $states.input.s %}' }, top))).toEqual([]);
    expect(problems(wait({ Timestamp: '{% $now() %}' }, top))).toEqual([]);
    expect(problems(wait({ SecondsPath: '$.s' }, top))).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'SecondsPath' is only supported for the 'JSONPath' QueryLanguage", '/States/S'],
      [SCHEMA, 'This object should have only one of the following fields: [Seconds, Timestamp]', '/States/S'],
    ]);
  });
});

describe('Fail state', () => {
  it('keeps Error and ErrorPath, Cause and CausePath, apart', () => {
    expect(problems(single({ Type: 'Fail', Error: 'E', ErrorPath: '$.e', Cause: 'C', CausePath: '$.c' }))).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [Error, ErrorPath]', '/States/S/Error'],
      [SCHEMA, 'There should only be one of the following fields: [Cause, CausePath]', '/States/S/Cause'],
    ]);
  });

  it('takes a reference path or an intrinsic call in ErrorPath and CausePath', () => {
    expect(problems(single({ Type: 'Fail', ErrorPath: '$.error', CausePath: "States.Format('cause: {}', $.cause)" }))).toEqual([]);
    expect(problems(single({ Type: 'Fail', ErrorPath: '$.errors[*]' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/ErrorPath']]);
    expect(problems(single({ Type: 'Fail', CausePath: 'States.Nope(' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/CausePath']]);
    expect(problems(single({ Type: 'Fail', Error: 5 }))).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/States/S/Error']]);
  });

  it('takes expressions for Error and Cause in JSONata', () => {
    expect(problems(single({ Type: 'Fail', Error: '{% $states.input.e %}', Cause: '{% ( %}' }, { QueryLanguage: 'JSONata' })).map((r) => [r[0], r[2]])).toEqual([
      ['INVALID_JSONATA_EXPRESSION', '/States/S/Cause'],
    ]);
  });
});
