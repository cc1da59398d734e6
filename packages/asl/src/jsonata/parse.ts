/**
 * `$parse(jsonString)`: deserializes a JSON string; Step Functions' replacement for `$eval`, which it disables.
 * Recorded on AWS: `$parse("-0")` is 0, `$parse("\"HelloWorld\"")` is "HelloWorld", objects and arrays parse.
 * Text that is not JSON (including the empty string) is a D3137 "Invalid JSON" error.
 */
import { rejectSurplus, signatureError, valueError } from './function-arguments.js';

export function parse(...args: unknown[]): unknown {
  rejectSurplus('parse', args, 1);
  const [text] = args;
  if (text === undefined) return undefined;
  if (typeof text !== 'string') throw signatureError('parse', 1);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw valueError('Invalid JSON');
  }
}
