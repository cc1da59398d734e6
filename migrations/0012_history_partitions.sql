-- History partitioned by execution id range, so that retention drops a whole partition (a metadata operation, no
-- WAL per row) once no execution with an id in its range is left (docs/scale-out.md, "History layout").
--
-- Execution ids come from an identity and grow with start time; the primary key (execution_id, event_id) already
-- contains the partition key, so one execution's reads and appends prune to one partition. Each partition holds
-- 1,000,000 execution ids (HISTORY_PARTITION_WIDTH in packages/store/src/repos/history-partitions.ts: the two must
-- agree), and is named history_events_p<first id / 1,000,000>.
--
-- The existing table becomes the first partition, covering every id up to the next multiple of the width above
-- the identity's last value: ATTACH only scans it to check the bound (no copy, no rewrite). The next partition is
-- created here; the timer role keeps one ahead of the identity from then on, and a DEFAULT partition catches any
-- id that arrives before its partition exists, so that a missing partition never fails a transition (the timer
-- moves such rows into the partition when it creates it).
--
-- The foreign key to executions goes: with ON DELETE CASCADE every deleted execution would delete its history row
-- by row, which is what the partitions are for avoiding. The retention sweep deletes history explicitly where it
-- cannot drop a partition (packages/store/src/repos/retention.ts).
--
-- On a large installation the ATTACH scan holds the old table's lock for a full scan: run it in a quiet moment,
-- or first add and validate (without blocking writes) a CHECK constraint that proves the bound, which ATTACH then
-- uses instead of scanning:
--   ALTER TABLE history_events ADD CONSTRAINT history_events_p0_bound CHECK (execution_id < <bound>) NOT VALID;
--   ALTER TABLE history_events VALIDATE CONSTRAINT history_events_p0_bound;
ALTER TABLE history_events DROP CONSTRAINT history_events_execution_id_fkey;
ALTER TABLE history_events RENAME TO history_events_p0;
ALTER INDEX history_events_pkey RENAME TO history_events_p0_pkey;

CREATE TABLE history_events (
  execution_id bigint NOT NULL,
  event_id integer NOT NULL,
  previous_event_id integer NOT NULL,
  type text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  details json NOT NULL,
  PRIMARY KEY (execution_id, event_id)
) PARTITION BY RANGE (execution_id);

DO $$
DECLARE
  width constant bigint := 1000000;
  last_id bigint := coalesce(pg_sequence_last_value(pg_get_serial_sequence('executions', 'id')::regclass), 0);
  bound bigint;
BEGIN
  -- A row already in the old table may name an id above the identity's value only if the identity was reset.
  SELECT greatest(last_id, coalesce(max(execution_id), 0)) INTO last_id FROM history_events_p0;
  bound := (last_id / width + 1) * width;
  EXECUTE format('ALTER TABLE history_events ATTACH PARTITION history_events_p0 FOR VALUES FROM (MINVALUE) TO (%s)', bound);
  EXECUTE format('CREATE TABLE history_events_p%s PARTITION OF history_events FOR VALUES FROM (%s) TO (%s)',
    bound / width, bound, bound + width);
END $$;

CREATE TABLE history_events_default PARTITION OF history_events DEFAULT;
