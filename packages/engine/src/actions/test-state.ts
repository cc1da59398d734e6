/**
 * TestState (API reference "TestState"; developer guide "Testing state machines with TestState API"). The state
 * runs in @baton/asl's pure `testState`, called from one place (`evaluate`) through the engine's evaluator, so it
 * runs under the same evaluation budgets as a step, off the API's event loop: a state over the time or memory
 * budget answers FAILED with the error AWS raises for a failed evaluation (States.QueryEvaluationError in
 * JSONata, States.Runtime otherwise) and a cause naming the budget. This module parses the request's JSON members, checks a mocked Task result
 * against the model of the call it stands for (through the task invoker's `checkMockResult`), and makes the real
 * call of a Task tested without a mock, through the same task invoker executions use (as AWS calls the service
 * with the request's role), within TestState's five minutes (States.Timeout beyond). The request's roleArn is required
 * for that, as AWS requires it, and shows in the context object; the call itself is signed as Baton's executions sign
 * theirs (the invoker's credentials, or the role of the Task's `Credentials`): Baton does not assume a state
 * machine's role for its executions either.
 *
 * What Baton refuses, clearly: a mocked Task result it cannot check against a model unless fieldValidationMode is
 * NONE; TRACE on an HTTP Task without a mock (Baton does not report the raw HTTP request and response); a Map with
 * an ItemReader without stateConfiguration.mapItemReaderData (Baton does not read the source for TestState).
 */
import { randomUUID } from 'node:crypto';
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import {
  TestStateRefusal, invalidDefinitionMessage, isJsonObject, locateTestState, parseResource, validateDefinition,
  type Json, type JsonObject, type TestStateRequest, type TestStateResponse, type TestStateStep, type TestStateTaskCall, type TestStateTaskOutcome,
} from '@baton/asl';
import { randomBytes } from 'node:crypto';
import type { FailureReason } from '../evaluation/evaluator.js';
import { failureDetail } from '../evaluation/safe-step.js';
import type { ActionContext } from './context.js';

/** AWS: "The TestState API can run for up to five minutes." */
const TEST_STATE_LIMIT_MS = 5 * 60 * 1000;

const validation = (message: string) => new ApiError('ValidationException', message);

function parseJson(text: string, onError: () => ApiError): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw onError();
  }
}

function definitionOf(text: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (!isJsonObject(value as Json)) throw new ApiError('InvalidDefinition', invalidDefinitionMessage(validateDefinition(text)));
  return value as JsonObject;
}

/** The request's JSON text members, parsed, in the interpreter's shape. */
function parseRequest(input: api.TestStateInput): TestStateRequest {
  const mock = input.mock;
  if (mock && input.revealSecrets === true) throw validation('TestState does not support RevealSecrets when a mock is specified.');
  const sc = input.stateConfiguration;
  const variables = input.variables === undefined ? undefined : parseJson(input.variables, () => validation('Variables must be a JSON object.'));
  if (variables !== undefined && !isJsonObject(variables)) throw validation('Variables must be a JSON object.');
  const context = input.context === undefined ? undefined : parseJson(input.context, () => validation('Invalid Context object provided: not valid JSON'));
  if (context !== undefined && !isJsonObject(context)) throw validation('Invalid Context object provided: it must be a JSON object');
  return {
    definition: definitionOf(input.definition),
    input: parseJson(input.input ?? '{}', () => new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: the input is not valid JSON')),
    inspectionLevel: input.inspectionLevel ?? 'INFO',
    ...(input.stateName !== undefined ? { stateName: input.stateName } : {}),
    ...(input.roleArn !== undefined ? { roleArn: input.roleArn } : {}),
    ...(variables !== undefined ? { variables } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(mock
      ? {
          mock: {
            ...(mock.result !== undefined ? { result: parseJson(mock.result, () => validation('Mocked result must be valid JSON')) } : {}),
            ...(mock.errorOutput !== undefined ? { errorOutput: mock.errorOutput } : {}),
          },
        }
      : {}),
    ...(sc
      ? {
          stateConfiguration: {
            ...(sc.retrierRetryCount !== undefined ? { retrierRetryCount: sc.retrierRetryCount } : {}),
            ...(sc.errorCausedByState !== undefined ? { errorCausedByState: sc.errorCausedByState } : {}),
            ...(sc.mapIterationFailureCount !== undefined ? { mapIterationFailureCount: sc.mapIterationFailureCount } : {}),
            ...(sc.mapItemReaderData !== undefined
              ? { mapItemReaderData: parseJson(sc.mapItemReaderData, () => validation('mapItemReaderData must be valid JSON')) }
              : {}),
          },
        }
      : {}),
  };
}

export async function testStateAction(ctx: ActionContext, input: api.TestStateInput): Promise<api.TestStateOutput> {
  const req = parseRequest(input);
  // AWS runs the state in a throwaway Express execution of a throwaway state machine; these name them.
  const names: Names = { executionName: randomUUID(), stateMachineName: `TestState-${randomUUID()}` };
  try {
    preflight(ctx, req, input.mock?.fieldValidationMode ?? 'STRICT');
    let step = await evaluate(ctx, req, names);
    if (step.kind === 'invoke') step = await evaluate(ctx, { ...req, taskOutcome: await callTask(ctx, names, step.task) }, names);
    if (step.kind === 'invoke') throw new Error('TestState asked twice for the same task call');
    return step.response;
  } catch (e) {
    if (e instanceof TestStateRefusal) throw new ApiError(e.code, e.message);
    throw e;
  }
}

interface Names {
  executionName: string;
  stateMachineName: string;
}

/** The one place the engine runs TestState's evaluation: pure, in the evaluator, under the budgets. */
async function evaluate(ctx: ActionContext, req: TestStateRequest, names: Names): Promise<TestStateStep> {
  const o = ctx.rt.options;
  const outcome = await ctx.rt.evaluator.testState({
    request: req, now: ctx.rt.clock.now(), seed: randomBytes(32), account: o.account, region: o.region, partition: o.partition,
    executionName: names.executionName, stateMachineName: names.stateMachineName,
  });
  switch (outcome.kind) {
    case 'evaluated':
      return outcome.step;
    case 'refused':
      throw new TestStateRefusal(outcome.code, outcome.message);
    case 'failed':
      return { kind: 'done', response: overBudget(ctx, req, outcome.reason, outcome.message) };
    default: {
      const never: never = outcome;
      throw new Error(`unknown TestState outcome ${JSON.stringify(never)}`);
    }
  }
}

/** The state failed its evaluation (a budget, a crash of its thread): as a step would fail it. */
function overBudget(ctx: ActionContext, req: TestStateRequest, reason: FailureReason, message: string): TestStateResponse {
  const { node } = locateTestState(req.definition, req.stateName);
  return {
    status: 'FAILED',
    error: node.queryLanguage === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime',
    cause: failureDetail({ kind: 'failed', reason, message, ordinal: 0 }, ctx.rt.evaluator.budgets),
  };
}

/** What needs the world outside the interpreter: the mock's check against its model, and what Baton cannot show. */
function preflight(ctx: ActionContext, req: TestStateRequest, mode: api.MockResponseValidationMode): void {
  const { node } = locateTestState(req.definition, req.stateName);
  if (node.kind !== 'Task') return;
  if (!req.mock && req.inspectionLevel === 'TRACE' && parseResource(node.resource).resourceType === 'http') {
    throw validation('Baton does not report the raw HTTP request and response of an HTTP Task (inspectionLevel TRACE); test it at DEBUG or with a mock.');
  }
  const result = req.mock?.result;
  if (result === undefined || mode === 'NONE') return;
  const check = ctx.rt.invoker?.checkMockResult?.(node.resource, result, mode) ?? { kind: 'noModel', reason: 'Baton has no task invoker configured' };
  switch (check.kind) {
    case 'valid':
      return;
    case 'invalid':
      throw validation(`Mock result schema validation error: ${check.message}`);
    case 'noModel':
      throw validation(`${check.reason}, so it cannot check a mocked result in ${mode} mode; set mock.fieldValidationMode to NONE.`);
    default: {
      const never: never = check;
      throw new Error(`unknown mock check ${JSON.stringify(never)}`);
    }
  }
}

/** The real call of the Task under test, through the engine's task invoker (what executions use). */
async function callTask(ctx: ActionContext, names: Names, task: TestStateTaskCall): Promise<TestStateTaskOutcome> {
  const invoker = ctx.rt.invoker;
  if (!invoker) return { kind: 'failed', error: 'States.TaskFailed', cause: `Resource ${task.resource} cannot run here: Baton has no task invoker configured.` };
  const o = ctx.rt.options;
  const limitMs = Math.min(TEST_STATE_LIMIT_MS, (task.timeoutSeconds ?? Infinity) * 1000);
  const signal = AbortSignal.timeout(limitMs);
  const stateMachineArn = api.stateMachineArn(ctx.scope, names.stateMachineName);
  try {
    const r = await invoker.invoke({
      executionArn: `arn:${o.partition}:states:${o.region}:${o.account}:express:${names.stateMachineName}:${names.executionName}`,
      stateMachineArn, stateName: task.stateName, taskId: `test-state-${randomUUID()}`, resource: task.resource,
      pattern: task.pattern, parameters: task.parameters, attempt: task.attempt, region: o.region,
      ...(task.credentials !== undefined ? { credentials: task.credentials } : {}),
      ...(task.timeoutSeconds !== undefined ? { timeoutSeconds: task.timeoutSeconds } : {}),
    }, signal);
    switch (r.kind) {
      case 'succeeded':
        return { kind: 'succeeded', output: r.output };
      case 'failed':
        return { kind: 'failed', error: r.error, ...(r.cause !== undefined ? { cause: r.cause } : {}) };
      case 'submitted':
      case 'poll':
        return { kind: 'failed', error: 'States.Runtime', cause: `TestState ran ${task.resource} as a request-response call, which answered ${r.kind}.` };
      default: {
        const never: never = r;
        throw new Error(`unknown task result ${JSON.stringify(never)}`);
      }
    }
  } catch (e) {
    if (signal.aborted) return { kind: 'failed', error: 'States.Timeout', cause: `The state did not finish within ${limitMs / 1000} seconds.` };
    throw e;
  }
}
