/**
 * @baton/integrations: Task resources on AWS SDK v3 (Lambda, SNS, SQS, DynamoDB, ECS, EventBridge, nested
 * executions, the HTTP Task, and the generic `aws-sdk:<service>:<action>` for the shipped clients, S3 and Secrets
 * Manager among them), behind the engine's task-invoker port; Task `Credentials` through STS AssumeRole.
 */
export type { TaskInvoker, TaskRequest, TaskResult, TaskPatternName } from './port.js';
export type { TaskInvokerOptions, ShippedService, CredentialsOption } from './options.js';
export { SHIPPED_SERVICES } from './options.js';
export { createTaskInvoker, type BatonTaskInvoker } from './invoker.js';
export { stepFunctionsClientFactory, type StepFunctionsEndpoint } from './self-step-functions.js';
export { parseConnections, ConnectionDefinitionError, type ConnectionDefinition } from './http/connection-definition.js';
export { MapRunS3Storage, createMapRunStorage, type ReadItem } from './map-run-storage.js';
export { createCloudWatchLogsDelivery, logGroupOf, type CloudWatchLogsDelivery } from './cloudwatch-logs.js';
export { taskTraceHeaders, withTaskTrace, withTraceHeaderMiddleware } from './trace-headers.js';
