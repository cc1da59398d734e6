/**
 * @baton/queue: the work-queue port and its drivers (BullMQ for production, in-process for the embedded mode).
 */
export { JOB_KINDS, parseJob, jobPayload, InvalidJobError, type Job, type JobKind, type JobPayloads } from './jobs.js';
export type { WorkQueue, EnqueueOptions, JobHandler } from './work-queue.js';
export { BullmqQueue, type BullmqQueueOptions } from './bullmq-queue.js';
export { InProcessQueue, type InProcessQueueOptions } from './in-process-queue.js';
