/** The work-queue port: enqueue with an idempotent job id, process with a concurrency, close. */
import type { Job } from './jobs.js';

export interface EnqueueOptions {
  /** Idempotency key: while a job with this id is waiting, delayed or active, enqueuing it again does nothing. */
  jobId: string;
  delayMs?: number;
}

export type JobHandler = (job: Job) => Promise<void>;

export interface WorkQueue {
  enqueue(job: Job, options: EnqueueOptions): Promise<void>;
  /**
   * Several jobs at once, as `enqueue` each (a driver that can sends them in one round trip). Optional: without it,
   * callers enqueue one by one.
   */
  enqueueMany?(jobs: readonly { job: Job; options: EnqueueOptions }[]): Promise<void>;
  /** Starts consuming. A handler that throws gets the job retried (with backoff) a few times. */
  process(handler: JobHandler, options: { concurrency: number }): Promise<void>;
  /** Stops taking new jobs (the graceful drain); the active ones go on and enqueue still works. */
  pause(): Promise<void>;
  /** Stops taking jobs, waits for the active ones, and disconnects. */
  close(): Promise<void>;
}
