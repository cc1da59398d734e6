/**
 * Deletes closed executions (and everything hanging off them) once they are older than the retention: every
 * `intervalMs` it deletes batches of `batchSize` executions, one short transaction each, until a batch comes back
 * short. Batches skip rows another replica holds (SKIP LOCKED), so several timer replicas share the work.
 * The timer role runs it (and `baton server`, which has one).
 *
 * Each round also keeps the history partitions (migration 0012): it creates those due ahead of the execution ids
 * and drops the sealed ones whose executions are all gone. With retention off (`retentionMs` undefined) it still
 * runs for that, and deletes nothing.
 */
import { ensureError } from './logger.js';
import type { Runtime } from './runtime.js';

export interface RetentionSweeperOptions {
  /** How long a closed execution is kept, in ms (decimals of days arrive here as ms); undefined: forever. */
  retentionMs: number | undefined;
  /** Time between sweeps (default 60 s). */
  intervalMs?: number;
  /** Executions deleted per transaction (default 500). */
  batchSize?: number;
  /**
   * VACUUM the swept tables after a sweep that deleted something (default false): for the embedded database,
   * which has no autovacuum. On a Postgres server autovacuum does it; a warning says so if it is off.
   */
  vacuum?: boolean;
}

export class RetentionSweeper {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private running = false;
  private stopping = false;
  private readonly intervalMs: number;
  private readonly batchSize: number;
  /** Executions deleted by this instance (tests, logs). */
  deleted = 0;
  /** History partitions dropped by this instance (tests, logs). */
  droppedPartitions: string[] = [];

  constructor(private readonly rt: Runtime, private readonly options: RetentionSweeperOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.batchSize = options.batchSize ?? 500;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.options.vacuum && this.options.retentionMs !== undefined) {
      this.rt.store.retention.autovacuumOn().then((on) => {
        if (!on) this.rt.log.warn('autovacuum is off: expired executions are deleted, but their space is only reused after a VACUUM');
      }, () => {});
    }
    const tick = (): void => {
      this.round = this.sweepOnce().then(
        async (n) => {
          const { created, dropped } = await this.maintainPartitions();
          if (created.length > 0) this.rt.log.info('history partitions created', { partitions: created });
          if (dropped.length > 0) this.rt.log.info('history partitions dropped', { partitions: dropped });
          if (n === 0) return;
          this.rt.log.info('retention sweep', { deleted: n });
          if (this.options.vacuum) await this.rt.store.retention.vacuum();
        },
      ).catch((e: unknown) => this.rt.log.error('retention sweep failed', { error: ensureError(e).message })).finally(() => {
        if (this.running) this.timer = setTimeout(tick, this.intervalMs);
      });
    };
    this.timer = setTimeout(tick, Math.min(this.intervalMs, 1_000));
  }

  /** Ends after the batch in progress. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round;
  }

  /** Creates the history partitions due ahead, then drops the sealed ones left empty. */
  async maintainPartitions(): Promise<{ created: string[]; dropped: string[] }> {
    const r = await this.rt.store.retention.maintainHistoryPartitions();
    this.droppedPartitions.push(...r.dropped);
    return r;
  }

  /** Deletes every execution past the retention now, batch by batch; returns how many. */
  async sweepOnce(): Promise<number> {
    if (this.options.retentionMs === undefined) return 0;
    const cutoff = new Date(this.rt.clock.now() - this.options.retentionMs);
    let total = 0;
    for (;;) {
      const n = await this.rt.store.retention.deleteClosedBefore(cutoff, this.batchSize);
      total += n;
      this.deleted += n;
      // Until a batch finds nothing: a Map Run's parent becomes deletable once its children went in the batches
      // before. Rows held by another replica are skipped; that replica deletes them.
      if (n === 0 || this.stopping) return total;
    }
  }
}
