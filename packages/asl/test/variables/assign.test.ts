import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import type { JsonataScope } from '../../src/jsonata/index.js';
import { QueryEvaluationError } from '../../src/jsonata/index.js';
import type { Json, JsonObject } from '../../src/json.js';
import { seededRandom } from '../../src/random.js';
import { evaluateAssign, MAX_VARIABLE_BYTES } from '../../src/variables/index.js';

function scope(input: Json, variables: Record<string, Json> = {}, extra: Partial<JsonataScope['states']> = {}): JsonataScope {
  return { states: { input, context: { State: { Name: 'S' } }, ...extra }, variables, random: seededRandom(1) };
}

async function failure(assign: JsonObject, mode: 'JSONata' | 'JSONPath', s: JsonataScope, field?: string): Promise<StatesError> {
  try {
    await evaluateAssign(assign, mode, s, 0, field);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('evaluateAssign (JSONata)', () => {
  it('evaluates expressions and literals, returning only the assigned variables', async () => {
    const out = await evaluateAssign(
      { product: '{% $states.input.order.product %}', count: 42, list: ['{% $old %}', 'lit'], price: '{% $states.result.Payload.price %}' },
      'JSONata',
      scope({ order: { product: 'p1' } }, { old: 'o', other: 1 }, { result: { Payload: { price: 9 } } }),
      0,
    );
    expect(out).toEqual({ product: 'p1', count: 42, list: ['o', 'lit'], price: 9 });
  });

  it('sees the variables as they were on state entry (no sequential visibility)', async () => {
    const out = await evaluateAssign({ x: '{% $a %}', nextX: '{% $x %}' }, 'JSONata', scope({}, { x: 3, a: 6 }), 0);
    expect(out).toEqual({ x: 6, nextX: 3 });
    const e = await failure({ y: 1, z: '{% $y %}' }, 'JSONata', scope({}));
    expect(e.cause).toBe("The JSONata expression '$y' specified for the field 'Assign/z' returned nothing (undefined).");
  });

  it('names the failing variable in the location, under the given field', async () => {
    const e = await failure({ result: '{% $doesNotExist %}' }, 'JSONata', scope({}));
    expect(e).toBeInstanceOf(QueryEvaluationError);
    expect((e as QueryEvaluationError).location).toBe('Assign/result');
    const inCatch = await failure({ v: { deep: '{% $nope %}' } }, 'JSONata', scope({}, {}, { errorOutput: { Error: 'E' } }), 'Catch[0]/Assign');
    expect((inCatch as QueryEvaluationError).location).toBe('Catch[0]/Assign/v/deep');
  });

  it('refuses invalid and reserved names', async () => {
    expect((await failure({ 'x.$': '$.a' }, 'JSONata', scope({ a: 1 }))).error).toBe('States.Runtime');
    expect((await failure({ states: 1 }, 'JSONata', scope({}))).cause).toContain('reserved');
  });

  it('enforces the size limits', async () => {
    const e = await failure({ big: '{% $pad(\'\', 262200, \'x\') %}' }, 'JSONata', scope({}));
    expect(e.error).toBe('States.DataLimitExceeded');
    await expect(evaluateAssign({ v: 'x' }, 'JSONata', scope({}), 10 * 1024 * 1024)).rejects.toMatchObject({ error: 'States.DataLimitExceeded' });
    expect(MAX_VARIABLE_BYTES).toBe(262144);
  });
});

describe('evaluateAssign (JSONPath)', () => {
  it('resolves .$ keys against the result, variables and context, and keeps other values', async () => {
    const out = await evaluateAssign(
      { 'theAnswer.$': '$.answer', 'prev.$': '$x', 'name.$': '$$.State.Name', details: { status: 'OK', 'code.$': '$.code' }, fixed: 18 },
      'JSONPath',
      scope({ answer: 0 }, { x: 'old' }, { result: { answer: 42, code: 7 } }),
      0,
    );
    expect(out).toEqual({ theAnswer: 42, prev: 'old', name: 'S', details: { status: 'OK', code: 7 }, fixed: 18 });
  });

  it('reads $ from the error output in a Catch and from the input when there is no result', async () => {
    expect(await evaluateAssign({ 'e.$': '$.Error' }, 'JSONPath', scope({ Error: 'in' }, {}, { errorOutput: { Error: 'caught' } }), 0)).toEqual({ e: 'caught' });
    expect(await evaluateAssign({ 'v.$': '$' }, 'JSONPath', scope({ a: 1 }), 0)).toEqual({ v: { a: 1 } });
  });
});
