/**
 * @baton/integrations: Task resources on AWS SDK v3 (Lambda, SNS, SQS, DynamoDB, ECS, nested executions, and the
 * generic `aws-sdk:<service>:<action>` for those clients), behind the engine's task-invoker port.
 */
export type { TaskInvoker, TaskRequest, TaskResult, TaskPatternName } from './port.js';
export type { TaskInvokerOptions, ShippedService, CredentialsOption } from './options.js';
export { SHIPPED_SERVICES } from './options.js';
export { createTaskInvoker, type BatonTaskInvoker } from './invoker.js';
export { stepFunctionsClientFactory, type StepFunctionsEndpoint } from './self-step-functions.js';
