/**
 * The shapes of TestState (AWS API reference "TestState"; developer guide "Testing state machines with TestState
 * API"), as the interpreter sees them: JSON already parsed, the mock already checked against the service's model
 * by the engine. Refusals are data too (`TestStateRefusal`): the engine turns them into API errors.
 */
import type { Json, JsonObject } from '../json.js';
import type { TaskPattern } from '../interpreter/types.js';

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';
export type TestExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';
export type MockValidationMode = 'STRICT' | 'PRESENT' | 'NONE';

export interface TestStateMock {
  /** The mocked result, parsed (`mock.result` is JSON text on the wire). */
  result?: Json;
  errorOutput?: { error?: string; cause?: string };
}

export interface TestStateConfiguration {
  retrierRetryCount?: number;
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  /** What a Distributed Map's ItemReader would have read, parsed. */
  mapItemReaderData?: Json;
}

/** The outcome of the real call of a Task under test (no mock): the engine made it through its task invoker. */
export type TestStateTaskOutcome = { kind: 'succeeded'; output: Json } | { kind: 'failed'; error: string; cause?: string };

export interface TestStateRequest {
  /** The definition: one state, or a whole state machine when `stateName` is given. */
  definition: JsonObject;
  stateName?: string;
  input: Json;
  inspectionLevel: InspectionLevel;
  roleArn?: string;
  mock?: TestStateMock;
  /** The context object (`$$` / `$states.context`), when the caller gives one (only with a mock). */
  context?: JsonObject;
  variables?: JsonObject;
  stateConfiguration?: TestStateConfiguration;
  /** Set on the second call for a Task tested without a mock: what the real call answered. */
  taskOutcome?: TestStateTaskOutcome;
}

export interface TestStateEnv {
  now: number;
  random: import('../random.js').RandomSource;
  /** Names for the context object TestState makes up when none is given (AWS runs the state in a throwaway Express execution). */
  executionName: string;
  stateMachineName: string;
  account: string;
  region: string;
  partition: string;
}

export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

/** InspectionData as the SDK spells it; payloads are JSON text. */
export interface InspectionData {
  input?: string;
  afterArguments?: string;
  afterInputPath?: string;
  afterParameters?: string;
  afterItemsPath?: string;
  afterItemSelector?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  variables?: string;
  errorDetails?: InspectionErrorDetails;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export interface TestStateResponse {
  output?: string;
  error?: string;
  cause?: string;
  inspectionData?: InspectionData;
  nextState?: string;
  status: TestExecutionStatus;
}

/** The call the engine must make for a Task tested without a mock; it then calls `testState` again with `taskOutcome`. */
export interface TestStateTaskCall {
  resource: string;
  pattern: TaskPattern;
  stateName: string;
  parameters: Json;
  credentials?: Json;
  timeoutSeconds?: number;
  attempt: number;
}

export type TestStateStep = { kind: 'done'; response: TestStateResponse } | { kind: 'invoke'; task: TestStateTaskCall };

/** A request TestState refuses, with the API error code and AWS's message where AWS's is known. */
export class TestStateRefusal extends Error {
  constructor(
    readonly code: 'ValidationException' | 'InvalidDefinition',
    message: string,
  ) {
    super(message);
    this.name = 'TestStateRefusal';
  }
}
