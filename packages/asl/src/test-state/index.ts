/**
 * TestState, pure: `testState(request, env)` runs one state of a definition and answers as AWS's TestState API
 * does, or asks the engine to make the real call of a Task tested without a mock (`{kind: 'invoke'}`); the engine
 * then calls it again with the call's outcome. Refusals throw `TestStateRefusal` (the API error code and message).
 */
import { checkRequest, checkState } from './checks.js';
import { TestStateEvaluation } from './evaluate.js';
import { locateTestState } from './locate.js';
import type { TestStateEnv, TestStateRequest, TestStateStep } from './types.js';

export async function testState(req: TestStateRequest, env: TestStateEnv): Promise<TestStateStep> {
  checkRequest(req);
  const { program, machine, node } = locateTestState(req.definition, req.stateName);
  checkState(req, program, node);
  return new TestStateEvaluation(req, env, program, machine, node).run();
}

export { locateTestState, SINGLE_STATE_NAME } from './locate.js';
export { testStateJson } from './json-text.js';
export * from './types.js';
