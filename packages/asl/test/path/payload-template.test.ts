import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import type { Json } from '../../src/json.js';
import { resolvePayloadTemplate, type PathScope } from '../../src/path/index.js';
import { seededRandom } from '../../src/random.js';

const scope: PathScope = {
  input: { vals: [0, 10, 20, 30, 40, 50], name: 'Ada', nested: { deep: true } },
  context: { Execution: { Name: 'exec-7', Input: { k: 'v' } }, Map: { Item: { Index: 2 } } },
  variables: { limit: 3, cfg: { region: 'eu' } },
  random: seededRandom(11),
};

function failure(template: Json): StatesError {
  try {
    resolvePayloadTemplate(template, scope);
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('resolvePayloadTemplate', () => {
  it('resolves .$ keys from the input, the context object and variables, and drops the suffix', () => {
    const out = resolvePayloadTemplate(
      {
        flagged: true,
        'first.$': '$.vals[0]',
        'last3.$': '$.vals[3:]',
        'exec.$': '$$.Execution.Name',
        'index.$': '$$.Map.Item.Index',
        'limit.$': '$limit',
        'region.$': '$cfg.region',
        'all.$': '$',
      },
      scope,
    );
    expect(out).toEqual({
      flagged: true,
      first: 0,
      last3: [30, 40, 50],
      exec: 'exec-7',
      index: 2,
      limit: 3,
      region: 'eu',
      all: scope.input,
    });
  });

  it('walks nested objects and arrays, keeps key order, and copies other values as written', () => {
    const out = resolvePayloadTemplate({ a: { 'b.$': '$.name', c: [{ 'd.$': '$.nested.deep' }, '$.name', 5] }, z: null }, scope);
    expect(JSON.stringify(out)).toBe('{"a":{"b":"Ada","c":[{"d":true},"$.name",5]},"z":null}');
  });

  it('evaluates intrinsic calls', () => {
    const out = resolvePayloadTemplate({ 'greeting.$': "States.Format('Hi {} from {}', $.name, $$.Execution.Name)" }, scope);
    expect(out).toEqual({ greeting: 'Hi Ada from exec-7' });
  });

  it('leaves a key that is only ".$" or has no suffix alone', () => {
    expect(resolvePayloadTemplate({ '.$': '$.name', 'x.$y': '$.name' }, scope)).toEqual({ '.$': '$.name', 'x.$y': '$.name' });
  });

  it('fails with States.Runtime naming the field and the input when a path matches nothing', () => {
    const e = failure({ outer: { 'value.$': '$.no_such_jsonpath' } });
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe(
      `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '${JSON.stringify(scope.input)}'`,
    );
    expect(failure({ 'v.$': '$$.Execution.Input.nope' }).cause).toMatch(/^The JSONPath '\$\$.Execution.Input.nope' specified for the field 'v.\$'/);
    expect(failure({ 'v.$': 17 }).error).toBe('States.Runtime');
  });
});
