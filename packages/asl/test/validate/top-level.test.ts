import { describe, expect, it } from 'vitest';
import { problems, SCHEMA } from './helpers.js';

const PASS = { Type: 'Pass', End: true };

describe('top-level fields', () => {
  it('requires States and StartAt, listed in AWS order, at /', () => {
    expect(problems({})).toEqual([[SCHEMA, 'These fields are required: [States, StartAt]', '/']]);
    expect(problems({ Comment: 'x', StartAt: 'S' })).toEqual([[SCHEMA, 'These fields are required: [States]', '/']]);
    expect(problems({ States: { S: PASS } })).toEqual([[SCHEMA, 'These fields are required: [StartAt]', '/']]);
  });

  it('accepts exactly Comment, StartAt, States, Version, TimeoutSeconds and QueryLanguage', () => {
    const ok = { Comment: 'c', StartAt: 'S', States: { S: PASS }, Version: '1.0', TimeoutSeconds: 10, QueryLanguage: 'JSONPath' };
    expect(problems(ok)).toEqual([]);
    expect(problems({ ...ok, Foo: 1 })).toEqual([[SCHEMA, "Field 'Foo' is not supported", '/']]);
  });

  it('checks the types and range of the top-level fields', () => {
    expect(problems({ StartAt: 'S', States: { S: PASS }, TimeoutSeconds: 0 })).toEqual([[SCHEMA, 'Minimum value is 1', '/TimeoutSeconds']]);
    expect(problems({ StartAt: 'S', States: { S: PASS }, TimeoutSeconds: 100000000 })).toEqual([[SCHEMA, 'Maximum value is 99999999', '/TimeoutSeconds']]);
    expect(problems({ StartAt: 'S', States: { S: PASS }, TimeoutSeconds: 'ten' })).toEqual([[SCHEMA, 'Expected value of type [INTEGER]', '/TimeoutSeconds']]);
    expect(problems({ StartAt: 5, States: { S: PASS } })).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/StartAt']]);
    expect(problems({ StartAt: 'S', States: [] })).toEqual([[SCHEMA, 'Expected value of type [OBJECT]', '/States']]);
  });

  it('requires each state to be an object', () => {
    expect(problems({ StartAt: 'S', States: { S: 'Pass' } })).toEqual([
      [SCHEMA, 'Expected value of type [OBJECT]', '/States/S'],
      ['MISSING_END_STATE', 'Workflow has no terminal state', undefined],
    ]);
  });

  it('checks QueryLanguage against its values and type', () => {
    expect(problems({ QueryLanguage: 'jsonata', StartAt: 'S', States: { S: PASS } })).toEqual([
      [SCHEMA, 'Value should be one of the following: [JSONPath, JSONata]', '/QueryLanguage'],
    ]);
    expect(problems({ QueryLanguage: 5, StartAt: 'S', States: { S: PASS } })).toEqual([[SCHEMA, 'Expected value of type [STRING]', '/QueryLanguage']]);
  });
});
