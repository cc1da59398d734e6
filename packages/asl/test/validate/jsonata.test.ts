import { describe, expect, it } from 'vitest';
import { problems } from './helpers.js';

function output(expression: string): Record<string, unknown> {
  return { QueryLanguage: 'JSONata', StartAt: 'Main', States: { Main: { Type: 'Pass', Output: `{% ${expression} %}`, End: true } } };
}

describe('JSONata expressions', () => {
  it("reports a syntax error with the parser's message at the field", () => {
    expect(problems(output('a[1,2)'))).toEqual([['INVALID_JSONATA_EXPRESSION', 'Expected "]", got ","', '/States/Main/Output']]);
    expect(problems(output('"unterminated'))).toEqual([['INVALID_JSONATA_EXPRESSION', 'String literal must be terminated by a matching quote', '/States/Main/Output']]);
    expect(problems(output(''))).toEqual([['INVALID_JSONATA_EXPRESSION', 'Unexpected end of expression', '/States/Main/Output']]);
    expect(problems(output('$states.input.value * 2'))).toEqual([]);
  });

  it('reports an expression inside an object or array at the object or array', () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Pass', Output: { a: { b: ['{% 1 + %}'] } }, End: true } } };
    expect(problems(def)).toEqual([['INVALID_JSONATA_EXPRESSION', 'Unexpected end of expression', '/States/M/Output/a/b']]);
  });

  it('refuses $$ and $states.errorOutput outside a Catch', () => {
    expect(problems(output('$$'))).toEqual([['UNSUPPORTED_JSONATA_EXPRESSION', "Reference to '$$' is not supported.", '/States/Main/Output']]);
    expect(problems(output('$states.errorOutput'))).toEqual([['UNSUPPORTED_JSONATA_EXPRESSION', "Field '$states.errorOutput' does not exist.", '/States/Main/Output']]);
  });

  it('lets a Catcher read $states.errorOutput in its Output and Assign', () => {
    const def = {
      QueryLanguage: 'JSONata',
      StartAt: 'Main',
      States: {
        Main: {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f' }, Next: 'Handled',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled', Output: '{% $states.errorOutput %}', Assign: { lastError: '{% $states.errorOutput.Cause %}' } }],
        },
        Handled: { Type: 'Pass', End: true },
      },
    };
    expect(problems(def)).toEqual([]);
  });

  it('leaves strings in JSONPath states alone', () => {
    expect(problems({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { v: '{% 1 + %}' }, End: true } } })).toEqual([]);
  });

  it('checks Arguments, which takes an object or an expression', () => {
    const task = (args: unknown) => ({ QueryLanguage: 'JSONata', StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: args, End: true } } });
    expect(problems(task('{% $states.input %}'))).toEqual([]);
    expect(problems(task({ Payload: '{% $states.input %}', FunctionName: 'f' }))).toEqual([]);
    expect(problems(task(3))).toEqual([['SCHEMA_VALIDATION_FAILED', 'Expected value of type [OBJECT]', '/States/T/Arguments']]);
  });
});
