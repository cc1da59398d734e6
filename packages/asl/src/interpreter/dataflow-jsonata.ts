/**
 * JSONata states' data flow (Arguments, Output, Assign, Condition, Items, ...) and Assign in JSONPath states.
 * Same method shapes as the JSONPath side in state-dataflow.ts.
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import type { Catcher, ChoiceNode, FailNode, MapNode, ParallelNode, PassNode, StateNode, SucceedNode, TaskNode, WaitNode } from '../model/nodes.js';
import type { ChildrenPlan, StateOutput, TaskInput } from './state-dataflow.js';
import type { Stepper } from './stepper.js';
import type { Run } from './types.js';

function unsupported(): never {
  throw new StatesError('States.Runtime', 'QueryLanguage JSONata is not supported yet');
}

export class JsonataDataFlow {
  constructor(private readonly s: Stepper) {}

  async pass(_run: Run, _node: PassNode): Promise<StateOutput> {
    return unsupported();
  }
  async passThrough(_run: Run, _node: SucceedNode): Promise<StateOutput> {
    return unsupported();
  }
  async choice(_run: Run, _node: ChoiceNode): Promise<StateOutput & { next: string }> {
    return unsupported();
  }
  async wait(_run: Run, _node: WaitNode): Promise<StateOutput & { fireAt: number }> {
    return unsupported();
  }
  async fail(_run: Run, _node: FailNode): Promise<{ error: string; cause?: string }> {
    return unsupported();
  }
  async taskInput(_run: Run, _node: TaskNode, _taskToken: string | undefined): Promise<TaskInput> {
    return unsupported();
  }
  async taskOutput(_run: Run, _node: TaskNode | ParallelNode | MapNode, _effectiveInput: Json, _result: Json): Promise<StateOutput> {
    return unsupported();
  }
  async caught(_run: Run, _node: StateNode, _catcher: Catcher, _err: StatesError): Promise<StateOutput> {
    return unsupported();
  }
  async parallelInput(_run: Run, _node: ParallelNode): Promise<ChildrenPlan> {
    return unsupported();
  }
  async mapInput(_run: Run, _node: MapNode): Promise<ChildrenPlan> {
    return unsupported();
  }
  async mapItemInput(_run: Run, _node: MapNode, _effective: Json, _item: Json, _index: number): Promise<Json> {
    return unsupported();
  }
  /**
   * Assign in a JSONPath state: `assign` (default: the state's own Assign) evaluated against the state input and,
   * where AWS allows it, the result. Returns `{ assigned }` or `{}` when there is nothing to assign.
   */
  async assignJsonPath(_run: Run, node: StateNode, _input: Json, _result: Json | undefined, assign = node.assign): Promise<{ assigned?: Record<string, Json> }> {
    if (assign === undefined) return {};
    void this.s;
    return unsupported();
  }
}
