/**
 * Where the state under test runs: a throwaway run of the interpreter's own `Stepper` (so every data-flow rule is
 * the one executions use), with the request's variables and a context object that is either the one the request
 * gives (exactly that object, as `$$` and `$states.context`) or the one AWS makes up for TestState: an Express
 * execution of a made-up state machine, `State.Name` the tested state's name ("StateName" for a lone state) and
 * `State.RetryCount` the request's retrierRetryCount (0 by default). Map.Item and Task.Token are added where the
 * interpreter adds them.
 */
import type { Json, JsonObject } from '../json.js';
import type { ContextExtras } from '../interpreter/context-object.js';
import type { PathScope } from '../path/index.js';
import { newExecution } from '../interpreter/step.js';
import { Stepper } from '../interpreter/stepper.js';
import type { StateDataFlow } from '../interpreter/state-dataflow.js';
import type { Run } from '../interpreter/types.js';
import type { MachineNode, Program, StateNode } from '../model/nodes.js';
import { randomUuid } from '../random.js';
import type { TestStateEnv, TestStateRequest } from './types.js';

class TestStateStepper extends Stepper {
  constructor(
    program: Program,
    env: TestStateEnv,
    private readonly base: JsonObject,
  ) {
    super(program, newExecution(contextInfo(env, undefined), null), { now: env.now, random: env.random, newTaskToken: () => randomUuid(env.random) });
  }

  override context(_run: Run, extras: ContextExtras = {}): JsonObject {
    const ctx = structuredClone(this.base);
    if (extras.taskToken !== undefined) ctx.Task = { Token: extras.taskToken };
    if (extras.mapItem) ctx.Map = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } };
    return ctx;
  }
}

function contextInfo(env: TestStateEnv, roleArn: string | undefined) {
  const stateMachineArn = `arn:${env.partition}:states:${env.region}:${env.account}:stateMachine:${env.stateMachineName}`;
  return {
    executionArn: `arn:${env.partition}:states:${env.region}:${env.account}:express:${env.stateMachineName}:${env.executionName}`,
    executionName: env.executionName, stateMachineArn, stateMachineName: env.stateMachineName, roleArn: roleArn ?? '',
    startTime: new Date(env.now).toISOString(), region: env.region, partition: env.partition,
  };
}

/** The context object AWS makes up when the request gives none (keys in the order AWS shows them). */
function madeUpContext(req: TestStateRequest, env: TestStateEnv, stateName: string): JsonObject {
  const info = contextInfo(env, req.roleArn);
  return {
    Execution: {
      Id: info.executionArn, Input: req.input, Name: info.executionName,
      ...(req.roleArn !== undefined ? { RoleArn: req.roleArn } : {}), StartTime: info.startTime,
    },
    StateMachine: { Id: info.stateMachineArn, Name: info.stateMachineName },
    State: { Name: stateName, EnteredTime: info.startTime, RetryCount: req.stateConfiguration?.retrierRetryCount ?? 0 },
  };
}

export class TestStateContext {
  readonly run: Run;
  private readonly stepper: TestStateStepper;

  constructor(req: TestStateRequest, readonly env: TestStateEnv, program: Program, machine: MachineNode, node: StateNode) {
    this.stepper = new TestStateStepper(program, env, req.context ?? madeUpContext(req, env, node.name));
    this.run = {
      id: '0', machine: machine.id, lastEventId: 0, variables: { ...(req.variables as Record<string, Json> | undefined) }, state: node.name,
      phase: { kind: 'ready' }, stateInput: req.input, enteredEventId: 0, enteredTime: new Date(env.now).toISOString(),
      retryCounts: [],
    };
    this.stepper.doc.runs[this.run.id] = this.run;
  }

  get flow(): StateDataFlow {
    return this.stepper.flow;
  }

  scope(): Omit<PathScope, 'input'> {
    return this.stepper.flow.scope(this.run);
  }
}
