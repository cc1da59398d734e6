/**
 * The request shape of every supported action (AWS Step Functions API reference, "Request Parameters" of each
 * action: the same constraints as the service model).
 */
import type { SfnAction } from '@baton/api-contract';
import { bool, double, enumOf, int, list, pattern, sensitive, str, struct, type ShapeSpec, type StructureSpec } from './shape-spec.js';

const arn = str(1, 256);
const name = str(1, 80);
/** A name refused as InvalidName when it is not well-formed Unicode (a lone surrogate). */
const wellFormedName: ShapeSpec = { kind: 'string', min: 1, max: 80, name: true };
/** Names of state machines, activities and executions, which the backend refuses as InvalidName (U+0000 too). */
const resourceName: ShapeSpec = { kind: 'string', min: 1, max: 80, resourceName: true, name: true };
const definition = sensitive(1, 1048576);
const payload = sensitive(undefined, 262144);
const pageSize = int(0, 1000);
const pageToken = str(1, 1024);
const taskToken = str(1, 2048);
const error = sensitive(0, 256);
const cause = sensitive(0, 32768);
const traceHeader: ShapeSpec = {
  kind: 'string',
  min: 0,
  max: 256,
  pattern: { regex: /^[\x00-\x7f]*$/, text: '\\p{ASCII}*' },
};

/** AWS lists enum values in its messages in this order (as recorded from the service). */
const executionStatus = enumOf(['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING']);
const stateMachineType = enumOf(['STANDARD', 'EXPRESS']);
const includedData = enumOf(['ALL_DATA', 'METADATA_ONLY']);

const tag = struct({ key: str(1, 128), value: str(0, 256) });
const tags = list(tag);
const loggingConfiguration = struct({
  level: enumOf(['ALL', 'ERROR', 'FATAL', 'OFF']),
  includeExecutionData: bool,
  destinations: list(struct({ cloudWatchLogsLogGroup: struct({ logGroupArn: arn }) })),
});
const tracingConfiguration = struct({ enabled: bool });
const encryptionConfiguration = struct(
  { kmsKeyId: str(1, 2048), kmsDataKeyReusePeriodSeconds: int(60, 900), type: enumOf(['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY']) },
  ['type'],
);

// Versions and aliases.
const longArn = str(1, 2000);
const versionDescription = sensitive(undefined, 256);
const aliasName = pattern(name, /^(?=.*[a-zA-Z_\-.])[a-zA-Z0-9_\-.]+$/, '^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$');
const routingConfiguration = list(
  struct({ stateMachineVersionArn: longArn, weight: int(0, 100) }, ['stateMachineVersionArn', 'weight'], 'RoutingConfigurationListItem'),
  { min: 1, max: 2 },
);

// TestState (API reference "TestState", "MockInput", "TestStateConfiguration").
const count = int(0, 2147483647);
const testStateMock = struct({
  result: payload,
  errorOutput: struct({ error, cause }),
  fieldValidationMode: enumOf(['STRICT', 'PRESENT', 'NONE']),
});
const testStateConfiguration = struct({
  retrierRetryCount: count, errorCausedByState: sensitive(1, 80), mapIterationFailureCount: count, mapItemReaderData: payload,
});

export const REQUEST_SHAPES: Record<SfnAction, StructureSpec> = {
  CreateStateMachine: struct(
    {
      name: resourceName, definition, roleArn: arn, type: stateMachineType, loggingConfiguration, tags, tracingConfiguration,
      publish: bool, versionDescription, encryptionConfiguration,
    },
    ['name', 'definition', 'roleArn'],
  ),
  DescribeStateMachine: struct({ stateMachineArn: arn, includedData }, ['stateMachineArn']),
  UpdateStateMachine: struct(
    {
      stateMachineArn: arn, definition, roleArn: arn, loggingConfiguration, tracingConfiguration, publish: bool,
      versionDescription, encryptionConfiguration,
    },
    ['stateMachineArn'],
  ),
  DeleteStateMachine: struct({ stateMachineArn: arn }, ['stateMachineArn']),
  ListStateMachines: struct({ maxResults: pageSize, nextToken: pageToken }),
  DescribeStateMachineForExecution: struct({ executionArn: arn, includedData }, ['executionArn']),
  ValidateStateMachineDefinition: struct(
    { definition, type: stateMachineType, severity: enumOf(['ERROR', 'WARNING']), maxResults: int(0, 100) },
    ['definition'],
  ),
  StartExecution: struct({ stateMachineArn: arn, name: resourceName, input: payload, traceHeader }, ['stateMachineArn']),
  StartSyncExecution: struct({ stateMachineArn: arn, name: resourceName, input: payload, traceHeader, includedData }, [
    'stateMachineArn',
  ]),
  DescribeExecution: struct({ executionArn: arn, includedData }, ['executionArn']),
  StopExecution: struct({ executionArn: arn, error, cause }, ['executionArn']),
  // clientToken: 1 to 64 printable ASCII characters (API reference "RedriveExecution").
  RedriveExecution: struct({ executionArn: arn, clientToken: pattern(str(1, 64), /^[!-~]+$/, '[!-~]+') }, ['executionArn']),
  GetExecutionHistory: struct(
    { executionArn: arn, maxResults: pageSize, reverseOrder: bool, nextToken: pageToken, includeExecutionData: bool },
    ['executionArn'],
  ),
  ListExecutions: struct({
    stateMachineArn: arn,
    mapRunArn: str(1, 2000),
    statusFilter: executionStatus,
    maxResults: pageSize,
    nextToken: str(1, 3096),
    redriveFilter: enumOf(['REDRIVEN', 'NOT_REDRIVEN']),
  }),
  SendTaskSuccess: struct({ taskToken, output: payload }, ['taskToken', 'output']),
  SendTaskFailure: struct({ taskToken, error, cause }, ['taskToken']),
  SendTaskHeartbeat: struct({ taskToken }, ['taskToken']),
  CreateActivity: struct({ name: resourceName, tags, encryptionConfiguration }, ['name']),
  DescribeActivity: struct({ activityArn: arn }, ['activityArn']),
  DeleteActivity: struct({ activityArn: arn }, ['activityArn']),
  ListActivities: struct({ maxResults: pageSize, nextToken: pageToken }),
  GetActivityTask: struct({ activityArn: arn, workerName: wellFormedName }, ['activityArn']),
  TagResource: struct({ resourceArn: arn, tags }, ['resourceArn', 'tags']),
  UntagResource: struct({ resourceArn: arn, tagKeys: list(str(1, 128)) }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: struct({ resourceArn: arn }, ['resourceArn']),
  PublishStateMachineVersion: struct({ stateMachineArn: arn, revisionId: str(), description: versionDescription }, ['stateMachineArn']),
  ListStateMachineVersions: struct({ stateMachineArn: arn, nextToken: pageToken, maxResults: pageSize }, ['stateMachineArn']),
  DeleteStateMachineVersion: struct({ stateMachineVersionArn: longArn }, ['stateMachineVersionArn']),
  CreateStateMachineAlias: struct({ name: aliasName, routingConfiguration, description: versionDescription }, [
    'name',
    'routingConfiguration',
  ]),
  DescribeStateMachineAlias: struct({ stateMachineAliasArn: arn }, ['stateMachineAliasArn']),
  UpdateStateMachineAlias: struct(
    { stateMachineAliasArn: arn, description: versionDescription, routingConfiguration },
    ['stateMachineAliasArn'],
  ),
  DeleteStateMachineAlias: struct({ stateMachineAliasArn: arn }, ['stateMachineAliasArn']),
  ListStateMachineAliases: struct({ stateMachineArn: arn, nextToken: pageToken, maxResults: pageSize }, ['stateMachineArn']),
  ListMapRuns: struct({ executionArn: arn, maxResults: pageSize, nextToken: pageToken }, ['executionArn']),
  DescribeMapRun: struct({ mapRunArn: str(1, 2000) }, ['mapRunArn']),
  UpdateMapRun: struct(
    { mapRunArn: str(1, 2000), maxConcurrency: int(0, 2147483647), toleratedFailurePercentage: double(0, 100), toleratedFailureCount: int(0, 2147483647) },
    ['mapRunArn'],
  ),
  TestState: struct(
    {
      definition, roleArn: arn, input: payload, inspectionLevel: enumOf(['INFO', 'DEBUG', 'TRACE']), revealSecrets: bool,
      variables: payload, stateName: name, mock: testStateMock, context: payload, stateConfiguration: testStateConfiguration,
    },
    ['definition'],
  ),
};
