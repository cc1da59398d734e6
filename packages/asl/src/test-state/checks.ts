/**
 * The request rules TestState applies before it runs anything, with AWS's messages where they were recorded
 * (validation-cases.jsonl): which state types take a mock and which need one, the mock's shape for Parallel and
 * Map states, the members that only make sense with a mock, and the context object's fields.
 * Messages marked "(Baton)" were not recorded from AWS; they follow the recorded ones' wording.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { parseResource } from '../interpreter/resource.js';
import type { MachineNode, Program, StateNode } from '../model/nodes.js';
import { TestStateRefusal, type TestStateRequest } from './types.js';

const refuse = (message: string) => new TestStateRefusal('ValidationException', message);

/** Rules that need no definition. */
export function checkRequest(req: TestStateRequest): void {
  const mock = req.mock;
  if (mock && mock.result !== undefined && mock.errorOutput !== undefined) {
    throw refuse('A mock can specify either a result or an errorOutput, not both.'); // (Baton)
  }
  if (mock?.errorOutput !== undefined && mock.errorOutput.error === undefined) {
    // API reference "MockErrorOutput": error "is required if mock.errorOutput is specified".
    throw refuse('mock.errorOutput.error is required when mock.errorOutput is specified.'); // (Baton)
  }
  if (!mock && req.stateConfiguration?.mapIterationFailureCount !== undefined) {
    throw refuse('TestState does not support MapIterationFailureCount when a mock is not specified.');
  }
  if (!mock && req.context !== undefined) {
    throw refuse('TestState does not support Context when a mock is not specified.'); // (Baton)
  }
  if (req.context !== undefined) checkContext(req.context);
}

/** Rules about the state under test and its mock. */
export function checkState(req: TestStateRequest, program: Program, node: StateNode): void {
  const mock = req.mock;
  if (mock) {
    if (node.kind !== 'Task' && node.kind !== 'Map' && node.kind !== 'Parallel') {
      throw refuse(`State type '${node.kind}' is not supported when a mock is specified`);
    }
    if (mock.result !== undefined) checkMockShape(node, mock.result);
  } else {
    if (node.kind === 'Map' || node.kind === 'Parallel') {
      throw new TestStateRefusal(
        'InvalidDefinition',
        'TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]',
      );
    }
    if (node.kind === 'Task') checkRealTask(req, node.resource);
  }
  const causedBy = req.stateConfiguration?.errorCausedByState;
  if (causedBy !== undefined) checkErrorCausedByState(program, node, causedBy);
}

function checkMockShape(node: StateNode, result: Json): void {
  if (node.kind === 'Parallel') {
    if (!Array.isArray(result)) throw refuse('Mocked result must be an array.');
    if (result.length !== node.branches.length) {
      throw refuse('Mocked result must contain the same number of items as number of Parallel branches.');
    }
  } else if (node.kind === 'Map') {
    if (node.resultWriter !== undefined && !isJsonObject(result)) throw refuse('Mocked result must be a JSON object.');
    if (node.resultWriter === undefined && !Array.isArray(result)) throw refuse('Mocked result must be an array.');
  }
}

/** A Task run for real: what AWS runs only with a mock (activities, .sync, callbacks) is refused, and the role is required. */
function checkRealTask(req: TestStateRequest, resource: string): void {
  const r = parseResource(resource);
  const unsupported = r.family === 'activity' ? 'Activity tasks' : r.pattern === 'sync' || r.pattern === 'sync:2' ? '.sync service integration patterns'
    : r.pattern === 'waitForTaskToken' ? '.waitForTaskToken service integration patterns' : undefined;
  if (unsupported !== undefined) {
    throw new TestStateRefusal('InvalidDefinition', `TestState API supports ${unsupported} only when a mock is specified.`); // (Baton)
  }
  if (req.roleArn === undefined) throw refuse('RoleArn must be specified when testing a Task state');
}

function statesWithin(program: Program, node: StateNode): string[] {
  const ids = node.kind === 'Map' ? [node.processor] : node.kind === 'Parallel' ? node.branches : [];
  const names: string[] = [];
  const visit = (id: string) => {
    const machine: MachineNode | undefined = program.machines.get(id);
    if (!machine) return;
    for (const child of machine.states.values()) {
      names.push(child.name);
      if (child.kind === 'Map') visit(child.processor);
      if (child.kind === 'Parallel') child.branches.forEach(visit);
    }
  };
  ids.forEach(visit);
  return names;
}

function checkErrorCausedByState(program: Program, node: StateNode, name: string): void {
  if (node.kind !== 'Map' && node.kind !== 'Parallel') {
    throw refuse('TestState supports ErrorCausedByState only for Map and Parallel states.'); // (Baton)
  }
  if (!statesWithin(program, node).includes(name)) {
    throw refuse(`ErrorCausedByState '${name}' is not a state of the Map or Parallel state under test.`); // (Baton)
  }
}

/** The context object's schema (AWS "Accessing execution data from the Context object"), as TestState checks it. */
const CONTEXT_FIELDS: Record<string, Record<string, 'string' | 'number' | 'any'>> = {
  Execution: { Id: 'string', Input: 'any', Name: 'string', RoleArn: 'string', StartTime: 'string', RedriveCount: 'number', RedriveTime: 'string' },
  State: { EnteredTime: 'string', Name: 'string', RetryCount: 'number' },
  StateMachine: { Id: 'string', Name: 'string' },
  Task: { Token: 'string' },
};

function checkContext(context: JsonObject): void {
  const invalid = (what: string) => refuse(`Invalid Context object provided: ${what}`);
  for (const [section, value] of Object.entries(context)) {
    if (section === 'Map') throw invalid("'Map' field is not supported when mocking a Context object");
    const fields = CONTEXT_FIELDS[section];
    if (!fields) throw invalid(`Field '${section}' is not allowed`);
    if (!isJsonObject(value)) throw invalid(`${section} must be an object`); // (Baton)
    for (const [field, v] of Object.entries(value)) {
      const type = fields[field];
      if (!type) throw invalid(`Field '${field}' is not allowed`);
      if (type !== 'any' && typeof v !== type) throw invalid(`${section}.${field} must be a ${type}`);
    }
  }
}
