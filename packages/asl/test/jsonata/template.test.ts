import { describe, expect, it } from 'vitest';
import { QueryEvaluationError, evaluateJsonataValue } from '../../src/jsonata/index.js';
import type { Json } from '../../src/json.js';
import { scopeOf } from './scope.js';

async function failure(value: Json, scope = scopeOf(), field = 'Output'): Promise<QueryEvaluationError> {
  try {
    await evaluateJsonataValue(value, scope, field);
  } catch (e) {
    if (e instanceof QueryEvaluationError) return e;
    throw e;
  }
  throw new Error('expected a QueryEvaluationError');
}

describe('evaluateJsonataValue', () => {
  it('replaces expressions anywhere in objects and arrays and keeps everything else literal', async () => {
    const scope = scopeOf({ input: { a: 2, list: [1, 2, 3] } }, { v: 'var' });
    const value: Json = {
      sum: '{% $sum($states.input.list) + $states.input.a %}',
      nested: { list: [null, 0.1, '{% $v %}', ' {% $v %} ', '$states.input', '$.a'] },
      'key.$': '$',
      constant: true,
    };
    expect(await evaluateJsonataValue(value, scope, 'Output')).toEqual({
      sum: 8,
      nested: { list: [null, 0.1, 'var', ' {% $v %} ', '$states.input', '$.a'] },
      'key.$': '$',
      constant: true,
    });
  });

  it('returns any JSON type from a whole-field expression', async () => {
    const scope = scopeOf({ input: { n: 1 } });
    expect(await evaluateJsonataValue('{% $states.input.n > 0 %}', scope, 'Condition')).toBe(true);
    expect(await evaluateJsonataValue('{% null %}', scope, 'Output')).toBeNull();
    expect(await evaluateJsonataValue('{% [1, "two", 3] %}', scope, 'Items')).toEqual([1, 'two', 3]);
    expect(await evaluateJsonataValue('{% {"a": $states.input.n} %}', scope, 'Output')).toEqual({ a: 1 });
  });

  it('binds $states with the members given, in AWS order, and nothing else', async () => {
    const context = { Execution: { Name: 'e' } };
    expect(await evaluateJsonataValue('{% $states %}', scopeOf({ input: 1, context }), 'Output')).toEqual({ input: 1, context });
    const withResult = await evaluateJsonataValue('{% $keys($states) %}', scopeOf({ input: 1, context, result: { r: 1 } }), 'Output');
    expect(withResult).toEqual(['input', 'context', 'result']);
    const withError = await evaluateJsonataValue('{% $states.errorOutput.Error %}', scopeOf({ errorOutput: { Error: 'E', Cause: 'c' } }), 'Catch[0]/Output');
    expect(withError).toBe('E');
  });

  it('names an absent $states member instead of evaluating the expression', async () => {
    const e = await failure({ r: '{% $states.result.Payload %}' }, scopeOf({ input: {} }));
    expect(e.error).toBe('States.QueryEvaluationError');
    expect(e.location).toBe('Output/r');
    expect(e.cause).toBe(
      "The JSONata expression '$states.result.Payload' specified for the field 'Output/r' cannot be evaluated. Field '$states.result' does not exist.",
    );
    const e2 = await failure('{% $exists($states.errorOutput) %}', scopeOf({ result: 1 }), 'Output');
    expect(e2.cause).toContain("Field '$states.errorOutput' does not exist.");
  });

  it('fails an expression that returns nothing, naming the field path', async () => {
    const e = await failure({ result: '{% $doesNotExist %}' });
    expect(e.cause).toBe("The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).");
    expect(e.location).toBe('Output/result');
    expect(e.expression).toBe('$doesNotExist');
    const whole = await failure('{% $doesNotExist %}', scopeOf(), 'Assign/result');
    expect(whole.cause).toBe("The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).");
    const inArray = await failure({ a: [1, { b: '{% $states.input.none %}' }] }, scopeOf(), 'Arguments');
    expect(inArray.location).toBe('Arguments/a[1]/b');
  });

  it('evaluates without a context item: $ and bare field names are undefined', async () => {
    const scope = scopeOf({ input: { a: 1 } });
    expect((await failure('{% $ %}', scope)).cause).toContain('returned nothing (undefined)');
    expect((await failure('{% a %}', scope)).cause).toContain('returned nothing (undefined)');
  });

  it('reports a function result as an unsupported result type', async () => {
    const e = await failure('{% $fn := function($x){$x} %}', scopeOf(), 'Items');
    expect(e.cause).toBe("The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.");
    const nested = await failure('{% {"f": $uppercase} %}');
    expect(nested.cause).toContain('returned an unsupported result type.');
  });

  it('reports a JSONata error with its code, as AWS does', async () => {
    const e = await failure({ FunctionResult: '{% $randomSeeded($states.input.FunctionInput.fst) %}' }, scopeOf({ input: { FunctionInput: 'fst' } }));
    expect(e.cause).toBe(
      "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
    const typeError = await failure('{% $states.input.s + 1 %}', scopeOf({ input: { s: 'x' } }));
    expect(typeError.cause).toMatch(/threw an error during evaluation\. T2001: /);
  });

  it('makes $eval unavailable', async () => {
    const e = await failure('{% $eval("1 + 1") %}');
    expect(e.cause).toContain('threw an error during evaluation. T1006: Attempted to invoke a non-function');
  });

  it('sees the workflow variables, and $states even when a variable is named states', async () => {
    const scope = scopeOf({ input: 'in' }, { count: 3, states: 'shadow' });
    expect(await evaluateJsonataValue('{% $count * 2 %}', scope, 'Output')).toBe(6);
    expect(await evaluateJsonataValue('{% $states.input %}', scope, 'Output')).toBe('in');
  });

  it('normalises results to plain JSON', async () => {
    const scope = scopeOf({ input: { a: [{ b: 1 }, { b: 2 }], one: [{ b: 5 }] } });
    const seq = await evaluateJsonataValue('{% $states.input.a.b %}', scope, 'Output');
    expect(seq).toEqual([1, 2]);
    expect(Object.keys(seq as object)).toEqual(['0', '1']);
    expect(await evaluateJsonataValue('{% $states.input.one.b %}', scope, 'Output')).toBe(5);
    expect(await evaluateJsonataValue('{% [1/0, -1/0, 0/0] %}', scope, 'Output')).toEqual(['Infinity', '-Infinity', 'NaN']);
    expect(Object.is(await evaluateJsonataValue('{% -0 %}', scope, 'Output'), 0)).toBe(true);
    expect(await evaluateJsonataValue('{% {"a": 1, "b": $nothing} %}', scope, 'Output')).toEqual({ a: 1 });
  });

  it('does not alias or change the input', async () => {
    const input = { o: { k: [1] } };
    const scope = scopeOf({ input });
    const out = (await evaluateJsonataValue('{% $states.input.o %}', scope, 'Output')) as { k: number[] };
    out.k.push(2);
    expect(input).toEqual({ o: { k: [1] } });
  });

  it('stops at the first failing expression in document order', async () => {
    const e = await failure({ first: '{% $a %}', second: '{% $b %}' });
    expect(e.location).toBe('Output/first');
  });

  it('keeps a key named __proto__ as data', async () => {
    const value = JSON.parse('{"__proto__": "{% 1 + 1 %}"}') as Json;
    const out = await evaluateJsonataValue(value, scopeOf(), 'Output');
    expect(Object.keys(out as object)).toEqual(['__proto__']);
    expect(JSON.stringify(out)).toBe('{"__proto__":2}');
  });
});
