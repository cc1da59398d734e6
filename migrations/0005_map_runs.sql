-- Distributed Map: a Map Run and its child executions. A child is an ordinary execution (its own history, its own
-- transitions); map_run_children ties it to its Map Run by index, so that creating children is idempotent (the
-- Map Run's next_child advances under a compare-and-set in the same transaction) and each child's outcome is
-- counted exactly once (the trigger marks the child row when the execution ends; the driver counts and flags it).

CREATE TABLE map_runs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  arn text NOT NULL UNIQUE,
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  -- the state machine the children run: <parent state machine>/<label>
  state_machine_arn text NOT NULL,
  state_machine_revision integer NOT NULL,
  status text NOT NULL,
  -- the interpreter's startMapRun command: items source, batcher, ItemSelector, writer, processor
  spec json NOT NULL,
  max_concurrency integer NOT NULL,
  tolerated_failure_count bigint,
  tolerated_failure_percentage double precision,
  -- where the reader resumes: the position after the last item given to a child
  reader_position json,
  reader_done boolean NOT NULL DEFAULT false,
  items_read bigint NOT NULL DEFAULT 0,
  next_child integer NOT NULL DEFAULT 0,
  running integer NOT NULL DEFAULT 0,
  succeeded integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  timed_out integer NOT NULL DEFAULT 0,
  aborted integer NOT NULL DEFAULT 0,
  items_running bigint NOT NULL DEFAULT 0,
  items_succeeded bigint NOT NULL DEFAULT 0,
  items_failed bigint NOT NULL DEFAULT 0,
  items_timed_out bigint NOT NULL DEFAULT 0,
  items_aborted bigint NOT NULL DEFAULT 0,
  -- items whose results the ResultWriter wrote, and the children those results came from
  results_written bigint NOT NULL DEFAULT 0,
  children_written integer NOT NULL DEFAULT 0,
  -- set when the Map Run must end early (its parent stopped it, or it failed): children are stopped first
  ending text,
  children_stopped boolean NOT NULL DEFAULT false,
  error text,
  cause text,
  start_date timestamptz NOT NULL,
  stop_date timestamptz,
  lease_owner text,
  lease_expires_at timestamptz
);
CREATE INDEX map_runs_by_execution ON map_runs (execution_id, id);
CREATE INDEX map_runs_running ON map_runs (lease_expires_at) WHERE status = 'RUNNING';

CREATE TABLE map_run_children (
  map_run_id bigint NOT NULL REFERENCES map_runs (id) ON DELETE CASCADE,
  child_index integer NOT NULL,
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  first_item bigint NOT NULL,
  item_count integer NOT NULL,
  status text NOT NULL DEFAULT 'RUNNING',
  counted boolean NOT NULL DEFAULT false,
  PRIMARY KEY (map_run_id, child_index)
);
CREATE UNIQUE INDEX map_run_children_by_execution ON map_run_children (execution_id);
CREATE INDEX map_run_children_ended ON map_run_children (map_run_id) WHERE status <> 'RUNNING' AND NOT counted;
CREATE INDEX map_run_children_running ON map_run_children (map_run_id) WHERE status = 'RUNNING';

-- An execution that ends marks its child row, in the transaction that ended it (a no-op for other executions).
CREATE FUNCTION baton_map_run_child_ended() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE map_run_children SET status = NEW.status WHERE execution_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER executions_map_run_child_ended AFTER UPDATE OF status ON executions
  FOR EACH ROW WHEN (OLD.status = 'RUNNING' AND NEW.status <> 'RUNNING') EXECUTE FUNCTION baton_map_run_child_ended();
