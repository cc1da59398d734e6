/**
 * The embedded driver: jobs in memory, with BullMQ's id semantics (an id that is waiting, delayed or active is
 * not enqueued again). Losing the process loses the queue, not the work: the reconciler refills it from Postgres.
 */
import type { Job } from './jobs.js';
import type { EnqueueOptions, JobHandler, WorkQueue } from './work-queue.js';

interface Entry {
  id: string;
  job: Job;
  attempts: number;
}

export interface InProcessQueueOptions {
  attempts?: number;
  backoffMs?: number;
  onError?: (error: Error) => void;
}

export class InProcessQueue implements WorkQueue {
  private readonly known = new Set<string>();
  private readonly ready: Entry[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private handler: JobHandler | undefined;
  private concurrency = 1;
  private active = 0;
  private closed = false;
  private paused = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: InProcessQueueOptions = {}) {}

  async enqueue(job: Job, options: EnqueueOptions): Promise<void> {
    if (this.closed || this.known.has(options.jobId)) return;
    this.known.add(options.jobId);
    this.later({ id: options.jobId, job, attempts: 0 }, options.delayMs ?? 0);
  }

  async enqueueMany(jobs: readonly { job: Job; options: EnqueueOptions }[]): Promise<void> {
    for (const { job, options } of jobs) await this.enqueue(job, options);
  }

  async process(handler: JobHandler, options: { concurrency: number }): Promise<void> {
    this.handler = handler;
    this.concurrency = Math.max(1, options.concurrency);
    this.pump();
  }

  async pause(): Promise<void> {
    this.paused = true;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private later(entry: Entry, delayMs: number): void {
    if (delayMs <= 0) {
      this.ready.push(entry);
      queueMicrotask(() => this.pump());
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.ready.push(entry);
      this.pump();
    }, delayMs);
    this.timers.add(t);
  }

  private pump(): void {
    while (this.handler && !this.closed && !this.paused && this.active < this.concurrency && this.ready.length > 0) {
      const entry = this.ready.shift()!;
      this.active++;
      void this.run(entry);
    }
  }

  private async run(entry: Entry): Promise<void> {
    try {
      await this.handler!(entry.job);
      this.known.delete(entry.id);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.options.onError?.(error);
      entry.attempts++;
      if (entry.attempts < (this.options.attempts ?? 5) && !this.closed) {
        this.later(entry, (this.options.backoffMs ?? 200) * 2 ** (entry.attempts - 1));
      } else {
        this.known.delete(entry.id);
      }
    } finally {
      this.active--;
      if (this.active === 0) for (const r of this.idle.splice(0)) r();
      this.pump();
    }
  }
}
