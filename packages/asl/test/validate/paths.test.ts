import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

const pass = (fields: Record<string, unknown>) => single({ Type: 'Pass', End: true, ...fields });

describe('JSONPath paths and payload templates', () => {
  it('wants a JSONPath in InputPath and OutputPath, null allowed', () => {
    expect(problems(pass({ InputPath: '$.a', OutputPath: null }))).toEqual([]);
    expect(problems(pass({ InputPath: '$$.Execution.Id' }))).toEqual([]);
    expect(problems(pass({ OutputPath: 'Test' }))).toEqual([[SCHEMA, 'Value must be a valid JSONPath.', '/States/S/OutputPath']]);
    expect(problems(pass({ InputPath: 5 }))).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/States/S/InputPath']]);
  });

  it('wants a reference path in ResultPath, null allowed', () => {
    expect(problems(pass({ ResultPath: '$.result.value' }))).toEqual([]);
    expect(problems(pass({ ResultPath: null }))).toEqual([]);
    expect(problems(pass({ ResultPath: '$.items[*]' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/ResultPath']]);
    expect(problems(pass({ ResultPath: 'result' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/ResultPath']]);
  });

  it('wants a path or an intrinsic call under every .$ key of a template, reported at the object holding it', () => {
    expect(problems(pass({ Parameters: { 'a.$': '$.x', 'b.$': '$$.Execution.Id', 'c.$': "States.Format('{}', $.x)", nested: { 'd.$': '$var.field' } } }))).toEqual([]);
    expect(problems(pass({ Parameters: { 'outputPath.$': "States.format('test-{}.json', $.Comment)" } }))).toEqual([
      [SCHEMA, "The value for the field 'outputPath.$' must be a valid JSONPath or a valid intrinsic function call", '/States/S/Parameters'],
    ]);
    expect(problems(pass({ Parameters: { nested: { list: [{ 'x.$': 'ipsum' }] } } }))).toEqual([
      [SCHEMA, "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call", '/States/S/Parameters/nested/list[0]'],
    ]);
    expect(problems(pass({ Parameters: 'x' }))).toEqual([[SCHEMA, 'Expected value of type [OBJECT]', '/States/S/Parameters']]);
  });

  it('checks ResultSelector on Task the same way', () => {
    const def = single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, ResultSelector: { 'p.$': 7 }, End: true });
    expect(problems(def)).toEqual([[SCHEMA, "The value for the field 'p.$' must be a valid JSONPath or a valid intrinsic function call", '/States/S/ResultSelector']]);
  });
});
