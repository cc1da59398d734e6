/**
 * Which state TestState runs. A definition is one state (AWS names it "StateName": its schema errors read
 * "at /States/StateName/...") or, with `stateName`, a whole state machine in which the state is looked up, also
 * inside Parallel branches and Map item processors ("State not found in definition" otherwise). A single state is
 * validated as a machine of its own; the states its Next, Default, Choices and Catch name are not part of the
 * test, so they stand in as Succeed states for validation only. Validation problems are InvalidDefinition, worded
 * as CreateStateMachine words them.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { compileDefinition } from '../model/compile.js';
import type { MachineNode, Program, StateNode } from '../model/nodes.js';
import { invalidDefinitionMessage, validateDefinition } from '../validate/index.js';
import { TestStateRefusal } from './types.js';

export const SINGLE_STATE_NAME = 'StateName';

export interface LocatedState {
  program: Program;
  machine: MachineNode;
  node: StateNode;
}

/** The names a state transitions to (Next, Default, Choices[].Next, Catch[].Next). */
function targets(state: JsonObject): string[] {
  const out: string[] = [];
  const add = (v: Json | undefined) => {
    if (typeof v === 'string') out.push(v);
  };
  add(state.Next);
  add(state.Default);
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) for (const item of list) if (isJsonObject(item)) add(item.Next);
  }
  return out;
}

function asMachine(definition: JsonObject, stateName: string | undefined): JsonObject {
  if (stateName !== undefined) return definition;
  const states: JsonObject = { [SINGLE_STATE_NAME]: definition };
  for (const target of targets(definition)) if (!(target in states)) states[target] = { Type: 'Succeed' };
  return { StartAt: SINGLE_STATE_NAME, States: states };
}

/**
 * The Resource of a state other than the one tested is never called: AWS's TestState accepts a Map whose item
 * processor names a placeholder Lambda ARN (recorded: `arn:aws:lambda:your-region:your-account-id:function:...`).
 */
function notRun(location: string | undefined, tested: string): boolean {
  return location !== undefined && location.endsWith('/Resource') && !location.endsWith(`/States/${tested}/Resource`);
}

export function locateTestState(definition: JsonObject, stateName: string | undefined): LocatedState {
  const machine = asMachine(definition, stateName);
  const name = stateName ?? SINGLE_STATE_NAME;
  const problems = validateDefinition(machine).filter((p) => p.severity === 'ERROR' && !notRun(p.location, name));
  if (problems.length > 0) throw new TestStateRefusal('InvalidDefinition', invalidDefinitionMessage(problems));
  const program = compileDefinition(machine);
  for (const m of program.machines.values()) {
    const node = m.states.get(name);
    if (node) return { program, machine: m, node };
  }
  throw new TestStateRefusal('ValidationException', 'State not found in definition');
}
