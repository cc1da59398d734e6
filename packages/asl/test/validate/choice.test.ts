import { describe, expect, it } from 'vitest';
import { problems, SCHEMA } from './helpers.js';

function choice(state: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...top, StartAt: 'C', States: { C: { Type: 'Choice', ...state }, Done: { Type: 'Succeed' } } };
}

describe('Choice state', () => {
  it('requires a non-empty Choices array', () => {
    expect(problems(choice({ Default: 'Done' }))).toEqual([[SCHEMA, 'These fields are required: [Choices]', '/States/C']]);
    expect(problems(choice({ Choices: [], Default: 'Done' }))).toEqual([[SCHEMA, 'Value cannot be empty', '/States/C/Choices']]);
  });

  it('passes each JSONPath rule to the choice rules checker, located at the rule', () => {
    const rows = problems(choice({ Choices: [{ Variable: '$.x', StringEquals: 'a' }], Default: 'Done' }));
    expect(rows.length).toBe(1);
    expect(rows[0]![0]).toBe(SCHEMA);
    expect(rows[0]![2]).toBe('/States/C/Choices[0]');
    expect(rows[0]![1]).toMatch(/Next/);
    expect(problems(choice({ Choices: [{ Variable: '$.x', StringEquals: 'a', Next: 'Done' }] }))).toEqual([]);
  });

  it('checks Assign on a rule and refuses JSONata rule fields in a JSONPath machine', () => {
    expect(problems(choice({ Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Done', Assign: { 'v.$': 'nope' } }] }))).toEqual([
      [SCHEMA, "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call", '/States/C/Choices[0]/Assign'],
    ]);
    expect(problems(choice({ Choices: [{ Condition: '{% true %}', Next: 'Done' }] }))).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage", '/States/C/Choices[0]'],
      ...problems(choice({ Choices: [{ Next: 'Done' }] })),
    ]);
  });

  it('takes Condition, Next, Assign and Output on JSONata rules', () => {
    const top = { QueryLanguage: 'JSONata' };
    expect(problems(choice({ Choices: [{ Condition: '{% $states.input.x > 1 %}', Next: 'Done', Output: { a: '{% 1 %}' }, Assign: { v: 1 } }] }, top))).toEqual([]);
    expect(problems(choice({ Choices: [{ Next: 'Done' }] }, top))).toEqual([[SCHEMA, 'These fields are required: [Condition]', '/States/C/Choices[0]']]);
    expect(problems(choice({ Choices: [{ Condition: '{% ) %}', Next: 'Done' }] }, top)).map((r) => [r[0], r[2]])).toEqual([
      ['INVALID_JSONATA_EXPRESSION', '/States/C/Choices[0]/Condition'],
    ]);
    expect(problems(choice({ Choices: [{ Condition: 'yes', Next: 'Done' }] }, top))).toEqual([[SCHEMA, 'Expected value of type [BOOLEAN]', '/States/C/Choices[0]/Condition']]);
    expect(problems(choice({ Choices: [{ Variable: '$.x', IsPresent: true, Condition: true, Next: 'Done' }] }, top))).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage", '/States/C/Choices[0]'],
      [SCHEMA, "The QueryLanguage is set to 'JSONata', but field 'IsPresent' is only supported for the 'JSONPath' QueryLanguage", '/States/C/Choices[0]'],
    ]);
  });

  it('checks Default is a string', () => {
    expect(problems(choice({ Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Done' }], Default: 1 }))).toEqual([
      [SCHEMA, 'Expected value of type [STRING]', '/States/C/Default'],
    ]);
  });
});
