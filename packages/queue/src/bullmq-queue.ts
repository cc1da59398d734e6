/**
 * The production driver: one BullMQ queue (ioredis). Completed and failed jobs are removed so their ids can be
 * reused; BullMQ's stalled-job handling is a convenience only, correctness comes from Postgres and the reconciler.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { jobPayload, parseJob, type Job } from './jobs.js';
import type { EnqueueOptions, JobHandler, WorkQueue } from './work-queue.js';

export interface BullmqQueueOptions {
  /** redis://host:port/db */
  redisUrl: string;
  /** Key prefix (default `baton`): one per installation, or per test file. */
  prefix?: string;
  /** Queue name (default `work`). */
  name?: string;
  /** Attempts for a job whose handler throws (default 5), with exponential backoff from `backoffMs` (default 200). */
  attempts?: number;
  backoffMs?: number;
  /** Called with infrastructure errors (connection drops, handler failures); default: ignore. */
  onError?: (error: Error) => void;
}

export class BullmqQueue implements WorkQueue {
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly options: Required<Omit<BullmqQueueOptions, 'onError'>> & Pick<BullmqQueueOptions, 'onError'>;

  constructor(options: BullmqQueueOptions) {
    this.options = { prefix: 'baton', name: 'work', attempts: 5, backoffMs: 200, ...options };
    this.connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.connection.on('error', (e) => this.options.onError?.(e));
    this.queue = new Queue(this.options.name, { connection: this.connection, prefix: this.options.prefix });
    this.queue.on('error', (e) => this.options.onError?.(e));
  }

  async enqueue(job: Job, options: EnqueueOptions): Promise<void> {
    await this.queue.add(job.kind, jobPayload(job), {
      jobId: options.jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: true,
      removeOnFail: true,
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
    });
  }

  async process(handler: JobHandler, options: { concurrency: number }): Promise<void> {
    if (this.worker) throw new Error('BullmqQueue.process called twice');
    this.worker = new Worker(this.options.name, async (j) => handler(parseJob(j.name, j.data)), {
      connection: this.connection,
      prefix: this.options.prefix,
      concurrency: options.concurrency,
    });
    this.worker.on('error', (e) => this.options.onError?.(e));
    this.worker.on('failed', (_job, e) => this.options.onError?.(e));
    await this.worker.waitUntilReady();
  }

  async pause(): Promise<void> {
    await this.worker?.pause(true); // true: do not wait for the active jobs here (close() does)
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.connection.disconnect();
  }
}
