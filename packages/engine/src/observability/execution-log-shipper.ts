/**
 * Delivers the execution-log outbox to CloudWatch Logs, in the worker role, off every transition's path: claim a
 * batch of due entries (leased, so replicas share the work), group them by log group and state machine, write each
 * group to this process's log stream for that machine (created on first use, `ResourceAlreadyExistsException`
 * tolerated by the delivery port), delete what was delivered and reschedule the rest with exponential backoff.
 * An entry still undeliverable after `maxAttempts` is dropped with a warning (CloudWatch Logs is best-effort on
 * AWS too: "Publishing logs doesn't block or slow down executions").
 *
 * Log streams are named as Step Functions names them: `states/<state machine>/<yyyy-MM-dd-HH-mm>/<id>`, with
 * the minute the stream was opened and an id per process (so two workers never write one stream).
 */
import { randomBytes } from 'node:crypto';
import { ensureError, type Logger } from '../logger.js';
import type { Clock, ExecutionLogRepo } from '../ports.js';

/** CloudWatch Logs, as the shipper needs it (satisfied by @baton/integrations' `CloudWatchLogsDelivery`). */
export interface ExecutionLogDelivery {
  /** Creates the stream; one that already exists is fine. */
  createLogStream(logGroupArn: string, logStreamName: string): Promise<void>;
  /** Events in chronological order, within PutLogEvents' limits (the shipper batches them so). */
  putLogEvents(logGroupArn: string, logStreamName: string, events: readonly { timestamp: number; message: string }[]): Promise<void>;
}

export interface ExecutionLogShipperOptions {
  /** How often to look for entries when the last look found none (ms). */
  pollMs?: number;
  /** Entries claimed per round. */
  batchSize?: number;
  /** How long a claim is held before another replica may retry the entries (ms). */
  leaseMs?: number;
  /** First retry delay; doubles per attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts before an entry is dropped. */
  maxAttempts?: number;
}

/** PutLogEvents: at most 10,000 events and 1,048,576 bytes (each message's UTF-8 bytes + 26), spanning < 24 h. */
const MAX_EVENTS = 10_000;
const MAX_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const MAX_SPAN_MS = 24 * 3600 * 1000 - 1;

interface Claimed {
  id: string;
  attempts: number;
  logGroupArn: string;
  stateMachineName: string;
  eventTime: Date;
  message: string;
}

export class ExecutionLogShipper {
  private readonly o: Required<ExecutionLogShipperOptions>;
  private readonly processId = randomBytes(4).toString('hex');
  /** Stream name per (log group, state machine); the minute in its name is when this process opened it. */
  private readonly streams = new Map<string, string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly repo: ExecutionLogRepo,
    private readonly delivery: ExecutionLogDelivery,
    private readonly clock: Clock,
    private readonly log: Logger,
    options: ExecutionLogShipperOptions = {},
  ) {
    this.o = {
      pollMs: options.pollMs ?? 1_000, batchSize: options.batchSize ?? 1_000, leaseMs: options.leaseMs ?? 60_000,
      backoffMs: options.backoffMs ?? 1_000, maxBackoffMs: options.maxBackoffMs ?? 300_000, maxAttempts: options.maxAttempts ?? 20,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Stops after the round in progress, waiting `graceMs` at most: a slow CloudWatch Logs must not hold a stopping
   * worker. What that round claimed stays leased and is delivered by another worker (or this one, restarted).
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.running = false;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.deliverOnce();
      } catch (e) {
        this.log.warn('execution log delivery round failed; retrying', { error: ensureError(e).message });
      }
      if (claimed < this.o.batchSize && this.running) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, this.o.pollMs);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** One round: claims due entries and delivers them. Returns how many were claimed. */
  async deliverOnce(): Promise<number> {
    const now = this.clock.now();
    const rows = await this.repo.claimDue(new Date(now), new Date(now + this.o.leaseMs), this.o.batchSize);
    const groups = new Map<string, Claimed[]>();
    for (const r of rows) {
      const key = `${r.logGroupArn}\n${r.stateMachineName}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(r);
    }
    for (const [key, entries] of groups) await this.deliverGroup(key, entries);
    return rows.length;
  }

  private async deliverGroup(key: string, entries: Claimed[]): Promise<void> {
    const first = entries[0]!;
    // PutLogEvents wants chronological order; ties keep the order they were written in.
    entries.sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime() || Number(a.id) - Number(b.id));
    for (const batch of batches(entries)) {
      try {
        const stream = await this.stream(key, first.logGroupArn, first.stateMachineName);
        try {
          await this.delivery.putLogEvents(first.logGroupArn, stream, batch.map((e) => ({ timestamp: e.eventTime.getTime(), message: e.message })));
        } catch (e) {
          // The stream was deleted meanwhile: open it again once, then let the backoff handle the rest.
          if (ensureError(e).name !== 'ResourceNotFoundException') throw e;
          this.streams.delete(key);
          const again = await this.stream(key, first.logGroupArn, first.stateMachineName);
          await this.delivery.putLogEvents(first.logGroupArn, again, batch.map((x) => ({ timestamp: x.eventTime.getTime(), message: x.message })));
        }
        await this.repo.delete(batch.map((e) => e.id));
      } catch (e) {
        await this.failed(batch, ensureError(e));
      }
    }
  }

  private async stream(key: string, logGroupArn: string, stateMachineName: string): Promise<string> {
    let name = this.streams.get(key);
    if (name === undefined) {
      name = `states/${stateMachineName}/${minute(this.clock.now())}/${this.processId}`;
      await this.delivery.createLogStream(logGroupArn, name);
      this.streams.set(key, name);
    }
    return name;
  }

  private async failed(batch: Claimed[], error: Error): Promise<void> {
    const message = `${error.name}: ${error.message}`;
    const drop = batch.filter((e) => e.attempts + 1 >= this.o.maxAttempts);
    const retry = batch.filter((e) => e.attempts + 1 < this.o.maxAttempts);
    if (drop.length > 0) {
      this.log.warn('execution log events dropped after repeated delivery failures', {
        logGroupArn: batch[0]!.logGroupArn, events: drop.length, attempts: this.o.maxAttempts, error: message,
      });
      await this.repo.delete(drop.map((e) => e.id));
    }
    // Entries of one batch were written together and failed together: they share an attempt count in practice.
    const attempts = Math.min(...retry.map((e) => e.attempts), 30);
    const delay = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** attempts);
    if (retry.length > 0) {
      this.log.warn('execution log delivery failed; will retry', { logGroupArn: batch[0]!.logGroupArn, events: retry.length, retryInMs: delay, error: message });
      await this.repo.reschedule(retry.map((e) => e.id), new Date(this.clock.now() + delay), message);
    }
  }
}

function* batches(entries: readonly Claimed[]): Generator<Claimed[]> {
  let batch: Claimed[] = [];
  let bytes = 0;
  for (const e of entries) {
    const size = Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD;
    const full = batch.length >= MAX_EVENTS || bytes + size > MAX_BYTES
      || (batch.length > 0 && e.eventTime.getTime() - batch[0]!.eventTime.getTime() > MAX_SPAN_MS);
    if (full && batch.length > 0) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

/** `yyyy-MM-dd-HH-mm` in UTC, as Step Functions' log stream names show the time. */
function minute(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
}
