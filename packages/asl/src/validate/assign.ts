/**
 * `Assign` (AWS developer guide, "Passing data between states with variables"): an object whose keys name
 * workflow variables. A name follows the Unicode identifier rules (ID_Start or `_`, then ID_Continue), so it never
 * starts with `$`, and `states` is reserved (`$states`). In JSONPath states a key ending in `.$` takes a path or an
 * intrinsic call; in JSONata states any value may hold `{% %}` expressions. The wording of the two name messages
 * is ours: no AWS record of it was found.
 */
import type { Json } from '../json.js';
import type { Report } from './diagnostics.js';
import { checkJsonataValue, type JsonataScope } from './jsonata-check.js';
import type { QueryLanguage } from './context.js';
import { checkPayloadTemplate } from './paths.js';
import { checkObject } from './value-checks.js';

const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
const RESERVED = new Set(['states']);

export function checkAssign(
  report: Report,
  value: Json | undefined,
  location: string,
  language: QueryLanguage,
  scope: JsonataScope,
): void {
  if (!checkObject(report, value, location)) return;
  for (const key of Object.keys(value)) {
    const name = language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
    if (RESERVED.has(name)) report.schema(`The variable name '${name}' is reserved`, location);
    else if (!VARIABLE_NAME.test(name)) report.schema(`The variable name '${name}' is not a valid variable name`, location);
  }
  if (language === 'JSONPath') checkPayloadTemplate(report, value, location);
  else checkJsonataValue(report, value, location, scope);
}
