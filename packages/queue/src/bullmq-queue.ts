/**
 * The production driver: one BullMQ queue (ioredis). Completed and failed jobs are removed so their ids can be
 * reused; BullMQ's stalled-job handling is a convenience only, correctness comes from Postgres and the reconciler.
 *
 * Redis away never holds a caller: an enqueue fails at once while the connection is known to be down, and after
 * ENQUEUE_TIMEOUT_MS otherwise (the work is durable in Postgres, and the reconciler enqueues it again once Redis
 * answers), and `process` returns without waiting for Redis (BullMQ's worker starts taking jobs when it connects).
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

/** Longest an enqueue waits for Redis (a StartExecution response waits for it). */
const ENQUEUE_TIMEOUT_MS = 1_000;
/** Longest `process` waits for the worker's connection before returning (it goes on connecting). */
const READY_WAIT_MS = 2_000;

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
    this.assertConnected();
    await within(ENQUEUE_TIMEOUT_MS, `Redis did not take the job within ${ENQUEUE_TIMEOUT_MS} ms`, this.queue.add(job.kind, jobPayload(job), this.jobOptions(options)));
  }

  /** One pipeline (BullMQ's addBulk): one write and one wait for all of them; each job is added as by `enqueue`. */
  async enqueueMany(jobs: readonly { job: Job; options: EnqueueOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    this.assertConnected();
    await within(ENQUEUE_TIMEOUT_MS, `Redis did not take the jobs within ${ENQUEUE_TIMEOUT_MS} ms`, this.queue.addBulk(
      jobs.map(({ job, options }) => ({ name: job.kind, data: jobPayload(job), opts: this.jobOptions(options) })),
    ));
  }

  private assertConnected(): void {
    const status = this.connection.status;
    if (status === 'reconnecting' || status === 'end' || status === 'close') throw new Error(`Redis is unavailable (${status})`);
  }

  private jobOptions(options: EnqueueOptions) {
    return {
      jobId: options.jobId,
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: true,
      removeOnFail: true,
      attempts: this.options.attempts,
      backoff: { type: 'exponential' as const, delay: this.options.backoffMs },
    };
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
    await within(READY_WAIT_MS, '', this.worker.waitUntilReady()).catch(() => {
      this.options.onError?.(new Error('Redis does not answer yet: the worker takes jobs once it connects'));
    });
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

/** `p`, or a rejection with `message` after `ms` (`p` itself goes on; its outcome is then ignored). */
function within<T>(ms: number, message: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  p.catch(() => {});
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
