/**
 * What each state type computes from its input, per query language: the JSONPath pipeline
 * (InputPath, Parameters, ResultSelector, ResultPath, OutputPath) and, for JSONata states, Arguments / Output.
 * The stepper decides when; this module decides what.
 */
import type { Json, JsonObject } from '../json.js';
import { StatesError, errorOutputOf } from '../errors.js';
import { evaluateChoiceRule } from '../choice/index.js';
import { evaluateIntrinsic, isIntrinsicCall } from '../intrinsics/index.js';
import { queryPath, selectFieldPath, selectPath, type PathScope } from '../path/index.js';
import type { Catcher, ChoiceNode, FailNode, MapNode, ParallelNode, PassNode, StateNode, SucceedNode, TaskNode, WaitNode } from '../model/nodes.js';
import type { ContextExtras } from './context-object.js';
import { inputPathStage, outputPathStage, resultPathStage, templateStage } from './dataflow-jsonpath.js';
import { checkWaitDelay, parseIsoTimestamp } from './timestamp.js';
import type { Run } from './types.js';
import type { Stepper } from './stepper.js';
import { JsonataDataFlow } from './dataflow-jsonata.js';

export interface StateOutput {
  output: Json;
  assigned?: Record<string, Json>;
  next?: string;
}

export interface TaskInput {
  effectiveInput: Json;
  parameters: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  credentials?: Json;
}

export interface ChildrenPlan {
  effectiveInput: Json;
  branchInput?: Json;
  items?: Json[];
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  /** A Map's MaxConcurrency / ToleratedFailure* evaluation failed: AWS raises it after MapStateStarted. */
  limitsError?: StatesError;
}

export class StateDataFlow {
  readonly jsonata: JsonataDataFlow;

  constructor(private readonly s: Stepper) {
    this.jsonata = new JsonataDataFlow(s);
  }

  scope(run: Run, extras?: ContextExtras): Omit<PathScope, 'input'> {
    return { context: this.s.context(run, extras), variables: run.variables, random: this.s.env.random };
  }

  async pass(run: Run, node: PassNode): Promise<StateOutput> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.pass(run, node);
    const scope = this.scope(run);
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    const result = node.hasResult ? (node.result as Json) : templateStage(node.parameters, effective, scope);
    const output = outputPathStage(node.outputPath, resultPathStage(run.stateInput, node.resultPath, result), scope);
    return { output, ...(await this.jsonata.assignJsonPath(run, node, run.stateInput, result)) };
  }

  async passThrough(run: Run, node: SucceedNode): Promise<StateOutput> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.passThrough(run, node);
    const scope = this.scope(run);
    return { output: outputPathStage(node.outputPath, inputPathStage(node.inputPath, run.stateInput, scope), scope) };
  }

  async choice(run: Run, node: ChoiceNode): Promise<StateOutput & { next: string }> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.choice(run, node);
    const scope = this.scope(run);
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    const query = (path: string) => queryPath(path, { ...scope, input: effective });
    const output = outputPathStage(node.outputPath, effective, scope);
    // The state's Assign applies whichever rule matches ("regardless of which choice rule matches"); a matched
    // rule's own Assign is layered on top.
    const stateAssigned = (await this.jsonata.assignJsonPath(run, node, effective, undefined)).assigned;
    for (const branch of node.choices) {
      if (evaluateChoiceRule(branch.rule, query)) {
        const ruleAssigned = (await this.jsonata.assignJsonPath(run, node, effective, undefined, branch.assign)).assigned;
        const assigned = stateAssigned || ruleAssigned ? { ...stateAssigned, ...ruleAssigned } : undefined;
        return { output, next: branch.next, ...(assigned ? { assigned } : {}) };
      }
    }
    if (node.default === undefined) {
      throw new StatesError('States.NoChoiceMatched', `No Matches!`);
    }
    return { output, next: node.default, ...(stateAssigned ? { assigned: stateAssigned } : {}) };
  }

  async wait(run: Run, node: WaitNode): Promise<StateOutput & { fireAt: number }> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.wait(run, node);
    const scope = this.scope(run);
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    let fireAt: number;
    if (typeof node.seconds === 'number') {
      fireAt = this.s.env.now + node.seconds * 1000;
    } else if (node.secondsPath !== undefined) {
      const value = selectFieldPath(node.secondsPath, 'SecondsPath', { ...scope, input: effective });
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new StatesError('States.Runtime', `The SecondsPath parameter cannot be parsed as a long value: ${node.secondsPath} == ${display(value)}`);
      }
      if (value < 0) throw new StatesError('States.Runtime', `The SecondsPath parameter references a negative value: ${node.secondsPath} == ${value}`);
      fireAt = this.s.env.now + value * 1000;
    } else if (typeof node.timestamp === 'string') {
      fireAt = parseIsoTimestamp(node.timestamp) ?? this.s.env.now;
    } else if (node.timestampPath !== undefined) {
      const value = selectFieldPath(node.timestampPath, 'TimestampPath', { ...scope, input: effective });
      const parsed = typeof value === 'string' ? parseIsoTimestamp(value) : undefined;
      if (parsed === undefined) {
        throw new StatesError(
          'States.Runtime',
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${node.timestampPath} == ${display(value)}`,
        );
      }
      fireAt = parsed;
    } else {
      fireAt = this.s.env.now;
    }
    checkWaitDelay(fireAt, this.s.env.now);
    const output = outputPathStage(node.outputPath, effective, scope);
    return { output, fireAt, ...(await this.jsonata.assignJsonPath(run, node, effective, undefined)) };
  }

  async fail(run: Run, node: FailNode): Promise<{ error: string; cause?: string }> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.fail(run, node);
    const scope = this.scope(run);
    const field = (value: Json | undefined, path: string | undefined, name: string): string | undefined => {
      if (path !== undefined) {
        const v = isIntrinsicCall(path) ? evaluateIntrinsic(path, { ...scope, input: run.stateInput }) : selectFieldPath(path, name, { ...scope, input: run.stateInput });
        return typeof v === 'string' ? v : JSON.stringify(v);
      }
      return typeof value === 'string' ? value : undefined;
    };
    const error = field(node.error, node.errorPath, 'ErrorPath');
    const cause = field(node.cause, node.causePath, 'CausePath');
    return { error: error ?? '', ...(cause !== undefined ? { cause } : {}) };
  }

  async taskInput(run: Run, node: TaskNode, taskToken: string | undefined): Promise<TaskInput> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.taskInput(run, node, taskToken);
    const scope = this.scope(run, taskToken !== undefined ? { taskToken } : {});
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    const parameters = templateStage(node.parameters, effective, scope);
    const timeoutSeconds = this.secondsField(node.timeoutSeconds, node.timeoutSecondsPath, effective, scope);
    const heartbeatSeconds = this.secondsField(node.heartbeatSeconds, node.heartbeatSecondsPath, effective, scope);
    const credentials = node.credentials === undefined ? undefined : templateStage(node.credentials, effective, scope);
    return {
      effectiveInput: effective,
      parameters,
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      ...(credentials !== undefined ? { credentials } : {}),
    };
  }

  private secondsField(fixed: Json | undefined, path: string | undefined, effective: Json, scope: Omit<PathScope, 'input'>): number | undefined {
    if (typeof fixed === 'number') return fixed;
    if (path === undefined) return undefined;
    const value = selectPath(path, { ...scope, input: effective });
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
      throw new StatesError('States.Runtime', `The value of ${path} must be a positive integer: ${display(value)}`);
    }
    return value;
  }

  /** ResultSelector -> ResultPath -> OutputPath for Task results and Parallel / Map result arrays. */
  async taskOutput(run: Run, node: TaskNode | ParallelNode | MapNode, effectiveInput: Json, result: Json): Promise<StateOutput> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.taskOutput(run, node, effectiveInput, result);
    const scope = this.scope(run);
    const selected = templateStage(node.resultSelector, result, scope);
    const merged = resultPathStage(run.stateInput, node.resultPath, selected);
    const output = outputPathStage(node.outputPath, merged, scope);
    return { output, ...(await this.jsonata.assignJsonPath(run, node, run.stateInput, selected)) };
  }

  /** Catch: the error output `{Error, Cause}` placed by the catcher's ResultPath onto the raw state input. */
  async caught(run: Run, node: StateNode, catcher: Catcher, err: StatesError): Promise<StateOutput> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.caught(run, node, catcher, err);
    const errorOutput: JsonObject = errorOutputOf(err);
    const output = resultPathStage(run.stateInput, catcher.resultPath, errorOutput);
    return { output, ...(await this.jsonata.assignJsonPath(run, node, run.stateInput, errorOutput, catcher.assign)) };
  }

  async parallelInput(run: Run, node: ParallelNode): Promise<ChildrenPlan> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.parallelInput(run, node);
    const scope = this.scope(run);
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    return { effectiveInput: effective, branchInput: templateStage(node.parameters, effective, scope) };
  }

  /** `withoutItems`: a Distributed Map with an ItemReader, whose items do not come from the input. */
  async mapInput(run: Run, node: MapNode, withoutItems = false): Promise<ChildrenPlan> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.mapInput(run, node, withoutItems);
    const scope = this.scope(run);
    const effective = inputPathStage(node.inputPath, run.stateInput, scope);
    let items: Json = withoutItems ? [] : effective;
    if (node.itemsPath !== undefined && !withoutItems) {
      items = selectPath(node.itemsPath, { ...scope, input: effective });
    }
    if (!Array.isArray(items)) {
      // AWS's words (recorded through TestState): a context path is shown relative to the context object.
      const shown = (node.itemsPath ?? '$').replace(/^\$\$/, '$');
      throw new StatesError('States.Runtime', `Reference path "${shown}" must point to array.`);
    }
    return { effectiveInput: effective, items, ...(await this.mapLimits(run, node, effective)) };
  }

  /**
   * MaxConcurrency (evaluated before the Map starts: its error is thrown) and ToleratedFailure* (evaluated once it
   * has started: AWS raises their error after MapStateStarted, so it is returned as `limitsError`).
   */
  async mapLimits(run: Run, node: MapNode, effective: Json): Promise<Omit<ChildrenPlan, 'effectiveInput' | 'items' | 'branchInput'>> {
    if (node.queryLanguage === 'JSONata') return this.jsonata.mapLimits(run, node);
    const scope = this.scope(run);
    const maxConcurrency = this.mapMaxConcurrency(node, effective, scope);
    try {
      return { ...maxConcurrency, ...this.mapTolerance(node, effective, scope) };
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      return { ...maxConcurrency, limitsError: e };
    }
  }

  private readPath(path: string, effective: Json, scope: Omit<PathScope, 'input'>): Json {
    return selectPath(path, { ...scope, input: effective });
  }

  /** MaxConcurrency / MaxConcurrencyPath: evaluated before the Map starts. */
  private mapMaxConcurrency(node: MapNode, effective: Json, scope: Omit<PathScope, 'input'>): Pick<ChildrenPlan, 'maxConcurrency'> {
    if (typeof node.maxConcurrency === 'number') return { maxConcurrency: node.maxConcurrency };
    if (node.maxConcurrencyPath === undefined) return {};
    const v = this.readPath(node.maxConcurrencyPath, effective, scope);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new StatesError('States.Runtime', `The MaxConcurrencyPath field refers to value "${display(v)}" which is not a valid integer: ${node.maxConcurrencyPath}`);
    }
    return { maxConcurrency: v };
  }

  /** ToleratedFailureCount / ToleratedFailurePercentage (and their paths): evaluated once the Map has started. */
  private mapTolerance(node: MapNode, effective: Json, scope: Omit<PathScope, 'input'>): Pick<ChildrenPlan, 'toleratedFailureCount' | 'toleratedFailurePercentage'> {
    const out: Pick<ChildrenPlan, 'toleratedFailureCount' | 'toleratedFailurePercentage'> = {};
    const read = (path: string): Json => this.readPath(path, effective, scope);
    if (typeof node.toleratedFailureCount === 'number') out.toleratedFailureCount = node.toleratedFailureCount;
    else if (node.toleratedFailureCountPath !== undefined) {
      const v = read(node.toleratedFailureCountPath);
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new StatesError('States.Runtime', `The ToleratedFailureCountPath field refers to value "${display(v)}" which is not a valid integer: ${node.toleratedFailureCountPath}`);
      }
      if (v < 0) throw new StatesError('States.Runtime', 'ToleratedFailureCount cannot be negative.');
      out.toleratedFailureCount = v;
    }
    if (typeof node.toleratedFailurePercentage === 'number') out.toleratedFailurePercentage = node.toleratedFailurePercentage;
    else if (node.toleratedFailurePercentagePath !== undefined) {
      const v = read(node.toleratedFailurePercentagePath);
      if (typeof v !== 'number') {
        throw new StatesError('States.Runtime', `The ToleratedFailurePercentagePath field refers to value "${display(v)}" which is not a valid float: ${node.toleratedFailurePercentagePath}`);
      }
      out.toleratedFailurePercentage = v;
    }
    if (out.toleratedFailurePercentage !== undefined && (out.toleratedFailurePercentage < 0 || out.toleratedFailurePercentage > 100)) {
      throw new StatesError('States.Runtime', 'ToleratedFailurePercentage must be between 0 and 100.');
    }
    return out;
  }

  /** One Map iteration's input: ItemSelector (or legacy Parameters) with `$$.Map.Item`, else the item itself. */
  async mapItemInput(run: Run, node: MapNode, effective: Json, item: Json, index: number): Promise<Json> {
    this.s.guard.state(node);
    if (node.queryLanguage === 'JSONata') return this.jsonata.mapItemInput(run, node, effective, item, index);
    if (node.itemSelector === undefined) return item;
    return templateStage(node.itemSelector, effective, this.scope(run, { mapItem: { index, value: item } }));
  }
}

function display(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
