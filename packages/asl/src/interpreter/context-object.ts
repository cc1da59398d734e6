/**
 * The context object (`$$`): Execution, State, StateMachine, and where AWS provides them Task.Token and
 * Map.Item. (AWS: "Accessing execution data from the Context object".)
 */
import type { Json, JsonObject } from '../json.js';
import type { ExecutionDoc, Run } from './types.js';

export interface ContextExtras {
  taskToken?: string;
  mapItem?: { index: number; value: Json };
}

/** `State.RetryCount` is present only in the context of states that retry (AWS shows it for Task states). */
export function contextObject(doc: ExecutionDoc, run: Run, stateName: string, extras: ContextExtras = {}, withRetryCount = false): JsonObject {
  const c = doc.context;
  const retryCount = run.retryCounts.reduce((a, b) => a + b, 0);
  const ctx: JsonObject = {
    Execution: {
      Id: c.executionArn,
      Input: doc.input,
      Name: c.executionName,
      RoleArn: c.roleArn,
      StartTime: c.startTime,
      RedriveCount: c.redriveCount ?? 0,
      ...(c.redriveTime !== undefined ? { RedriveTime: c.redriveTime } : {}),
    },
    State: { EnteredTime: run.enteredTime, Name: stateName, ...(withRetryCount ? { RetryCount: retryCount } : {}) },
    StateMachine: { Id: c.stateMachineArn, Name: c.stateMachineName },
  };
  if (extras.taskToken !== undefined) ctx.Task = { Token: extras.taskToken };
  if (extras.mapItem) ctx.Map = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value } };
  return ctx;
}
