/**
 * Idempotent job ids (BullMQ forbids ':' in them). A transition job is named after the newest signal it was
 * enqueued for, so every new signal gets a job while a replay of the same one does not; a task job after the
 * poll count, so each `.sync` poll is a fresh job.
 */
import type { Job } from './ports.js';

export interface Dispatch {
  job: Job;
  jobId: string;
}

export function transitionJob(executionId: string, signalId: string): Dispatch {
  return { job: { kind: 'transition', executionId }, jobId: `t-${executionId}-${signalId}` };
}

export function taskJob(executionId: string, taskId: string, pollCount: number): Dispatch {
  return { job: { kind: 'task', executionId, taskId }, jobId: `k-${executionId}-${taskId}-${pollCount}` };
}
