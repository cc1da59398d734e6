import { describe, expect, it } from 'vitest';
import { MAX_VARIABLE_NAME_LENGTH, variableNameProblem } from '../../src/variables/names.js';

describe('variableNameProblem', () => {
  it('accepts Unicode identifiers up to 80 characters', () => {
    for (const name of ['x', 'productName', 'a1', 'a_b', 'ÄÖÜ', '変数', 'x'.repeat(MAX_VARIABLE_NAME_LENGTH), '変'.repeat(80)]) {
      expect(variableNameProblem(name)).toBeNull();
    }
  });

  it('refuses names that are not identifiers, too long, empty or reserved', () => {
    for (const name of ['', '1a', '_a', 'a.b', 'x[2]', 'a-b', 'a b', '$a', 'x.$', 'x'.repeat(81), 'states']) {
      expect(variableNameProblem(name)).not.toBeNull();
    }
    expect(variableNameProblem('x'.repeat(81))).toContain('maximum length of a variable name is 80');
    expect(variableNameProblem('states')).toContain('reserved');
  });
});
