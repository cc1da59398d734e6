/**
 * How TestState writes JSON: AWS's TestState answers separate array elements (and object members) with ", " and
 * keys from values with ": " (recorded: `"[1, 4, 9]"`, afterItemsPath `["first", "second", "third"]`), unlike
 * execution outputs, which are compact. Strings, numbers and literals are written as JSON.stringify writes them.
 */
import type { Json } from '../json.js';

export function testStateJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(testStateJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${testStateJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}
