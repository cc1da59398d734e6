/**
 * AWS "Assign field in ASL" and "Evaluation order in an assign field": every value is computed first, with the
 * variables as they were on state entry (an Assign never sees its own assignments), then all are assigned at once
 * and become visible from the next state. JSONata mode: values may be `{% %}` expressions (failures name the field
 * "Assign/<name>"). JSONPath mode: keys ending in ".$" take a path, a variable path, a context path or an intrinsic
 * call, like a payload template; `$` is the state's result (Task, Map, Parallel, Pass), the effective input (Choice,
 * Wait) or the error output (Catch).
 */
import { StatesError } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import { isJsonObject } from '../json.js';
import { evaluateJsonataValue } from '../jsonata/index.js';
import type { JsonataScope } from '../jsonata/index.js';
import { resolvePayloadTemplate } from '../path/index.js';
import { checkAssignSizes } from './limits.js';
import { variableNameProblem } from './names.js';

async function evaluateJsonata(assign: JsonObject, scope: JsonataScope, field: string): Promise<[string, Json][]> {
  const entries: [string, Json][] = [];
  for (const [name, value] of Object.entries(assign)) {
    entries.push([name, await evaluateJsonataValue(value, scope, `${field}/${name}`)]);
  }
  return entries;
}

function evaluateJsonPath(assign: JsonObject, scope: JsonataScope): [string, Json][] {
  const { states } = scope;
  const document = states.errorOutput !== undefined ? states.errorOutput : states.result !== undefined ? states.result : states.input;
  const resolved = resolvePayloadTemplate(assign, {
    input: document,
    context: states.context,
    variables: scope.variables,
    random: scope.random,
  });
  if (!isJsonObject(resolved)) throw new StatesError('States.Runtime', 'The Assign field did not resolve to an object.');
  return Object.entries(resolved);
}

/**
 * Evaluates an Assign block and returns the new variables (the caller merges them into the scope after the state).
 * `field` is the location prefix for JSONata causes: "Assign", or e.g. "Catch[0]/Assign" for a catcher's Assign.
 * Throws QueryEvaluationError (JSONata), the path module's StatesError (JSONPath), States.Runtime for an invalid
 * variable name, States.DataLimitExceeded for the size limits.
 */
export async function evaluateAssign(
  assign: JsonObject,
  mode: 'JSONata' | 'JSONPath',
  scope: JsonataScope,
  currentTotalBytes: number,
  field = 'Assign',
): Promise<Record<string, Json>> {
  const entries = mode === 'JSONata' ? await evaluateJsonata(assign, scope, field) : evaluateJsonPath(assign, scope);
  for (const [name] of entries) {
    const problem = variableNameProblem(name);
    if (problem !== null) throw new StatesError('States.Runtime', problem);
  }
  const assigned = Object.fromEntries(entries) as Record<string, Json>;
  checkAssignSizes(assigned, scope.variables, currentTotalBytes);
  return assigned;
}
