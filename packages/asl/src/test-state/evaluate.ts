/**
 * TestState's run of one state (AWS "Testing state machines with TestState API"): the state's data flow as an
 * execution would run it (the same `StateDataFlow` the stepper uses), recording the intermediate values the
 * inspection levels show, then Retry / Catch as TestState reports them instead of acting on them:
 * - SUCCEEDED with the output and `nextState`; FAILED with error and cause;
 * - RETRIABLE when a retrier matches and `stateConfiguration.retrierRetryCount` is below its MaxAttempts
 *   (`errorDetails.retryIndex` and the backoff the next attempt would wait, without jitter);
 * - CAUGHT_ERROR when a catcher matches (`errorDetails.catchIndex`, the catcher's output and Next).
 * What the recordings show of each state type (test-state-cases.jsonl): JSONPath states show afterInputPath,
 * afterParameters, result, afterResultSelector, afterResultPath as they apply (a Pass with Result skips InputPath
 * and Parameters; a Parallel shows only its result stages; a Map its InputPath, ItemsPath and limits), JSONata
 * states only their input (a Task also afterArguments and result; a Map its limits). A Task, Map or Parallel
 * takes a mock; a Task without one is run for real by the engine (`invoke`) and its outcome fed back.
 * A Wait state does not wait. No history is recorded; nothing here does I/O.
 */
import type { Json } from '../json.js';
import { StatesError, matchesErrorEquals } from '../errors.js';
import type { MachineNode, MapNode, ParallelNode, Program, StateNode, TaskNode } from '../model/nodes.js';
import { parseResource } from '../interpreter/resource.js';
import { inputPathStage, outputPathStage, resultPathStage, templateStage } from '../interpreter/dataflow-jsonpath.js';
import { retryDelayMs } from '../interpreter/retry-delay.js';
import type { StateOutput } from '../interpreter/state-dataflow.js';
import { randomUuid } from '../random.js';
import { TestStateContext } from './context.js';
import { testStateJson } from './json-text.js';
import {
  TestStateRefusal, type InspectionData, type TestStateEnv, type TestStateRequest, type TestStateResponse, type TestStateStep, type TestStateTaskCall,
} from './types.js';

const JSON_TEXT_FIELDS = [
  'input', 'afterArguments', 'afterInputPath', 'afterParameters', 'afterItemsPath', 'afterItemSelector', 'result', 'afterResultSelector', 'afterResultPath',
] as const;
type Stage = (typeof JSON_TEXT_FIELDS)[number];

class NeedsInvocation {
  constructor(readonly task: TestStateTaskCall) {}
}

export class TestStateEvaluation {
  private readonly stages = new Map<Stage, Json>();
  private readonly numbers: Pick<InspectionData, 'maxConcurrency' | 'toleratedFailureCount' | 'toleratedFailurePercentage'> = {};
  private readonly ctx: TestStateContext;

  constructor(
    private readonly req: TestStateRequest,
    env: TestStateEnv,
    program: Program,
    machine: MachineNode,
    private readonly node: StateNode,
  ) {
    this.ctx = new TestStateContext(req, env, program, machine, node);
  }

  private get jsonPath(): boolean {
    return this.node.queryLanguage === 'JSONPath';
  }

  async run(): Promise<TestStateStep> {
    this.stages.set('input', this.req.input);
    try {
      const out = await this.evaluate();
      const next = out.next ?? (this.node.kind === 'Succeed' || this.node.end ? undefined : this.node.next);
      return this.done({ status: 'SUCCEEDED', output: testStateJson(out.output), ...(next !== undefined ? { nextState: next } : {}) }, out.assigned);
    } catch (e) {
      if (e instanceof NeedsInvocation) return { kind: 'invoke', task: e.task };
      if (e instanceof StatesError) return this.failed(e);
      throw e;
    }
  }

  private done(response: TestStateResponse, assigned?: Record<string, Json>, errorDetails?: InspectionData['errorDetails']): TestStateStep {
    if (this.req.inspectionLevel === 'INFO') return { kind: 'done', response };
    const data: InspectionData = {};
    for (const field of JSON_TEXT_FIELDS) if (this.stages.has(field)) data[field] = testStateJson(this.stages.get(field)!);
    Object.assign(data, this.numbers);
    if (this.req.variables !== undefined || (assigned && Object.keys(assigned).length > 0)) {
      data.variables = testStateJson({ ...this.req.variables, ...assigned });
    }
    if (errorDetails) data.errorDetails = errorDetails;
    return { kind: 'done', response: { ...response, inspectionData: data } };
  }

  private async evaluate(): Promise<StateOutput> {
    const { node, ctx } = this;
    const flow = ctx.flow;
    const run = ctx.run;
    switch (node.kind) {
      case 'Pass': {
        if (!this.jsonPath) return flow.pass(run, node);
        if (node.hasResult) return this.resultStages(node, this.record('result', node.result as Json));
        const parameters = templateStage(node.parameters, this.inputPath(), ctx.scope());
        return this.resultStages(node, this.record('afterParameters', parameters));
      }
      case 'Succeed':
        if (this.jsonPath) this.inputPath();
        return flow.passThrough(run, node);
      case 'Choice':
        if (this.jsonPath) this.inputPath();
        return flow.choice(run, node);
      case 'Wait': {
        if (this.jsonPath) this.inputPath();
        const { output, assigned } = await flow.wait(run, node);
        return { output, ...(assigned ? { assigned } : {}) };
      }
      case 'Fail': {
        if (this.jsonPath) this.inputPath();
        const { error, cause } = await flow.fail(run, node);
        throw new FailStateError(error, cause);
      }
      case 'Task':
        return this.task(node);
      case 'Parallel':
        return this.resultOf(node, this.mockResult());
      case 'Map':
        return this.map(node);
      default: {
        const never: never = node;
        throw new Error(`unknown node ${JSON.stringify(never)}`);
      }
    }
  }

  private record(stage: Stage, value: Json): Json {
    this.stages.set(stage, value);
    return value;
  }

  private inputPath(): Json {
    return this.record('afterInputPath', inputPathStage(this.node.inputPath, this.req.input, this.ctx.scope()));
  }

  /** The mocked result; a mocked error is the state's error. */
  private mockResult(): Json {
    const mock = this.req.mock!;
    if (mock.errorOutput) throw new StatesError(mock.errorOutput.error ?? '', mock.errorOutput.cause);
    return mock.result as Json;
  }

  private async task(node: TaskNode): Promise<StateOutput> {
    const r = parseResource(node.resource);
    const token = r.pattern === 'waitForTaskToken' ? randomUuid(this.ctx.env.random) : undefined;
    const prepared = await this.ctx.flow.taskInput(this.ctx.run, node, token);
    if (this.jsonPath) {
      this.record('afterInputPath', prepared.effectiveInput);
      this.record('afterParameters', prepared.parameters);
    } else if (node.arguments !== undefined) {
      this.record('afterArguments', prepared.parameters);
    }
    let result: Json;
    const outcome = this.req.taskOutcome;
    if (this.req.mock) result = this.mockResult();
    else if (outcome?.kind === 'succeeded') result = outcome.output;
    else if (outcome?.kind === 'failed') throw new StatesError(outcome.error, outcome.cause);
    else {
      throw new NeedsInvocation({
        resource: node.resource, pattern: r.pattern, stateName: node.name, parameters: prepared.parameters,
        attempt: this.req.stateConfiguration?.retrierRetryCount ?? 0,
        ...(prepared.credentials !== undefined ? { credentials: prepared.credentials } : {}),
        ...(prepared.timeoutSeconds !== undefined ? { timeoutSeconds: prepared.timeoutSeconds } : {}),
      });
    }
    this.record('result', result);
    return this.resultOf(node, result);
  }

  private async map(node: MapNode): Promise<StateOutput> {
    const { flow, run } = this.ctx;
    const effective = this.jsonPath ? this.inputPath() : this.req.input;
    let items: Json[];
    if (node.itemReader !== undefined) {
      const read = this.req.stateConfiguration?.mapItemReaderData;
      if (read === undefined) {
        throw new TestStateRefusal('ValidationException', 'Baton tests a Map state with an ItemReader only with stateConfiguration.mapItemReaderData (it does not read the source).');
      }
      if (!Array.isArray(read)) throw new TestStateRefusal('ValidationException', 'Baton needs mapItemReaderData to be a JSON array of the items read.');
      items = read;
    } else {
      items = (await flow.mapInput(run, node)).items!;
      if (this.jsonPath) this.record('afterItemsPath', items);
    }
    const limits = await flow.mapLimits(run, node, effective);
    this.numbers.maxConcurrency = limits.maxConcurrency ?? 0;
    if (limits.toleratedFailureCount !== undefined) this.numbers.toleratedFailureCount = limits.toleratedFailureCount;
    if (limits.toleratedFailurePercentage !== undefined) this.numbers.toleratedFailurePercentage = limits.toleratedFailurePercentage;
    if (limits.limitsError) throw limits.limitsError;
    if (node.itemSelector !== undefined) {
      const selected: Json[] = [];
      for (let i = 0; i < items.length; i++) selected.push(await flow.mapItemInput(run, node, effective, items[i]!, i));
      this.record('afterItemSelector', selected);
    }
    const failures = this.req.stateConfiguration?.mapIterationFailureCount;
    if (failures !== undefined && failures > items.length) {
      throw new TestStateRefusal('ValidationException', 'Map iteration failure count must be less than or equal to the number of Map iterations');
    }
    const result = this.mockResult();
    if (failures !== undefined && exceedsTolerance(failures, items.length, limits)) {
      throw new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded');
    }
    return this.resultOf(node, result);
  }

  /** A Task, Parallel or Map result through the state's output data flow. */
  private async resultOf(node: TaskNode | ParallelNode | MapNode, result: Json): Promise<StateOutput> {
    if (!this.jsonPath) return this.ctx.flow.taskOutput(this.ctx.run, node, null, result);
    const selected = templateStage(node.resultSelector, result, this.ctx.scope());
    return this.resultStages(node, selected);
  }

  /** ResultPath onto the raw input, then OutputPath; Assign sees the (selected) result. */
  private async resultStages(node: StateNode, selected: Json): Promise<StateOutput> {
    this.record('afterResultSelector', selected);
    const merged = this.record('afterResultPath', resultPathStage(this.req.input, node.resultPath, selected));
    const output = outputPathStage(node.outputPath, merged, this.ctx.scope());
    return { output, ...(await this.ctx.flow.jsonata.assignJsonPath(this.ctx.run, node, this.req.input, selected)) };
  }

  private async failed(err: StatesError): Promise<TestStateStep> {
    const node = this.node;
    const failure = { ...(err.error !== '' ? { error: err.error } : {}), ...(err.cause !== undefined ? { cause: err.cause } : {}) };
    const retryable = !(err instanceof FailStateError) && err.error !== 'States.Runtime' && err.error !== 'States.DataLimitExceeded';
    if (!retryable || !('retry' in node)) return this.done({ status: 'FAILED', ...failure });
    const retryIndex = node.retry.findIndex((r) => matchesErrorEquals(r.errorEquals, err.error));
    const retrier = node.retry[retryIndex];
    const attempts = this.req.stateConfiguration?.retrierRetryCount ?? 0;
    if (retrier && attempts < retrier.maxAttempts) {
      const backoff = retryDelayMs({ ...retrier, jitter: 'NONE' }, attempts + 1, this.ctx.env.random) / 1000;
      return this.done({ status: 'RETRIABLE', ...failure }, undefined, { retryBackoffIntervalSeconds: Math.round(backoff), retryIndex });
    }
    const catchIndex = node.catch.findIndex((c) => matchesErrorEquals(c.errorEquals, err.error));
    const catcher = node.catch[catchIndex];
    if (!catcher) return this.done({ status: 'FAILED', ...failure });
    try {
      const { output, assigned } = await this.ctx.flow.caught(this.ctx.run, node, catcher, err);
      return this.done({ status: 'CAUGHT_ERROR', ...failure, output: testStateJson(output), nextState: catcher.next }, assigned, { catchIndex });
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      return this.done({ status: 'FAILED', ...(e.error !== '' ? { error: e.error } : {}), ...(e.cause !== undefined ? { cause: e.cause } : {}) });
    }
  }
}

/** A Fail state's error: final, never retried or caught. */
class FailStateError extends StatesError {}

/** Without ToleratedFailure* the recorded TestState answers ignore the failure count; with them, both thresholds must be exceeded. */
function exceedsTolerance(failures: number, total: number, limits: { toleratedFailureCount?: number; toleratedFailurePercentage?: number }): boolean {
  const { toleratedFailureCount: count, toleratedFailurePercentage: pct } = limits;
  if (count === undefined && pct === undefined) return false;
  if (count !== undefined && failures <= count) return false;
  if (pct !== undefined && total > 0 && (failures / total) * 100 <= pct) return false;
  return failures > 0;
}

