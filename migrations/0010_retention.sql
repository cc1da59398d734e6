-- Retention (BATON_HISTORY_RETENTION_DAYS): the timer role's sweep deletes closed executions whose stop date is
-- older than the retention, a few hundred per statement, oldest first. Deleting an execution row cascades to
-- everything that hangs off it (history_events, signals, tasks, timers, task_tokens, activity_tasks, map_runs and
-- through them map_run_children); a Distributed Map's child executions are deleted before their parent.
--
-- The sweep walks closed executions by stop date (a redriven execution is RUNNING again and leaves this index).
CREATE INDEX IF NOT EXISTS executions_closed ON executions (stop_date) WHERE status <> 'RUNNING';
-- Every table the cascade reaches must be found by execution id, or each deleted execution would scan the whole
-- table: signals only had a partial index on the pending ones (consumed signals are kept).
CREATE INDEX IF NOT EXISTS signals_by_execution ON signals (execution_id);
-- Both are plain CREATE INDEX (a migration runs in a transaction), which blocks writes to the table while it is
-- built. On a large installation, build them first by hand with the same names, then upgrade:
--   CREATE INDEX CONCURRENTLY executions_closed ON executions (stop_date) WHERE status <> 'RUNNING';
--   CREATE INDEX CONCURRENTLY signals_by_execution ON signals (execution_id);
