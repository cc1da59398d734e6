import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import type { Json } from '../../src/json.js';
import { applyInputPath, applyOutputPath, selectFieldPath, type PathScope } from '../../src/path/index.js';
import { seededRandom } from '../../src/random.js';

const scope = (input: Json): PathScope => ({ input, context: { Execution: { Input: input } }, random: seededRandom(3) });

function thrown(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

describe('applyInputPath / applyOutputPath', () => {
  it('keeps the value without a path, gives {} for null, selects with a path', () => {
    const s = scope({ a: { b: 1 }, l: [1, 2, 3] });
    expect(applyInputPath(undefined, s)).toBe(s.input);
    expect(applyInputPath(null, s)).toEqual({});
    expect(applyInputPath('$.a', s)).toEqual({ b: 1 });
    expect(applyOutputPath('$.l[1:]', s)).toEqual([2, 3]);
    expect(applyInputPath('$$.Execution.Input.a.b', s)).toBe(1);
  });

  it('fails with the "Invalid path" cause AWS records', () => {
    const missingLeaf = thrown(() => applyInputPath('$.NoSuchInputPath', scope({ 'int-literal': 0 })));
    expect(missingLeaf.error).toBe('States.Runtime');
    expect(missingLeaf.cause).toBe("Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']");
    const missingBranch = thrown(() => applyOutputPath('$.no.such.result.path', scope({})));
    expect(missingBranch.cause).toBe("Invalid path '$.no.such.result.path' : Missing property in path $['no']");
  });
});

describe('selectFieldPath', () => {
  it('names the field and the input in the cause', () => {
    const e = thrown(() => selectFieldPath('$.ErrorX', 'ErrorPath', scope({ Error: 'error-value' })));
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe(`The JSONPath '$.ErrorX' specified for the field 'ErrorPath' could not be found in the input '{"Error":"error-value"}'`);
  });

  it('gives [] for an indefinite path that matches nothing', () => {
    expect(selectFieldPath('$.items[*]', 'v.$', scope({}))).toEqual([]);
  });
});
