/** The shapes of TestState as `@aws-sdk/client-sfn` spells them (API reference "TestState"). */

export type InspectionLevel = 'INFO' | 'DEBUG' | 'TRACE';
export type MockResponseValidationMode = 'STRICT' | 'PRESENT' | 'NONE';
export type TestExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'RETRIABLE' | 'CAUGHT_ERROR';

export interface MockErrorOutput {
  error?: string;
  cause?: string;
}

export interface MockInput {
  result?: string;
  errorOutput?: MockErrorOutput;
  fieldValidationMode?: MockResponseValidationMode;
}

export interface TestStateConfiguration {
  retrierRetryCount?: number;
  errorCausedByState?: string;
  mapIterationFailureCount?: number;
  mapItemReaderData?: string;
}

export interface TestStateInput {
  definition: string;
  roleArn?: string;
  input?: string;
  inspectionLevel?: InspectionLevel;
  revealSecrets?: boolean;
  variables?: string;
  stateName?: string;
  mock?: MockInput;
  context?: string;
  stateConfiguration?: TestStateConfiguration;
}

export interface InspectionErrorDetails {
  catchIndex?: number;
  retryIndex?: number;
  retryBackoffIntervalSeconds?: number;
}

export interface InspectionData {
  input?: string;
  afterArguments?: string;
  afterInputPath?: string;
  afterParameters?: string;
  result?: string;
  afterResultSelector?: string;
  afterResultPath?: string;
  variables?: string;
  errorDetails?: InspectionErrorDetails;
  afterItemsPath?: string;
  afterItemSelector?: string;
  maxConcurrency?: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
}

export interface TestStateOutput {
  output?: string;
  error?: string;
  cause?: string;
  inspectionData?: InspectionData;
  nextState?: string;
  status?: TestExecutionStatus;
}

export interface TestStateActionShapes {
  TestState: [TestStateInput, TestStateOutput];
}

/** Optional: a backend without it (the API layer's test backend) answers TestState with UnknownOperationException. */
export interface TestStateBackend {
  testState?(input: TestStateInput): Promise<TestStateOutput>;
}
