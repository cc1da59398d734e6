/**
 * @baton/activity-worker: answer AWS Step Functions activity tasks, on Baton or on AWS. Depends only on
 * `@aws-sdk/client-sfn`.
 */
export { ActivityWorker } from './activity-worker.js';
export type { ActivityWorkerOptions, ActivityHandler, TaskContext, WorkerLogger } from './worker-options.js';
export { TaskTokens, type SfnConnectionOptions } from './task-tokens.js';
export { WorkerErrors, MAX_OUTPUT_LENGTH, MAX_ERROR_LENGTH, MAX_CAUSE_LENGTH } from './report.js';
export type {
  StandardSchemaV1, StandardSchemaResult, StandardSchemaIssue, InferSchemaOutput, InputValidator,
} from './input-validation.js';
