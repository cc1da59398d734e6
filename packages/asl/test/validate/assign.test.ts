import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

describe('Assign', () => {
  it('takes an object of variables', () => {
    expect(problems(single({ Type: 'Pass', Assign: [1], End: true }))).toEqual([[SCHEMA, 'Expected value of type [OBJECT]', '/States/S/Assign']]);
    expect(problems(single({ Type: 'Pass', Assign: { count: 1, _private: true, 'name.$': '$.name', ünïcode: 'ok' }, End: true }))).toEqual([]);
  });

  it('refuses variable names that are not identifiers, and the reserved name states', () => {
    const rows = problems(single({ Type: 'Pass', Assign: { $x: 1, '1st': 2, 'a-b': 3, states: 4 }, End: true }));
    expect(rows.map((r) => [r[0], r[2]])).toEqual([
      [SCHEMA, '/States/S/Assign'],
      [SCHEMA, '/States/S/Assign'],
      [SCHEMA, '/States/S/Assign'],
      [SCHEMA, '/States/S/Assign'],
    ]);
    expect(rows.map((r) => r[1])).toEqual([
      "The variable name '$x' is not a valid variable name",
      "The variable name '1st' is not a valid variable name",
      "The variable name 'a-b' is not a valid variable name",
      "The variable name 'states' is reserved",
    ]);
  });

  it('checks .$ values in JSONPath states and expressions in JSONata states', () => {
    expect(problems(single({ Type: 'Pass', Assign: { 'Variable.$': 'Test' }, End: true }))).toEqual([
      [SCHEMA, "The value for the field 'Variable.$' must be a valid JSONPath or a valid intrinsic function call", '/States/S/Assign'],
    ]);
    expect(problems(single({ Type: 'Pass', Assign: { v: '{% ] %}' }, End: true }, { QueryLanguage: 'JSONata' })).map((r) => [r[0], r[2]])).toEqual([
      ['INVALID_JSONATA_EXPRESSION', '/States/S/Assign'],
    ]);
  });

  it('is refused on Succeed and Fail', () => {
    expect(problems(single({ Type: 'Succeed', Assign: { v: 1 } }))).toEqual([[SCHEMA, "Field 'Assign' is not supported", '/States/S']]);
  });
});
