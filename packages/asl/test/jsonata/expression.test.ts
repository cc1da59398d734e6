import { describe, expect, it } from 'vitest';
import { isJsonataExpression, jsonataExpressionBody } from '../../src/jsonata/index.js';

describe('isJsonataExpression', () => {
  it('accepts a string that starts with {% and ends with %}', () => {
    expect(isJsonataExpression('{% $states.input %}')).toBe(true);
    expect(isJsonataExpression('{%$x%}')).toBe(true);
  });

  it('rejects leading or trailing spaces, partial delimiters and non-strings', () => {
    expect(isJsonataExpression(' {% $x %}')).toBe(false);
    expect(isJsonataExpression('{% $x %} ')).toBe(false);
    expect(isJsonataExpression('{% $x')).toBe(false);
    expect(isJsonataExpression('$states.input')).toBe(false);
    expect(isJsonataExpression('{%}')).toBe(false);
    expect(isJsonataExpression(42)).toBe(false);
    expect(isJsonataExpression(null)).toBe(false);
  });

  it('gives the body trimmed, as AWS quotes it', () => {
    expect(jsonataExpressionBody('{% $doesNotExist %}')).toBe('$doesNotExist');
    expect(jsonataExpressionBody('{%  $a + 1\n%}')).toBe('$a + 1');
  });
});
