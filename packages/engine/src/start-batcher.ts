/**
 * Group commit for StartExecution (issue 13): starts that arrive while a commit is in flight wait for it and are
 * then written together, in one transaction of two multi-row inserts (the executions, their `start` signals), and
 * their transition jobs enqueued together. One start alone still costs one transaction; many clients at once share
 * one commit (and its WAL flush) per batch instead of paying one each. Name idempotency is the insert's
 * ON CONFLICT as before: a start whose (state machine, name) is taken, also by an earlier start of the same batch,
 * gets undefined and is answered by the caller as a lone start would be. A failed commit fails every start of its
 * batch (each caller sees the error; nothing was written).
 */
import type { Signal } from '@baton/asl';
import { transitionJob } from './job-ids.js';
import type { ExecutionRecord, NewExecution } from './ports.js';
import type { Runtime } from './runtime.js';

interface PendingStart {
  execution: NewExecution;
  signal: Signal;
  resolve: (row: ExecutionRecord | undefined) => void;
  reject: (e: unknown) => void;
}

/** Starts written in one commit at most (a bound on the statement's size). */
const MAX_BATCH = 500;

export class StartBatcher {
  private waiting: PendingStart[] = [];
  private flushing = false;

  constructor(private readonly rt: Runtime) {}

  /** Writes the execution and its start signal, enqueues its first transition; undefined when the name is taken. */
  start(execution: NewExecution, signal: Signal): Promise<ExecutionRecord | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ execution, signal, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const results = await this.rt.store.transaction((tx) => tx.executions.insertStarts(batch));
          const dispatch = results.flatMap((r) => (r ? [transitionJob(r.execution.id, r.signalId)] : []));
          await Promise.all(dispatch.map((d) => this.rt.dispatch([d]))); // sent together: one Redis round trip's wait
          batch.forEach((p, i) => p.resolve(results[i]?.execution));
        } catch (e) {
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
