/**
 * The Step Functions API actions Baton supports, with their request and response shapes as the AWS SDK
 * (`@aws-sdk/client-sfn`) spells them: camelCase members, timestamps as `Date`, enums as string unions.
 * Only the members Baton honours are listed; the API layer rejects or ignores the rest as AWS documents.
 */
import type { TestStateActionShapes, TestStateBackend } from './test-state.js';
import type { VersionAliasActionShapes, VersionAliasBackend } from './versions.js';

/** Every action Baton answers, by its AWS name (the suffix of `X-Amz-Target: AWSStepFunctions.<Action>`). */
export const SFN_ACTIONS = [
  'CreateStateMachine',
  'DescribeStateMachine',
  'UpdateStateMachine',
  'DeleteStateMachine',
  'ListStateMachines',
  'DescribeStateMachineForExecution',
  'ValidateStateMachineDefinition',
  'StartExecution',
  'StartSyncExecution',
  'DescribeExecution',
  'StopExecution',
  'RedriveExecution',
  'GetExecutionHistory',
  'ListExecutions',
  'SendTaskSuccess',
  'SendTaskFailure',
  'SendTaskHeartbeat',
  'CreateActivity',
  'DescribeActivity',
  'DeleteActivity',
  'ListActivities',
  'GetActivityTask',
  'TagResource',
  'UntagResource',
  'ListTagsForResource',
  'PublishStateMachineVersion',
  'ListStateMachineVersions',
  'DeleteStateMachineVersion',
  'CreateStateMachineAlias',
  'DescribeStateMachineAlias',
  'UpdateStateMachineAlias',
  'DeleteStateMachineAlias',
  'ListStateMachineAliases',
  'ListMapRuns',
  'DescribeMapRun',
  'UpdateMapRun',
  'TestState',
] as const;

export type SfnAction = (typeof SFN_ACTIONS)[number];

export function isSfnAction(name: string): name is SfnAction {
  return (SFN_ACTIONS as readonly string[]).includes(name);
}

/** `CreateStateMachine` -> `createStateMachine`: the backend method that serves an action. */
export type SfnMethod<A extends SfnAction = SfnAction> = Uncapitalize<A>;

export function methodOf<A extends SfnAction>(action: A): SfnMethod<A> {
  return (action.charAt(0).toLowerCase() + action.slice(1)) as SfnMethod<A>;
}

// ---------------------------------------------------------------------------------------------------------
// Enums

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type StateMachineStatus = 'ACTIVE' | 'DELETING';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
export type SyncExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
export type IncludedData = 'ALL_DATA' | 'METADATA_ONLY';
export type ValidateDefinitionResultCode = 'OK' | 'FAIL';
export type ValidateDefinitionSeverity = 'ERROR' | 'WARNING';

export const STATE_MACHINE_TYPES: readonly StateMachineType[] = ['STANDARD', 'EXPRESS'];
export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
];
export const LOG_LEVELS: readonly LogLevel[] = ['ALL', 'ERROR', 'FATAL', 'OFF'];
export const INCLUDED_DATA: readonly IncludedData[] = ['ALL_DATA', 'METADATA_ONLY'];
export const VALIDATE_SEVERITIES: readonly ValidateDefinitionSeverity[] = ['ERROR', 'WARNING'];

export const HISTORY_EVENT_TYPES = [
  'ActivityFailed', 'ActivityScheduleFailed', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded',
  'ActivityTimedOut', 'ChoiceStateEntered', 'ChoiceStateExited', 'EvaluationFailed', 'ExecutionAborted',
  'ExecutionFailed', 'ExecutionRedriven', 'ExecutionStarted', 'ExecutionSucceeded', 'ExecutionTimedOut',
  'FailStateEntered', 'LambdaFunctionFailed', 'LambdaFunctionScheduleFailed', 'LambdaFunctionScheduled',
  'LambdaFunctionStartFailed', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'LambdaFunctionTimedOut',
  'MapIterationAborted', 'MapIterationFailed', 'MapIterationStarted', 'MapIterationSucceeded', 'MapRunAborted',
  'MapRunFailed', 'MapRunRedriven', 'MapRunStarted', 'MapRunSucceeded', 'MapStateAborted', 'MapStateEntered',
  'MapStateExited', 'MapStateFailed', 'MapStateStarted', 'MapStateSucceeded', 'ParallelStateAborted',
  'ParallelStateEntered', 'ParallelStateExited', 'ParallelStateFailed', 'ParallelStateStarted',
  'ParallelStateSucceeded', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited',
  'TaskFailed', 'TaskScheduled', 'TaskStartFailed', 'TaskStarted', 'TaskStateAborted', 'TaskStateEntered',
  'TaskStateExited', 'TaskSubmitFailed', 'TaskSubmitted', 'TaskSucceeded', 'TaskTimedOut', 'WaitStateAborted',
  'WaitStateEntered', 'WaitStateExited',
] as const;
export type HistoryEventType = (typeof HISTORY_EVENT_TYPES)[number];

// ---------------------------------------------------------------------------------------------------------
// Shared shapes

export interface Tag {
  key?: string;
  value?: string;
}

export interface LogDestination {
  cloudWatchLogsLogGroup?: { logGroupArn?: string };
}

export interface LoggingConfiguration {
  level?: LogLevel;
  includeExecutionData?: boolean;
  destinations?: LogDestination[];
}

export interface TracingConfiguration {
  enabled?: boolean;
}

export type EncryptionType = 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KMS_KEY';

/** Baton encrypts with no key of the customer's: only `AWS_OWNED_KEY` is accepted (the API refuses the other). */
export interface EncryptionConfiguration {
  type: EncryptionType;
  kmsKeyId?: string;
  kmsDataKeyReusePeriodSeconds?: number;
}

/** `inputDetails` / `outputDetails`: whether the payload was included (false when omitted, e.g. METADATA_ONLY). */
export interface CloudWatchEventsExecutionDataDetails {
  included?: boolean;
}

export interface StateMachineListItem {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  creationDate: Date;
}

export interface ExecutionListItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  /** Set when the execution was started through a version or an alias (ListExecutions returns them). */
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  redriveCount?: number;
  redriveDate?: Date;
  /** Children of a Map Run (ListExecutions with mapRunArn): the Map Run, and how many items the child processed. */
  mapRunArn?: string;
  itemCount?: number;
}

export interface ActivityListItem {
  activityArn: string;
  name: string;
  creationDate: Date;
}

/**
 * One history event. Details sit under the key the SDK spells (`stateEnteredEventDetails`,
 * `taskScheduledEventDetails`, ...) with their members as the SDK spells them; the engine stores them as the
 * interpreter emits them, so they are carried here as plain JSON objects.
 */
export interface HistoryEvent {
  timestamp: Date;
  type: HistoryEventType;
  id: number;
  previousEventId?: number;
  [details: `${string}EventDetails`]: Record<string, unknown> | undefined;
}

export interface ValidateStateMachineDefinitionDiagnostic {
  severity: ValidateDefinitionSeverity;
  code: string;
  message: string;
  location?: string;
}

// ---------------------------------------------------------------------------------------------------------
// State machines

export interface CreateStateMachineInput {
  name: string;
  definition: string;
  roleArn: string;
  type?: StateMachineType;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  tags?: Tag[];
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}
export interface CreateStateMachineOutput {
  stateMachineArn: string;
  creationDate: Date;
  stateMachineVersionArn?: string;
}

export interface DescribeStateMachineInput {
  stateMachineArn: string;
  includedData?: IncludedData;
}
export interface DescribeStateMachineOutput {
  stateMachineArn: string;
  name: string;
  status?: StateMachineStatus;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  creationDate: Date;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  revisionId?: string;
  /** A version's description (DescribeStateMachine on a version ARN). */
  description?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface UpdateStateMachineInput {
  stateMachineArn: string;
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  publish?: boolean;
  versionDescription?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}
export interface UpdateStateMachineOutput {
  updateDate: Date;
  revisionId?: string;
  stateMachineVersionArn?: string;
}

export interface DeleteStateMachineInput {
  stateMachineArn: string;
}
export type DeleteStateMachineOutput = Record<string, never>;

export interface ListStateMachinesInput {
  maxResults?: number;
  nextToken?: string;
}
export interface ListStateMachinesOutput {
  stateMachines: StateMachineListItem[];
  nextToken?: string;
}

export interface DescribeStateMachineForExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
}
export interface DescribeStateMachineForExecutionOutput {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  updateDate: Date;
  loggingConfiguration?: LoggingConfiguration;
  tracingConfiguration?: TracingConfiguration;
  revisionId?: string;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface ValidateStateMachineDefinitionInput {
  definition: string;
  type?: StateMachineType;
  severity?: ValidateDefinitionSeverity;
  maxResults?: number;
}
export interface ValidateStateMachineDefinitionOutput {
  result: ValidateDefinitionResultCode;
  diagnostics: ValidateStateMachineDefinitionDiagnostic[];
  truncated?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Executions

export interface StartExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
}
export interface StartExecutionOutput {
  executionArn: string;
  startDate: Date;
}

export interface StartSyncExecutionInput {
  stateMachineArn: string;
  name?: string;
  input?: string;
  traceHeader?: string;
  includedData?: IncludedData;
}
export interface StartSyncExecutionOutput {
  executionArn: string;
  stateMachineArn?: string;
  name?: string;
  startDate: Date;
  stopDate: Date;
  status: SyncExecutionStatus;
  error?: string;
  cause?: string;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  billingDetails?: { billedMemoryUsedInMB?: number; billedDurationInMilliseconds?: number };
}

export interface DescribeExecutionInput {
  executionArn: string;
  includedData?: IncludedData;
}
export interface DescribeExecutionOutput {
  executionArn: string;
  stateMachineArn: string;
  name?: string;
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  input?: string;
  inputDetails?: CloudWatchEventsExecutionDataDetails;
  output?: string;
  outputDetails?: CloudWatchEventsExecutionDataDetails;
  traceHeader?: string;
  error?: string;
  cause?: string;
  redriveCount?: number;
  redriveDate?: Date;
  redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
  redriveStatusReason?: string;
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
  /** The Map Run that started this execution (a Distributed Map's child). */
  mapRunArn?: string;
}

export interface StopExecutionInput {
  executionArn: string;
  error?: string;
  cause?: string;
}
export interface StopExecutionOutput {
  stopDate: Date;
}

export interface RedriveExecutionInput {
  executionArn: string;
  /** Idempotency: the same token within 15 minutes answers the same redrive (the SDK fills one in). */
  clientToken?: string;
}
export interface RedriveExecutionOutput {
  redriveDate: Date;
}

export interface GetExecutionHistoryInput {
  executionArn: string;
  maxResults?: number;
  reverseOrder?: boolean;
  nextToken?: string;
  includeExecutionData?: boolean;
}
export interface GetExecutionHistoryOutput {
  events: HistoryEvent[];
  nextToken?: string;
}

export interface ListExecutionsInput {
  stateMachineArn?: string;
  /** The children of a Map Run instead of the executions of a state machine (one of the two). */
  mapRunArn?: string;
  statusFilter?: ExecutionStatus;
  maxResults?: number;
  nextToken?: string;
  redriveFilter?: 'REDRIVEN' | 'NOT_REDRIVEN';
}
export interface ListExecutionsOutput {
  executions: ExecutionListItem[];
  nextToken?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Task tokens

export interface SendTaskSuccessInput {
  taskToken: string;
  output: string;
}
export type SendTaskSuccessOutput = Record<string, never>;

export interface SendTaskFailureInput {
  taskToken: string;
  error?: string;
  cause?: string;
}
export type SendTaskFailureOutput = Record<string, never>;

export interface SendTaskHeartbeatInput {
  taskToken: string;
}
export type SendTaskHeartbeatOutput = Record<string, never>;

// ---------------------------------------------------------------------------------------------------------
// Activities

export interface CreateActivityInput {
  name: string;
  tags?: Tag[];
  encryptionConfiguration?: EncryptionConfiguration;
}
export interface CreateActivityOutput {
  activityArn: string;
  creationDate: Date;
}

export interface DescribeActivityInput {
  activityArn: string;
}
export interface DescribeActivityOutput {
  activityArn: string;
  name: string;
  creationDate: Date;
  encryptionConfiguration?: EncryptionConfiguration;
}

export interface DeleteActivityInput {
  activityArn: string;
}
export type DeleteActivityOutput = Record<string, never>;

export interface ListActivitiesInput {
  maxResults?: number;
  nextToken?: string;
}
export interface ListActivitiesOutput {
  activities: ActivityListItem[];
  nextToken?: string;
}

/** Long poll (up to 60 s as AWS). No task available: both members absent. */
export interface GetActivityTaskInput {
  activityArn: string;
  workerName?: string;
}
export interface GetActivityTaskOutput {
  taskToken?: string;
  input?: string;
}

// ---------------------------------------------------------------------------------------------------------
// Tags

export interface TagResourceInput {
  resourceArn: string;
  tags: Tag[];
}
export type TagResourceOutput = Record<string, never>;

export interface UntagResourceInput {
  resourceArn: string;
  tagKeys: string[];
}
export type UntagResourceOutput = Record<string, never>;

export interface ListTagsForResourceInput {
  resourceArn: string;
}
export interface ListTagsForResourceOutput {
  tags: Tag[];
}

// ---------------------------------------------------------------------------------------------------------
// Map Runs (Distributed Map)

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface MapRunCounts {
  pending: number;
  running: number;
  succeeded: number;
  failed: number;
  timedOut: number;
  aborted: number;
  total: number;
  resultsWritten: number;
  failuresNotRedrivable?: number;
  pendingRedrive?: number;
}

export interface MapRunListItem {
  executionArn: string;
  mapRunArn: string;
  stateMachineArn: string;
  startDate: Date;
  stopDate?: Date;
}

export interface ListMapRunsInput {
  executionArn: string;
  maxResults?: number;
  nextToken?: string;
}
export interface ListMapRunsOutput {
  mapRuns: MapRunListItem[];
  nextToken?: string;
}

export interface DescribeMapRunInput {
  mapRunArn: string;
}
export interface DescribeMapRunOutput {
  mapRunArn: string;
  executionArn: string;
  status: MapRunStatus;
  startDate: Date;
  stopDate?: Date;
  maxConcurrency: number;
  toleratedFailurePercentage: number;
  toleratedFailureCount: number;
  itemCounts: MapRunCounts;
  executionCounts: MapRunCounts;
  redriveCount?: number;
  redriveDate?: Date;
}

export interface UpdateMapRunInput {
  mapRunArn: string;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  toleratedFailureCount?: number;
}
export type UpdateMapRunOutput = Record<string, never>;

// ---------------------------------------------------------------------------------------------------------
// The backend

/** Request and response shape of every action, for code that handles actions generically. */
export interface SfnActionShapes extends VersionAliasActionShapes, TestStateActionShapes {
  CreateStateMachine: [CreateStateMachineInput, CreateStateMachineOutput];
  DescribeStateMachine: [DescribeStateMachineInput, DescribeStateMachineOutput];
  UpdateStateMachine: [UpdateStateMachineInput, UpdateStateMachineOutput];
  DeleteStateMachine: [DeleteStateMachineInput, DeleteStateMachineOutput];
  ListStateMachines: [ListStateMachinesInput, ListStateMachinesOutput];
  DescribeStateMachineForExecution: [DescribeStateMachineForExecutionInput, DescribeStateMachineForExecutionOutput];
  ValidateStateMachineDefinition: [ValidateStateMachineDefinitionInput, ValidateStateMachineDefinitionOutput];
  StartExecution: [StartExecutionInput, StartExecutionOutput];
  StartSyncExecution: [StartSyncExecutionInput, StartSyncExecutionOutput];
  DescribeExecution: [DescribeExecutionInput, DescribeExecutionOutput];
  StopExecution: [StopExecutionInput, StopExecutionOutput];
  RedriveExecution: [RedriveExecutionInput, RedriveExecutionOutput];
  GetExecutionHistory: [GetExecutionHistoryInput, GetExecutionHistoryOutput];
  ListExecutions: [ListExecutionsInput, ListExecutionsOutput];
  SendTaskSuccess: [SendTaskSuccessInput, SendTaskSuccessOutput];
  SendTaskFailure: [SendTaskFailureInput, SendTaskFailureOutput];
  SendTaskHeartbeat: [SendTaskHeartbeatInput, SendTaskHeartbeatOutput];
  CreateActivity: [CreateActivityInput, CreateActivityOutput];
  DescribeActivity: [DescribeActivityInput, DescribeActivityOutput];
  DeleteActivity: [DeleteActivityInput, DeleteActivityOutput];
  ListActivities: [ListActivitiesInput, ListActivitiesOutput];
  GetActivityTask: [GetActivityTaskInput, GetActivityTaskOutput];
  TagResource: [TagResourceInput, TagResourceOutput];
  UntagResource: [UntagResourceInput, UntagResourceOutput];
  ListTagsForResource: [ListTagsForResourceInput, ListTagsForResourceOutput];
  ListMapRuns: [ListMapRunsInput, ListMapRunsOutput];
  DescribeMapRun: [DescribeMapRunInput, DescribeMapRunOutput];
  UpdateMapRun: [UpdateMapRunInput, UpdateMapRunOutput];
}

export type ActionInput<A extends SfnAction> = SfnActionShapes[A][0];
export type ActionOutput<A extends SfnAction> = SfnActionShapes[A][1];

/**
 * What the API layer needs from the engine: one method per action (camelCase of the action name), taking the
 * request already shape-validated by the API (required members present, enums and ranges checked) and
 * answering in SDK shape. Failures are thrown as `ApiError` with AWS's code and message.
 *
 * `validateStateMachineDefinition` is answered by the API itself from `@baton/asl`, so a backend need not
 * implement it. `getActivityTask` may take an AbortSignal so a long poll ends when the client disconnects.
 */
export interface SfnBackend extends VersionAliasBackend, TestStateBackend {
  createStateMachine(input: CreateStateMachineInput): Promise<CreateStateMachineOutput>;
  describeStateMachine(input: DescribeStateMachineInput): Promise<DescribeStateMachineOutput>;
  updateStateMachine(input: UpdateStateMachineInput): Promise<UpdateStateMachineOutput>;
  deleteStateMachine(input: DeleteStateMachineInput): Promise<DeleteStateMachineOutput>;
  listStateMachines(input: ListStateMachinesInput): Promise<ListStateMachinesOutput>;
  describeStateMachineForExecution(
    input: DescribeStateMachineForExecutionInput,
  ): Promise<DescribeStateMachineForExecutionOutput>;
  validateStateMachineDefinition?(
    input: ValidateStateMachineDefinitionInput,
  ): Promise<ValidateStateMachineDefinitionOutput>;
  startExecution(input: StartExecutionInput): Promise<StartExecutionOutput>;
  startSyncExecution(input: StartSyncExecutionInput): Promise<StartSyncExecutionOutput>;
  describeExecution(input: DescribeExecutionInput): Promise<DescribeExecutionOutput>;
  stopExecution(input: StopExecutionInput): Promise<StopExecutionOutput>;
  redriveExecution(input: RedriveExecutionInput): Promise<RedriveExecutionOutput>;
  getExecutionHistory(input: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput>;
  listExecutions(input: ListExecutionsInput): Promise<ListExecutionsOutput>;
  sendTaskSuccess(input: SendTaskSuccessInput): Promise<SendTaskSuccessOutput>;
  sendTaskFailure(input: SendTaskFailureInput): Promise<SendTaskFailureOutput>;
  sendTaskHeartbeat(input: SendTaskHeartbeatInput): Promise<SendTaskHeartbeatOutput>;
  createActivity(input: CreateActivityInput): Promise<CreateActivityOutput>;
  describeActivity(input: DescribeActivityInput): Promise<DescribeActivityOutput>;
  deleteActivity(input: DeleteActivityInput): Promise<DeleteActivityOutput>;
  listActivities(input: ListActivitiesInput): Promise<ListActivitiesOutput>;
  getActivityTask(input: GetActivityTaskInput, signal?: AbortSignal): Promise<GetActivityTaskOutput>;
  tagResource(input: TagResourceInput): Promise<TagResourceOutput>;
  untagResource(input: UntagResourceInput): Promise<UntagResourceOutput>;
  listTagsForResource(input: ListTagsForResourceInput): Promise<ListTagsForResourceOutput>;
  listMapRuns(input: ListMapRunsInput): Promise<ListMapRunsOutput>;
  describeMapRun(input: DescribeMapRunInput): Promise<DescribeMapRunOutput>;
  updateMapRun(input: UpdateMapRunInput): Promise<UpdateMapRunOutput>;
}
