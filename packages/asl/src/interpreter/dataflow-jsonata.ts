/**
 * JSONata states' data flow (AWS "Transforming data with JSONata in Step Functions") and Assign in JSONPath states
 * ("Passing data between states with variables"). Same method shapes as the JSONPath side in state-dataflow.ts.
 *
 * - Every expression sees `$states` = {input, context} plus `result` (Task / Parallel / Map Output and Assign after
 *   success) or `errorOutput` (a catcher's Output and Assign), and the variables as they were on state entry.
 * - Arguments (Task, Parallel), Items / ItemSelector / MaxConcurrency / ToleratedFailure* (Map), Seconds /
 *   Timestamp (Wait), TimeoutSeconds / HeartbeatSeconds / Credentials (Task) and Error / Cause (Fail) are
 *   evaluated before the state's work; Output and Assign after it, both against the same `$states` (an Assign
 *   never changes what Output sees). Output defaults to the input (Pass, Choice, Wait, Succeed), the result
 *   (Task, Parallel, Map) or the error output (Catch).
 * - Choice: rules are tried in order; the first whose Condition is true wins. The state-level Assign applies
 *   whichever way the state leaves, a matching rule's Assign on top of it; a rule's Output replaces the state's.
 * - Catch: the state's own Output and Assign are skipped; the catcher's apply (field names "Catch[i]/Output",
 *   "Catch[i]/Assign").
 */
import type { Json, JsonObject } from '../json.js';
import { StatesError, errorOutputOf } from '../errors.js';
import { evaluateJsonataValue, type JsonataScope, type StatesBinding } from '../jsonata/index.js';
import { checkAssignSizes, evaluateAssign, variablesByteSize } from '../variables/index.js';
import type { Catcher, ChoiceNode, FailNode, MapNode, ParallelNode, PassNode, StateNode, SucceedNode, TaskNode, WaitNode } from '../model/nodes.js';
import type { ContextExtras } from './context-object.js';
import { arrayField, booleanField, numberField, stringField, timestampField } from './jsonata-fields.js';
import type { ChildrenPlan, StateOutput, TaskInput } from './state-dataflow.js';
import type { Stepper } from './stepper.js';
import { checkWaitDelay } from './timestamp.js';
import type { Run } from './types.js';

type Extra = Pick<StatesBinding, 'result' | 'errorOutput'>;

export class JsonataDataFlow {
  constructor(private readonly s: Stepper) {}

  /** What an expression of this state sees: `$states` (members present only where AWS provides them) and variables. */
  scope(run: Run, extras?: ContextExtras, extra: Extra = {}): JsonataScope {
    return {
      states: { input: run.stateInput, context: this.s.context(run, extras), ...extra },
      variables: run.variables,
      random: this.s.env.random,
      now: this.s.env.now,
      payloadBytes: this.s.limits.payloadBytes,
      ...(this.s.env.evaluationMemoryBytes !== undefined ? { memoryBytes: this.s.env.evaluationMemoryBytes } : {}),
      beforeEvaluate: (expression, location) => this.s.guard.expression(expression, location),
    };
  }

  private async assign(run: Run, assign: JsonObject | undefined, scope: JsonataScope, field: string): Promise<Record<string, Json> | undefined> {
    if (assign === undefined) return undefined;
    return evaluateAssign(assign, 'JSONata', scope, variablesByteSize(run.variables), field);
  }

  /** Assign, then Output (LocalStack's order; both see the same `$states`). */
  private async finish(
    run: Run,
    scope: JsonataScope,
    fallback: Json,
    fields: { assign: JsonObject | undefined; output: Json | undefined; prefix?: string },
  ): Promise<StateOutput> {
    const prefix = fields.prefix ?? '';
    const assigned = await this.assign(run, fields.assign, scope, `${prefix}Assign`);
    const output = fields.output === undefined ? fallback : await evaluateJsonataValue(fields.output, scope, `${prefix}Output`);
    return { output, ...(assigned !== undefined ? { assigned } : {}) };
  }

  async pass(run: Run, node: PassNode): Promise<StateOutput> {
    return this.finish(run, this.scope(run), run.stateInput, node);
  }

  async passThrough(run: Run, node: SucceedNode): Promise<StateOutput> {
    return this.finish(run, this.scope(run), run.stateInput, { assign: undefined, output: node.output });
  }

  async choice(run: Run, node: ChoiceNode): Promise<StateOutput & { next: string }> {
    const scope = this.scope(run);
    for (let i = 0; i < node.choices.length; i++) {
      const branch = node.choices[i]!;
      const field = `Choices[${i}]`;
      if (branch.rule.Condition === undefined) throw new StatesError('States.Runtime', `The Choice rule ${field} has no Condition.`);
      if (!(await booleanField(branch.rule.Condition, scope, `${field}/Condition`))) continue;
      const stateAssigned = await this.assign(run, node.assign, scope, 'Assign');
      const ruleAssigned = await this.assign(run, branch.assign, scope, `${field}/Assign`);
      const output = branch.output !== undefined
        ? await evaluateJsonataValue(branch.output, scope, `${field}/Output`)
        : node.output !== undefined ? await evaluateJsonataValue(node.output, scope, 'Output') : run.stateInput;
      const assigned = stateAssigned || ruleAssigned ? { ...stateAssigned, ...ruleAssigned } : undefined;
      if (assigned && stateAssigned && ruleAssigned) checkAssignSizes(assigned, run.variables, variablesByteSize(run.variables));
      return { output, next: branch.next, ...(assigned ? { assigned } : {}) };
    }
    if (node.default === undefined) throw new StatesError('States.NoChoiceMatched', 'No Matches!');
    return { ...(await this.finish(run, scope, run.stateInput, node)), next: node.default };
  }

  async wait(run: Run, node: WaitNode): Promise<StateOutput & { fireAt: number }> {
    const scope = this.scope(run);
    const now = this.s.env.now;
    let fireAt = now;
    if (node.seconds !== undefined) {
      fireAt = now + (await numberField(node.seconds, scope, 'Seconds', { integer: true, min: 0 })) * 1000;
    } else if (node.timestamp !== undefined) {
      fireAt = await timestampField(node.timestamp, scope);
    }
    checkWaitDelay(fireAt, now);
    return { ...(await this.finish(run, scope, run.stateInput, node)), fireAt };
  }

  async fail(run: Run, node: FailNode): Promise<{ error: string; cause?: string }> {
    const scope = this.scope(run);
    const error = node.error === undefined ? '' : await stringField(node.error, scope, 'Error');
    const cause = node.cause === undefined ? undefined : await stringField(node.cause, scope, 'Cause');
    return { error, ...(cause !== undefined ? { cause } : {}) };
  }

  async taskInput(run: Run, node: TaskNode, taskToken: string | undefined): Promise<TaskInput> {
    const scope = this.scope(run, taskToken !== undefined ? { taskToken } : {});
    const parameters = node.arguments === undefined ? run.stateInput : await evaluateJsonataValue(node.arguments, scope, 'Arguments');
    const seconds = (raw: Json | undefined, field: string) =>
      raw === undefined ? undefined : numberField(raw, scope, field, { integer: true, min: 1 });
    const timeoutSeconds = await seconds(node.timeoutSeconds, 'TimeoutSeconds');
    const heartbeatSeconds = await seconds(node.heartbeatSeconds, 'HeartbeatSeconds');
    const credentials = node.credentials === undefined ? undefined : await evaluateJsonataValue(node.credentials, scope, 'Credentials');
    return {
      effectiveInput: run.stateInput,
      parameters,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
    };
  }

  /** Output and Assign of a Task result or a Parallel / Map result array (`$states.result`). */
  async taskOutput(run: Run, node: TaskNode | ParallelNode | MapNode, _effectiveInput: Json, result: Json): Promise<StateOutput> {
    return this.finish(run, this.scope(run, undefined, { result }), result, node);
  }

  /** A caught error: the catcher's Output (default: the error output `{Error, Cause}`) and Assign. */
  async caught(run: Run, node: StateNode, catcher: Catcher, err: StatesError): Promise<StateOutput> {
    const errorOutput: JsonObject = errorOutputOf(err);
    const index = 'catch' in node ? node.catch.indexOf(catcher) : 0;
    const scope = this.scope(run, undefined, { errorOutput });
    return this.finish(run, scope, errorOutput, { assign: catcher.assign, output: catcher.output, prefix: `Catch[${index}]/` });
  }

  async parallelInput(run: Run, node: ParallelNode): Promise<ChildrenPlan> {
    const branchInput = node.arguments === undefined ? run.stateInput : await evaluateJsonataValue(node.arguments, this.scope(run), 'Arguments');
    return { effectiveInput: run.stateInput, branchInput };
  }

  async mapInput(run: Run, node: MapNode, withoutItems = false): Promise<ChildrenPlan> {
    const scope = this.scope(run);
    let items: Json[];
    if (withoutItems) items = [];
    else if (node.items !== undefined) items = await arrayField(node.items, scope, 'Items');
    else if (Array.isArray(run.stateInput)) items = run.stateInput;
    else throw new StatesError('States.Runtime', `The Map state input must be an array when Items is not given: ${JSON.stringify(run.stateInput)}`);
    return { effectiveInput: run.stateInput, items, ...(await this.mapLimits(run, node)) };
  }

  async mapLimits(run: Run, node: MapNode): Promise<Omit<ChildrenPlan, 'effectiveInput' | 'items' | 'branchInput'>> {
    const scope = this.scope(run);
    const plan: Omit<ChildrenPlan, 'effectiveInput' | 'items' | 'branchInput'> = {};
    if (node.maxConcurrency !== undefined) {
      plan.maxConcurrency = await numberField(node.maxConcurrency, scope, 'MaxConcurrency', { integer: true, min: 0 });
    }
    if (node.toleratedFailureCount !== undefined) {
      plan.toleratedFailureCount = await numberField(node.toleratedFailureCount, scope, 'ToleratedFailureCount', { integer: true, min: 0 });
    }
    if (node.toleratedFailurePercentage !== undefined) {
      plan.toleratedFailurePercentage = await numberField(node.toleratedFailurePercentage, scope, 'ToleratedFailurePercentage', {
        integer: false, min: 0, max: 100,
      });
    }
    return plan;
  }

  /** One iteration's input: ItemSelector (seeing `$states.context.Map.Item`), else the item itself. */
  async mapItemInput(run: Run, node: MapNode, _effective: Json, item: Json, index: number): Promise<Json> {
    if (node.itemSelector === undefined) return item;
    return evaluateJsonataValue(node.itemSelector, this.scope(run, { mapItem: { index, value: item } }), 'ItemSelector');
  }

  /**
   * Assign in a JSONPath state: `assign` (default: the state's own Assign) evaluated with `$` = `result` when
   * given (the state's result, or a catcher's error output), else `input` (Choice, Wait: the effective input).
   * Returns `{ assigned }` or `{}` when there is nothing to assign.
   */
  async assignJsonPath(run: Run, node: StateNode, input: Json, result: Json | undefined, assign = node.assign): Promise<{ assigned?: Record<string, Json> }> {
    if (assign === undefined) return {};
    const scope: JsonataScope = {
      states: { input, context: this.s.context(run), ...(result !== undefined ? { result } : {}) },
      variables: run.variables,
      random: this.s.env.random,
      now: this.s.env.now,
      payloadBytes: this.s.limits.payloadBytes,
      beforeEvaluate: (expression, location) => this.s.guard.expression(expression, location),
    };
    return { assigned: await evaluateAssign(assign, 'JSONPath', scope, variablesByteSize(run.variables)) };
  }
}
