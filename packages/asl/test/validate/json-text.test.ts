import { describe, expect, it } from 'vitest';
import { parseDefinitionText } from '../../src/validate/json-text.js';
import { validateDefinition } from '../../src/validate/index.js';
import { problems } from './helpers.js';

describe('definition given as JSON text', () => {
  it('reports a bad token the way Jackson words it, with its location', () => {
    expect(validateDefinition('not a definition')).toEqual([
      {
        severity: 'ERROR',
        code: 'INVALID_JSON_DESCRIPTION',
        message:
          "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, column: 4]",
        location: '[Source: (String)"not a definition"; line: 1, column: 4]',
      },
    ]);
  });

  it('says a blank text is not a JSON object, without a location', () => {
    expect(validateDefinition(' ')).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' },
    ]);
  });

  it('says a JSON value that is not an object is not a definition', () => {
    expect(problems('[1, 2]')).toEqual([['SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object', undefined]]);
    expect(problems(42)).toEqual([['SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object', undefined]]);
  });

  it('counts lines and columns and names the missing close marker', () => {
    const parsed = parseDefinitionText('{\n  "StartAt": "A"');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.message).toBe(
      'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{\n  "StartAt": "A""; line: 1, column: 1])\n at [Source: (String)"{\n  "StartAt": "A""; line: 2, column: 17]',
    );
  });

  it('reports an unexpected character with its code', () => {
    const parsed = parseDefinitionText('{"a" 1}');
    expect(parsed.ok ? undefined : parsed.message).toBe(
      "Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value\n at [Source: (String)\"{\"a\" 1}\"; line: 1, column: 7]",
    );
    const trailingComma = parseDefinitionText('{"a": 1,}');
    expect(trailingComma.ok ? undefined : trailingComma.message).toMatch(/^Unexpected character \('}' \(code 125\)\): was expecting double-quote to start field name/);
  });

  it('parses valid text to the same value as JSON.parse, and ignores content after the value', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u0041\\n"], "b": {}}';
    const parsed = parseDefinitionText(text);
    expect(parsed).toEqual({ ok: true, value: JSON.parse(text) });
    expect(parseDefinitionText('{"a": 1} trailing')).toEqual({ ok: true, value: { a: 1 } });
  });

  it('validates a valid definition text like its parsed value', () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Missing' } } };
    expect(validateDefinition(JSON.stringify(def))).toEqual(validateDefinition(def));
    expect(validateDefinition(JSON.stringify(def)).length).toBeGreaterThan(0);
  });
});
