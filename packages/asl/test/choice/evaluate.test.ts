import { describe, expect, it } from 'vitest';
import { evaluateChoiceRule } from '../../src/choice/index.js';
import { StatesError } from '../../src/errors.js';
import type { Json, JsonObject } from '../../src/json.js';
import { queryOf } from './query.js';

function holds(rule: JsonObject, input: Json): boolean {
  return evaluateChoiceRule(rule, queryOf(input));
}

function runtimeError(rule: JsonObject, input: Json): StatesError {
  try {
    evaluateChoiceRule(rule, queryOf(input));
  } catch (e) {
    if (e instanceof StatesError) return e;
    throw e;
  }
  throw new Error('expected a StatesError');
}

const WRONG_TYPES: Json[] = [null, true, false, 0, 1.5, '', 'text', [], ['x'], {}, { A: 0 }];

describe('string comparisons', () => {
  it('compares strings in Java compareTo order', () => {
    expect(holds({ Variable: '$.v', StringEquals: 'abc' }, { v: 'abc' })).toBe(true);
    expect(holds({ Variable: '$.v', StringEquals: 'abc' }, { v: 'abd' })).toBe(false);
    expect(holds({ Variable: '$.v', StringLessThan: 'AB' }, { v: 'A' })).toBe(true);
    expect(holds({ Variable: '$.v', StringGreaterThan: 'A ' }, { v: 'A' })).toBe(false);
    expect(holds({ Variable: '$.v', StringGreaterThan: 'Z' }, { v: 'a' })).toBe(true); // 'a' (97) > 'Z' (90)
    expect(holds({ Variable: '$.v', StringLessThanEquals: '' }, { v: '' })).toBe(true);
    expect(holds({ Variable: '$.v', StringGreaterThanEquals: 'b' }, { v: 'a' })).toBe(false);
  });

  it('orders by UTF-16 code unit, as Java does, not by code point', () => {
    // U+FF5E is one code unit 0xFF5E; U+1F600 is the surrogate pair 0xD83D 0xDE00: Java puts the emoji first.
    expect(holds({ Variable: '$.v', StringLessThan: '\uFF5E' }, { v: '\u{1F600}' })).toBe(true);
  });

  it('is false, not an error, for a non-string value', () => {
    for (const v of WRONG_TYPES.filter((x) => typeof x !== 'string')) {
      expect(holds({ Variable: '$.v', StringEquals: '' }, { v })).toBe(false);
      expect(holds({ Variable: '$.v', StringLessThanEquals: 'zzz' }, { v })).toBe(false);
    }
  });

  it('takes the operand from the input with StringEqualsPath and friends', () => {
    expect(holds({ Variable: '$.a', StringEqualsPath: '$.b' }, { a: 'x', b: 'x' })).toBe(true);
    expect(holds({ Variable: '$.a', StringLessThanPath: '$.b' }, { a: 'A', b: 'AB' })).toBe(true);
    expect(holds({ Variable: '$.a', StringGreaterThanEqualsPath: '$.b' }, { a: 'A', b: 'AB' })).toBe(false);
    expect(holds({ Variable: '$.a', StringEqualsPath: '$.b' }, { a: '1', b: 1 })).toBe(false);
  });
});

describe('numeric comparisons', () => {
  it('compares numbers by value, ints and floats alike', () => {
    expect(holds({ Variable: '$.v', NumericEquals: 1 }, { v: 1.0 })).toBe(true);
    expect(holds({ Variable: '$.v', NumericEquals: 0 }, JSON.parse('{"v": 0.0}'))).toBe(true);
    expect(holds({ Variable: '$.v', NumericEquals: 1 }, { v: 1.1 })).toBe(false);
    expect(holds({ Variable: '$.v', NumericLessThan: 30 }, { v: 22 })).toBe(true);
    expect(holds({ Variable: '$.v', NumericGreaterThan: 22 }, { v: 22 })).toBe(false);
    expect(holds({ Variable: '$.v', NumericGreaterThanEquals: 22 }, { v: 22 })).toBe(true);
    expect(holds({ Variable: '$.v', NumericLessThanEquals: -1 }, { v: -1.5 })).toBe(true);
  });

  it('does not match numeric fields against strings or booleans', () => {
    for (const v of WRONG_TYPES.filter((x) => typeof x !== 'number')) {
      expect(holds({ Variable: '$.v', NumericEquals: 0 }, { v })).toBe(false);
      expect(holds({ Variable: '$.v', NumericGreaterThanEquals: -1e9 }, { v })).toBe(false);
    }
    expect(holds({ Variable: '$.v', NumericEquals: 1 }, { v: '1' })).toBe(false);
  });

  it('reads the operand with NumericEqualsPath and friends', () => {
    expect(holds({ Variable: '$.a', NumericEqualsPath: '$.b' }, { a: 2.22, b: 2.22 })).toBe(true);
    expect(holds({ Variable: '$.a', NumericLessThanEqualsPath: '$.b' }, { a: 1, b: 0 })).toBe(false);
    expect(holds({ Variable: '$.a', NumericLessThanEqualsPath: '$.b' }, { a: 0, b: 1 })).toBe(true);
    expect(holds({ Variable: '$.a', NumericEqualsPath: '$.b' }, { a: 0, b: null })).toBe(false);
  });
});

describe('boolean comparisons', () => {
  it('matches only booleans', () => {
    expect(holds({ Variable: '$.v', BooleanEquals: true }, { v: true })).toBe(true);
    expect(holds({ Variable: '$.v', BooleanEquals: false }, { v: true })).toBe(false);
    expect(holds({ Variable: '$.v', BooleanEquals: false }, { v: 0 })).toBe(false);
    expect(holds({ Variable: '$.v', BooleanEquals: false }, { v: null })).toBe(false);
    expect(holds({ Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: false, w: false })).toBe(true);
    expect(holds({ Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: 'true', w: true })).toBe(false);
  });
});

describe('timestamp comparisons', () => {
  it('compares instants', () => {
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T20:00:55+01:00' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampLessThan: '2012-10-09T19:00:56Z' }, { v: '2012-10-09T19:00:55.999Z' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampGreaterThan: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(false);
    expect(holds({ Variable: '$.v', TimestampGreaterThanEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampLessThanEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:56Z' })).toBe(false);
    expect(holds({ Variable: '$.a', TimestampGreaterThanPath: '$.b' }, { a: '2020-01-01T00:00:00Z', b: '2019-12-31T23:59:59Z' })).toBe(true);
  });

  it('is false for values that are not timestamps', () => {
    for (const v of [...WRONG_TYPES, '2012-10-09 19:00:55Z', '2012-10-09T19:00:55', '2023-02-24']) {
      expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v })).toBe(false);
      expect(holds({ Variable: '$.v', TimestampLessThan: '2999-01-01T00:00:00Z' }, { v })).toBe(false);
    }
    expect(holds({ Variable: '$.a', TimestampEqualsPath: '$.b' }, { a: '2012-10-09T19:00:55Z', b: 'soon' })).toBe(false);
  });
});

describe('StringMatches', () => {
  it('matches wildcard patterns', () => {
    expect(holds({ Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2024.txt' })).toBe(true);
    expect(holds({ Variable: '$.v', StringMatches: 'log-*.txt' }, { v: 'log-2024.csv' })).toBe(false);
    expect(holds({ Variable: '$.v', StringMatches: '*' }, { v: 1 })).toBe(false);
  });
});

describe('Is* operators', () => {
  it('tests the type and compares with the boolean operand', () => {
    expect(holds({ Variable: '$.v', IsNull: true }, { v: null })).toBe(true);
    expect(holds({ Variable: '$.v', IsNull: false }, { v: 0 })).toBe(true);
    expect(holds({ Variable: '$.v', IsNumeric: true }, { v: 1.1 })).toBe(true);
    expect(holds({ Variable: '$.v', IsNumeric: true }, { v: '1' })).toBe(false);
    expect(holds({ Variable: '$.v', IsString: true }, { v: '' })).toBe(true);
    expect(holds({ Variable: '$.v', IsString: false }, { v: [] })).toBe(true);
    expect(holds({ Variable: '$.v', IsBoolean: true }, { v: false })).toBe(true);
    expect(holds({ Variable: '$.v', IsBoolean: true }, { v: 'true' })).toBe(false);
    expect(holds({ Variable: '$.v', IsTimestamp: true }, { v: '2012-10-09T19:00:55+01:00' })).toBe(true);
    expect(holds({ Variable: '$.v', IsTimestamp: true }, { v: '2012-10-09T19:00:55' })).toBe(false);
    expect(holds({ Variable: '$.v', IsTimestamp: false }, { v: 42 })).toBe(true);
  });

  it('IsPresent treats null as present and a missing key as absent, without an error', () => {
    expect(holds({ Variable: '$.v', IsPresent: true }, { v: null })).toBe(true);
    expect(holds({ Variable: '$.v', IsPresent: true }, {})).toBe(false);
    expect(holds({ Variable: '$.v', IsPresent: false }, {})).toBe(true);
    expect(holds({ Variable: '$.a.b', IsPresent: false }, { a: 1 })).toBe(true);
    expect(holds({ Variable: '$[3]', IsPresent: true }, [1, 2])).toBe(false);
  });
});

describe('missing paths', () => {
  it('fails with States.Runtime when the Variable path is not in the input', () => {
    const e = runtimeError({ Variable: '$.missing', NumericEquals: 1 }, { other: 1 });
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe("Invalid path '$.missing': The choice state's condition path references an invalid value.");
    const operators: JsonObject[] = [{ IsNull: true }, { IsString: false }, { StringMatches: '*' }, { BooleanEqualsPath: '$.x' }];
    for (const rule of operators) {
      expect(runtimeError({ Variable: '$.missing', ...rule }, { x: true }).error).toBe('States.Runtime');
    }
  });

  it('fails with States.Runtime naming the operand path when a ...Path operand is missing', () => {
    const e = runtimeError({ Variable: '$.a', NumericEqualsPath: '$.nope' }, { a: 1 });
    expect(e.error).toBe('States.Runtime');
    expect(e.cause).toBe("Invalid path '$.nope': The choice state's condition path references an invalid value.");
  });
});

describe('And, Or, Not', () => {
  const twenties: JsonObject = { And: [{ Variable: '$.v', NumericGreaterThanEquals: 20 }, { Variable: '$.v', NumericLessThan: 30 }] };

  it('combines nested rules', () => {
    expect(holds(twenties, { v: 22 })).toBe(true);
    expect(holds(twenties, { v: 30 })).toBe(false);
    expect(holds({ Or: [{ Variable: '$.v', StringEquals: 'a' }, { Variable: '$.v', StringEquals: 'b' }] }, { v: 'b' })).toBe(true);
    expect(holds({ Or: [{ Variable: '$.v', StringEquals: 'a' }] }, { v: 'c' })).toBe(false);
    expect(holds({ Not: { Variable: '$.type', StringEquals: 'Private' } }, { type: 'Private' })).toBe(false);
    expect(holds({ Not: { Not: twenties } }, { v: 25 })).toBe(true);
  });

  it('stops at the first deciding rule, so IsPresent can guard a comparison', () => {
    const guarded: JsonObject = { And: [{ Variable: '$.k', IsPresent: true }, { Variable: '$.k', StringEquals: 'foo' }] };
    expect(holds(guarded, {})).toBe(false);
    expect(holds(guarded, { k: 'foo' })).toBe(true);
    const either: JsonObject = { Or: [{ Variable: '$.k', IsPresent: false }, { Variable: '$.k', StringEquals: 'foo' }] };
    expect(holds(either, {})).toBe(true);
    expect(() => holds({ And: [{ Variable: '$.k', StringEquals: 'foo' }, { Variable: '$.k', IsPresent: true }] }, {})).toThrow(StatesError);
  });
});

describe('paths the interpreter resolves', () => {
  it('passes context and variable paths to the query', () => {
    const query = queryOf({ a: 1 }, { Execution: { Name: 'run-1' } }, { limit: { max: 5 } });
    expect(evaluateChoiceRule({ Variable: '$$.Execution.Name', StringEquals: 'run-1' }, query)).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$.a', NumericLessThanPath: '$limit.max' }, query)).toBe(true);
    expect(evaluateChoiceRule({ Variable: '$limit', IsPresent: true }, query)).toBe(true);
  });
});

describe('malformed rules', () => {
  it('throws a plain Error (a bug the validator should have caught), not an ASL error', () => {
    const bad: JsonObject[] = [
      { Variable: '$.v' },
      { Variable: '$.v', StringEquals: 'a', NumericEquals: 1 },
      { StringEquals: 'a' },
      { And: [] },
      { Not: 'x' },
      { Variable: '$.v', IsNull: 'yes' },
    ];
    for (const rule of bad) {
      let thrown: unknown;
      try {
        evaluateChoiceRule(rule, queryOf({ v: 'a' }));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).not.toBeInstanceOf(StatesError);
    }
  });
});
