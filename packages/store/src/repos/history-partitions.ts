/**
 * The partitions of `history_events` (migration 0012): ranges of execution ids, created ahead of the identity and
 * dropped whole once no execution with an id in their range is left. The timer role calls both every retention
 * interval (and `migrate()` creates them ahead at start); see docs/scale-out.md, "History layout".
 *
 * Hand-written rather than pg_partman: the embedded store (PGlite) has no such extension, and the two operations
 * here are a few statements each.
 */
import { sql, type Kysely, type Transaction } from 'kysely';

/**
 * Execution ids per partition. At the measured peak of about 700 starts/s a partition fills in roughly 25
 * minutes, so one created ahead every minute leaves a wide margin; at a more usual load it lasts days, so a
 * 90-day retention keeps tens to a few hundred partitions (insert routing and one-execution reads stay one binary
 * search and one partition). Wider partitions would hold disk longer: a partition goes only once every
 * execution in its range is gone. Migration 0012 uses the same number.
 */
export const HISTORY_PARTITION_WIDTH = 1_000_000n;

/**
 * How long a partition change may wait for its locks before giving up until the next round. Creating one locks
 * only the default partition (and the parent against other DDL); dropping one locks the whole table, and every
 * history read and append queues behind the waiting DROP: it gives up sooner.
 */
const ATTACH_LOCK_TIMEOUT = '2s';
const DROP_LOCK_TIMEOUT = '500ms';

/** Serialises partition maintenance between timer replicas (any constant shared by them). */
const MAINTENANCE_LOCK = 0x62687074; // 'bhpt'

export interface HistoryPartition {
  name: string;
  /** First execution id of the range; undefined for MINVALUE (the first partition, the table before 0012). */
  from: bigint | undefined;
  /** First id past the range. */
  to: bigint;
}

export class HistoryPartitions {
  /** The identity's sequence, quoted and qualified as `pg_get_serial_sequence` gives it. */
  private sequence: string | undefined;

  constructor(private readonly db: Kysely<any>) {}

  /** Whether history is partitioned (false on a database migrated only up to 0011, as some tests do). */
  async partitioned(): Promise<boolean> {
    const r = await sql<{ yes: boolean }>`SELECT to_regclass('history_events_default') IS NOT NULL AS yes`.execute(this.db);
    return r.rows[0]?.yes === true;
  }

  /** The range partitions, lowest first (the default partition is not among them). */
  async list(db: Kysely<any> = this.db): Promise<HistoryPartition[]> {
    const r = await sql<{ name: string; bound: string }>`
      SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'history_events'::regclass`.execute(db);
    const out: HistoryPartition[] = [];
    for (const row of r.rows) {
      if (row.bound === 'DEFAULT') continue;
      const m = /^FOR VALUES FROM \((MINVALUE|'?(-?\d+)'?)\) TO \('?(-?\d+)'?\)$/.exec(row.bound);
      if (!m) throw new Error(`unexpected partition bound of ${row.name}: ${row.bound}`);
      out.push({ name: row.name, from: m[2] === undefined ? undefined : BigInt(m[2]), to: BigInt(m[3]!) });
    }
    return out.sort((a, b) => (a.to < b.to ? -1 : 1));
  }

  /**
   * The identity's last value: the last id handed out, or after a RESTART the next one (read from the sequence
   * itself: `pg_sequence_last_value` is null until the first id after a RESTART).
   */
  async lastExecutionId(db: Kysely<any> = this.db): Promise<bigint> {
    this.sequence ??= (await sql<{ name: string }>`SELECT pg_get_serial_sequence('executions', 'id') AS name`.execute(db)).rows[0]!.name;
    const r = await sql<{ id: string }>`SELECT last_value::text AS id FROM ${sql.raw(this.sequence)}`.execute(db);
    return BigInt(r.rows[0]!.id);
  }

  /**
   * Creates the partitions missing from the one the identity allocates from to the next, so that one whole
   * partition is always ready ahead. Rows that reached the default partition for a new range are moved into
   * it in the same transaction. Returns the names created.
   */
  async ensureAhead(): Promise<string[]> {
    if (!(await this.partitioned())) return [];
    const created: string[] = [];
    for (;;) {
      const name = await this.db.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(${MAINTENANCE_LOCK})`.execute(tx);
        const top = (await this.list(tx)).at(-1)?.to ?? 0n;
        const current = await this.sealedBelow(tx);
        // Not below the identity's current partition: no new id falls there (the identity jumped, or the timer was
        // down that long); a late row there is caught by the default partition.
        const from = top > current ? top : current;
        if (from >= current + 2n * HISTORY_PARTITION_WIDTH) return undefined;
        return this.attach(tx, from, from + HISTORY_PARTITION_WIDTH);
      });
      if (name === undefined) return created;
      created.push(name);
    }
  }

  /**
   * Creates [from, to) as a table of its own, moves in any rows of that range from the default partition, then
   * attaches it: ATTACH takes a lighter lock on the parent than CREATE ... PARTITION OF, and is the only way to
   * create a range the default partition already holds rows of.
   */
  private async attach(tx: Transaction<any>, from: bigint, to: bigint): Promise<string> {
    const name = `history_events_p${from / HISTORY_PARTITION_WIDTH}`;
    const [lo, hi] = [sql.lit(from.toString()), sql.lit(to.toString())];
    await sql`SET LOCAL lock_timeout = ${sql.lit(ATTACH_LOCK_TIMEOUT)}`.execute(tx);
    await sql`CREATE TABLE ${sql.id(name)} (LIKE history_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`.execute(tx);
    // Proves the bound, so that ATTACH does not scan the new table.
    await sql`ALTER TABLE ${sql.id(name)} ADD CONSTRAINT ${sql.id(`${name}_bound`)} CHECK (execution_id >= ${lo} AND execution_id < ${hi})`.execute(tx);
    await sql`WITH moved AS (DELETE FROM history_events_default WHERE execution_id >= ${lo} AND execution_id < ${hi} RETURNING *)
      INSERT INTO ${sql.id(name)} SELECT * FROM moved`.execute(tx);
    await sql`ALTER TABLE history_events ATTACH PARTITION ${sql.id(name)} FOR VALUES FROM (${lo}) TO (${hi})`.execute(tx);
    await sql`ALTER TABLE ${sql.id(name)} DROP CONSTRAINT ${sql.id(`${name}_bound`)}`.execute(tx);
    return name;
  }

  /**
   * Drops the partitions whose whole range lies below the identity's current partition (no new execution can get
   * an id there) and that no execution is left in. The check is repeated under the lock the DROP takes: a
   * transaction still writing history into the partition holds it, and is then seen. A transition whose execution
   * row was not yet visible and whose history arrives after the drop lands in the default partition, which the
   * sweep cleans explicitly. Returns the names dropped.
   */
  async dropEmpty(): Promise<string[]> {
    if (!(await this.partitioned())) return [];
    const sealedBelow = await this.sealedBelow();
    const dropped: string[] = [];
    for (const p of await this.list()) {
      if (p.to > sealedBelow) break;
      if (await this.anyExecutionIn(this.db, p)) continue;
      const done = await this.db.transaction().execute(async (tx) => {
        await sql`SELECT pg_advisory_xact_lock(${MAINTENANCE_LOCK})`.execute(tx);
        await sql`SET LOCAL lock_timeout = ${sql.lit(DROP_LOCK_TIMEOUT)}`.execute(tx);
        await sql`LOCK TABLE history_events IN ACCESS EXCLUSIVE MODE`.execute(tx);
        if (await this.anyExecutionIn(tx, p)) return false;
        await sql`DROP TABLE ${sql.id(p.name)}`.execute(tx);
        return true;
      }).catch((e: unknown) => {
        // lock_not_available: history was busy for longer than the timeout; the next round tries again.
        if ((e as { code?: string }).code === '55P03') return false;
        throw e;
      });
      if (done) dropped.push(p.name);
    }
    return dropped;
  }

  /**
   * The first id of the partition the identity currently allocates from: every partition below it is sealed (no
   * new execution id falls in it). The sweep deletes history rows explicitly only from this id up (and in the
   * default partition); below it, rows wait for their partition to be dropped whole.
   */
  async sealedBelow(db: Kysely<any> = this.db): Promise<bigint> {
    return ((await this.lastExecutionId(db)) / HISTORY_PARTITION_WIDTH) * HISTORY_PARTITION_WIDTH;
  }

  private async anyExecutionIn(db: Kysely<any>, p: HistoryPartition): Promise<boolean> {
    const r = p.from === undefined
      ? await sql`SELECT 1 FROM executions WHERE id < ${p.to.toString()} LIMIT 1`.execute(db)
      : await sql`SELECT 1 FROM executions WHERE id >= ${p.from.toString()} AND id < ${p.to.toString()} LIMIT 1`.execute(db);
    return r.rows.length > 0;
  }
}
