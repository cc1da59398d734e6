/**
 * Task `Resource` ARNs that Step Functions recognises (AWS developer guide, "Integrating services" and "Service
 * integration patterns"): Lambda function ARNs, activity ARNs, and `arn:<partition>:states:::<service>:<action>`
 * optimized integrations with the patterns each supports (request-response, `.sync`, `.sync:2`,
 * `.waitForTaskToken`), plus `aws-sdk:<service>:<action>` (request-response and `.waitForTaskToken`). Anything else
 * gets AWS's "The resource provided <arn> is not recognized. ..." at the Resource field. EXPRESS machines refuse
 * `.sync` and `.waitForTaskToken` ("Express state machine does not support '.sync' service integration"; AWS's
 * `.waitForTaskToken` text ends with a space) and activities.
 */
import type { Report } from './diagnostics.js';
import { SCHEMA } from './diagnostics.js';

type Pattern = '' | '.sync' | '.sync:2' | '.waitForTaskToken';

const RR: Pattern = '';
const SYNC: Pattern = '.sync';
const SYNC2: Pattern = '.sync:2';
const TOKEN: Pattern = '.waitForTaskToken';

/** service:action -> the patterns AWS supports for it. */
const OPTIMIZED: ReadonlyMap<string, readonly Pattern[]> = new Map<string, readonly Pattern[]>([
  ['lambda:invoke', [RR, TOKEN]],
  ['sns:publish', [RR, TOKEN]],
  ['sqs:sendMessage', [RR, TOKEN]],
  ['dynamodb:getItem', [RR]],
  ['dynamodb:putItem', [RR]],
  ['dynamodb:updateItem', [RR]],
  ['dynamodb:deleteItem', [RR]],
  ['ecs:runTask', [RR, SYNC, TOKEN]],
  ['states:startExecution', [RR, SYNC, SYNC2, TOKEN]],
  ['events:putEvents', [RR, TOKEN]],
  ['apigateway:invoke', [RR, TOKEN]],
  ['http:invoke', [RR]],
  ['batch:submitJob', [RR, SYNC]],
  ['glue:startJobRun', [RR, SYNC]],
  ['databrew:startJobRun', [RR, SYNC]],
  ['athena:startQueryExecution', [RR, SYNC]],
  ['athena:stopQueryExecution', [RR]],
  ['athena:getQueryExecution', [RR]],
  ['athena:getQueryResults', [RR]],
  ['codebuild:startBuild', [RR, SYNC]],
  ['codebuild:stopBuild', [RR]],
  ['codebuild:batchDeleteBuilds', [RR]],
  ['codebuild:batchGetReports', [RR]],
  ['codebuild:startBuildBatch', [RR, SYNC]],
  ['codebuild:stopBuildBatch', [RR]],
  ['codebuild:retryBuildBatch', [RR, SYNC]],
  ['codebuild:deleteBuildBatch', [RR]],
  ['bedrock:invokeModel', [RR]],
  ['bedrock:createModelCustomizationJob', [RR, SYNC]],
  ['mediaconvert:createJob', [RR, SYNC]],
  ['eks:createCluster', [RR, SYNC]],
  ['eks:deleteCluster', [RR, SYNC]],
  ['eks:createFargateProfile', [RR, SYNC]],
  ['eks:deleteFargateProfile', [RR, SYNC]],
  ['eks:createNodegroup', [RR, SYNC]],
  ['eks:deleteNodegroup', [RR, SYNC]],
  ['eks:runJob', [RR, SYNC]],
  ['eks:call', [RR]],
  ['elasticmapreduce:createCluster', [RR, SYNC]],
  ['elasticmapreduce:terminateCluster', [RR, SYNC]],
  ['elasticmapreduce:addStep', [RR, SYNC]],
  ['elasticmapreduce:cancelStep', [RR]],
  ['elasticmapreduce:setClusterTerminationProtection', [RR]],
  ['elasticmapreduce:modifyInstanceFleetByName', [RR]],
  ['elasticmapreduce:modifyInstanceGroupByName', [RR]],
  ['emr-containers:startJobRun', [RR, SYNC]],
  ['emr-containers:createVirtualCluster', [RR]],
  ['emr-containers:deleteVirtualCluster', [RR, SYNC]],
  ['emr-serverless:createApplication', [RR, SYNC]],
  ['emr-serverless:startApplication', [RR, SYNC]],
  ['emr-serverless:stopApplication', [RR, SYNC]],
  ['emr-serverless:deleteApplication', [RR, SYNC]],
  ['emr-serverless:startJobRun', [RR, SYNC]],
  ['emr-serverless:cancelJobRun', [RR, SYNC]],
  ['sagemaker:createTrainingJob', [RR, SYNC]],
  ['sagemaker:createTransformJob', [RR, SYNC]],
  ['sagemaker:createHyperParameterTuningJob', [RR, SYNC]],
  ['sagemaker:createLabelingJob', [RR, SYNC]],
  ['sagemaker:createProcessingJob', [RR, SYNC]],
  ['sagemaker:createModel', [RR]],
  ['sagemaker:createEndpointConfig', [RR]],
  ['sagemaker:createEndpoint', [RR]],
  ['sagemaker:updateEndpoint', [RR]],
]);

const PARTITION = 'aws(?:-[a-z]+)*';
const LAMBDA_FUNCTION = new RegExp(`^arn:${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,140}(?::[A-Za-z0-9_$-]+)?$`);
const ACTIVITY = new RegExp(`^arn:${PARTITION}:states:[a-z0-9-]+:\\d{12}:activity:[^\\s:]{1,80}$`);
const INTEGRATION = new RegExp(`^arn:${PARTITION}:states:::(.+)$`);
const AWS_SDK = /^aws-sdk:[a-z0-9-]+:[a-z][A-Za-z0-9]*$/;

export type ResourceKind =
  | { readonly kind: 'lambda' }
  | { readonly kind: 'activity' }
  | { readonly kind: 'integration'; readonly action: string; readonly pattern: Pattern }
  | { readonly kind: 'unknown' };

function splitPattern(body: string): { action: string; pattern: Pattern } {
  for (const pattern of [SYNC2, SYNC, TOKEN] as const) {
    if (body.endsWith(pattern)) return { action: body.slice(0, -pattern.length), pattern };
  }
  return { action: body, pattern: RR };
}

/** What a Task Resource ARN names, or `unknown` when Step Functions would not recognise it. */
export function classifyResource(arn: string): ResourceKind {
  if (LAMBDA_FUNCTION.test(arn)) return { kind: 'lambda' };
  if (ACTIVITY.test(arn)) return { kind: 'activity' };
  const m = INTEGRATION.exec(arn);
  if (!m) return { kind: 'unknown' };
  const { action, pattern } = splitPattern(m[1]!);
  if (AWS_SDK.test(action)) {
    return pattern === RR || pattern === TOKEN ? { kind: 'integration', action, pattern } : { kind: 'unknown' };
  }
  const patterns = OPTIMIZED.get(action);
  return patterns?.includes(pattern) ? { kind: 'integration', action, pattern } : { kind: 'unknown' };
}

/** Reports an unrecognised Resource, or one an EXPRESS machine cannot run. */
export function checkResource(report: Report, arn: string, location: string, machineType: 'STANDARD' | 'EXPRESS'): void {
  const resource = classifyResource(arn);
  if (resource.kind === 'unknown') {
    report.schema(
      `The resource provided ${arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
      location,
    );
    return;
  }
  if (machineType !== 'EXPRESS') return;
  if (resource.kind === 'activity') {
    report.error(SCHEMA, 'Express state machine does not support Activity ARN', location);
  } else if (resource.kind === 'integration' && (resource.pattern === SYNC || resource.pattern === SYNC2)) {
    report.error(SCHEMA, "Express state machine does not support '.sync' service integration", location);
  } else if (resource.kind === 'integration' && resource.pattern === TOKEN) {
    report.error(SCHEMA, "Express state machine does not support '.waitForTaskToken' service integration ", location);
  }
}
