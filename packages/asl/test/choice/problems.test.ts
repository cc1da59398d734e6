import { describe, expect, it } from 'vitest';
import { CHOICE_COMPARISON_OPERATORS, choiceRuleProblems } from '../../src/choice/index.js';

const AT = '/States/Check/Choices/0';

function messages(rule: unknown, topLevel = true): string[] {
  return choiceRuleProblems(rule, AT, topLevel).map((p) => `${p.location}: ${p.message}`);
}

describe('choiceRuleProblems', () => {
  it('accepts well-formed rules', () => {
    expect(messages({ Variable: '$.v', StringEquals: 'a', Next: 'S' })).toEqual([]);
    expect(messages({ Variable: '$.v', NumericLessThanPath: '$$.Execution.Input.max', Next: 'S', Comment: 'c' })).toEqual([]);
    expect(messages({ Variable: '$limit.max', IsPresent: true, Next: 'S', Assign: { a: 1 } })).toEqual([]);
    expect(messages({ Variable: "$['odd key'][0]", TimestampEquals: '2016-08-18T17:33:00Z', Next: 'S' })).toEqual([]);
    expect(messages({ And: [{ Variable: '$.v', IsNull: false }, { Not: { Variable: '$.v', StringMatches: 'x*' } }], Next: 'S' })).toEqual([]);
    expect(messages({ Variable: '$.v', BooleanEquals: true }, false)).toEqual([]);
  });

  it('needs exactly one comparison operator or combinator', () => {
    expect(messages({ Variable: '$.v', Next: 'S' })).toEqual([
      `${AT}: A Choice Rule must contain a comparison operator, or one of And, Or, Not`,
    ]);
    expect(messages({ Variable: '$.v', StringEquals: 'a', StringLessThan: 'b', Next: 'S' })).toEqual([
      `${AT}: A Choice Rule must contain exactly one of a comparison operator, And, Or, Not, but has: StringEquals, StringLessThan`,
    ]);
    expect(messages({ Not: { Variable: '$.v', IsNull: true }, And: [{ Variable: '$.v', IsNull: true }], Next: 'S' })).toHaveLength(1);
  });

  it('requires Next on top-level rules and rejects it on nested ones', () => {
    expect(messages({ Variable: '$.v', StringEquals: 'a' })).toEqual([`${AT}: The field 'Next' is required but was missing`]);
    expect(messages({ Variable: '$.v', StringEquals: 'a', Next: 3 })).toEqual([`${AT}/Next: Expected value of type String`]);
    expect(messages({ Not: { Variable: '$.v', StringEquals: 'a', Next: 'S' }, Next: 'S' })).toEqual([
      `${AT}/Not: The field "Next" is not supported by Step Functions`,
    ]);
    expect(messages({ Variable: '$.v', StringEquals: 'a', Assign: {} }, false)).toEqual([
      `${AT}: The field "Assign" is not supported by Step Functions`,
    ]);
  });

  it('reports unknown fields and Variable on combinators', () => {
    expect(messages({ Variable: '$.v', StringEquals: 'a', Next: 'S', Foo: 1 })).toEqual([
      `${AT}: The field "Foo" is not supported by Step Functions`,
    ]);
    expect(messages({ Variable: '$.v', Or: [{ Variable: '$.v', IsNull: true }], Next: 'S' })).toEqual([
      `${AT}: The field "Variable" is not supported by Step Functions`,
    ]);
    expect(messages({ Condition: '{% true %}', Next: 'S' })).toContain(`${AT}: The field "Condition" is not supported by Step Functions`);
  });

  it('requires a valid Variable path on comparisons', () => {
    expect(messages({ StringEquals: 'a', Next: 'S' })).toEqual([`${AT}: The field 'Variable' is required but was missing`]);
    expect(messages({ Variable: 5, StringEquals: 'a', Next: 'S' })).toEqual([`${AT}/Variable: Expected value of type String`]);
    for (const bad of ['v', '', '$.a[*]', '$..a', '$.a[0:2]', '$[?(@.a)]', '$.']) {
      expect(messages({ Variable: bad, StringEquals: 'a', Next: 'S' }), bad).toEqual([
        `${AT}/Variable: The value for the field 'Variable' must be a valid JSONPath`,
      ]);
    }
  });

  it('checks the operand type of every operator', () => {
    const wrong: [string, unknown, string][] = [
      ['StringEquals', 1, 'Expected value of type String'],
      ['StringMatches', true, 'Expected value of type String'],
      ['NumericGreaterThan', '1', 'Expected value of type Number'],
      ['BooleanEquals', 'true', 'Expected value of type Boolean'],
      ['IsPresent', 1, 'Expected value of type Boolean'],
      ['TimestampLessThan', 1, 'Expected value of type String'],
      ['TimestampLessThan', '2016-08-18 17:33:00Z', "The value for the field 'TimestampLessThan' must be a valid timestamp, e.g. 2016-08-18T17:33:00Z"],
      ['NumericEqualsPath', 1, 'Expected value of type String'],
      ['StringEqualsPath', 'v', "The value for the field 'StringEqualsPath' must be a valid JSONPath"],
    ];
    for (const [op, value, message] of wrong) {
      expect(messages({ Variable: '$.v', [op]: value, Next: 'S' }), op).toEqual([`${AT}/${op}: ${message}`]);
    }
  });

  it('checks And, Or and Not and recurses with JSON pointer locations', () => {
    expect(messages({ And: [], Next: 'S' })).toEqual([`${AT}/And: Value cannot be empty`]);
    expect(messages({ Or: { Variable: '$.v', IsNull: true }, Next: 'S' })).toEqual([`${AT}/Or: Expected value of type Array`]);
    expect(messages({ Not: [], Next: 'S' })).toEqual([`${AT}/Not: Expected value of type Object`]);
    expect(messages({ Or: [{ Variable: '$.v', IsNull: true }, 'x', { And: [{ Variable: '$.v', NumericEquals: 'one' }] }], Next: 'S' })).toEqual([
      `${AT}/Or/1: Expected value of type Object`,
      `${AT}/Or/2/And/0/NumericEquals: Expected value of type Number`,
    ]);
  });

  it('reports every problem at once', () => {
    expect(messages({ Variable: 'x', NumericEquals: 'y', Foo: 1 })).toHaveLength(4);
  });

  it('rejects a rule that is not an object', () => {
    expect(messages('StringEquals')).toEqual([`${AT}: Expected value of type Object`]);
    expect(messages(null)).toEqual([`${AT}: Expected value of type Object`]);
  });
});

describe('CHOICE_COMPARISON_OPERATORS', () => {
  it('lists every comparison operator of the guide, and no combinator', () => {
    expect(CHOICE_COMPARISON_OPERATORS).toHaveLength(39);
    for (const name of ['StringEquals', 'StringEqualsPath', 'NumericLessThanEqualsPath', 'BooleanEqualsPath', 'TimestampGreaterThan', 'StringMatches', 'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
      expect(CHOICE_COMPARISON_OPERATORS).toContain(name);
    }
    for (const name of ['And', 'Or', 'Not', 'StringMatchesPath', 'IsNullPath', 'BooleanLessThan']) {
      expect(CHOICE_COMPARISON_OPERATORS).not.toContain(name);
    }
  });
});
