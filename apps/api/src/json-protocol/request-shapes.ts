/**
 * The request shape of every supported action (AWS Step Functions API reference, "Request Parameters" of each
 * action: the same constraints as the service model).
 */
import type { SfnAction } from '@baton/api-contract';
import { bool, double, enumOf, int, list, sensitive, str, struct, type ShapeSpec, type StructureSpec } from './shape-spec.js';

const arn = str(1, 256);
const name = str(1, 80);
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

export const REQUEST_SHAPES: Record<SfnAction, StructureSpec> = {
  CreateStateMachine: struct(
    { name, definition, roleArn: arn, type: stateMachineType, loggingConfiguration, tracingConfiguration, tags },
    ['name', 'definition', 'roleArn'],
  ),
  DescribeStateMachine: struct({ stateMachineArn: arn, includedData }, ['stateMachineArn']),
  UpdateStateMachine: struct(
    { stateMachineArn: arn, definition, roleArn: arn, loggingConfiguration, tracingConfiguration },
    ['stateMachineArn'],
  ),
  DeleteStateMachine: struct({ stateMachineArn: arn }, ['stateMachineArn']),
  ListStateMachines: struct({ maxResults: pageSize, nextToken: pageToken }),
  DescribeStateMachineForExecution: struct({ executionArn: arn, includedData }, ['executionArn']),
  ValidateStateMachineDefinition: struct(
    { definition, type: stateMachineType, severity: enumOf(['ERROR', 'WARNING']), maxResults: int(0, 100) },
    ['definition'],
  ),
  StartExecution: struct({ stateMachineArn: arn, name, input: payload, traceHeader }, ['stateMachineArn']),
  StartSyncExecution: struct({ stateMachineArn: arn, name, input: payload, traceHeader, includedData }, [
    'stateMachineArn',
  ]),
  DescribeExecution: struct({ executionArn: arn, includedData }, ['executionArn']),
  StopExecution: struct({ executionArn: arn, error, cause }, ['executionArn']),
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
  }),
  SendTaskSuccess: struct({ taskToken, output: payload }, ['taskToken', 'output']),
  SendTaskFailure: struct({ taskToken, error, cause }, ['taskToken']),
  SendTaskHeartbeat: struct({ taskToken }, ['taskToken']),
  CreateActivity: struct({ name, tags }, ['name']),
  DescribeActivity: struct({ activityArn: arn }, ['activityArn']),
  DeleteActivity: struct({ activityArn: arn }, ['activityArn']),
  ListActivities: struct({ maxResults: pageSize, nextToken: pageToken }),
  GetActivityTask: struct({ activityArn: arn, workerName: name }, ['activityArn']),
  TagResource: struct({ resourceArn: arn, tags }, ['resourceArn', 'tags']),
  UntagResource: struct({ resourceArn: arn, tagKeys: list(str(1, 128)) }, ['resourceArn', 'tagKeys']),
  ListTagsForResource: struct({ resourceArn: arn }, ['resourceArn']),
  ListMapRuns: struct({ executionArn: arn, maxResults: pageSize, nextToken: pageToken }, ['executionArn']),
  DescribeMapRun: struct({ mapRunArn: str(1, 2000) }, ['mapRunArn']),
  UpdateMapRun: struct(
    { mapRunArn: str(1, 2000), maxConcurrency: int(0, 2147483647), toleratedFailurePercentage: double(0, 100), toleratedFailureCount: int(0, 2147483647) },
    ['mapRunArn'],
  ),
};
