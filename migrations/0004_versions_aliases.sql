-- State machine versions and aliases; the configuration members AWS defines that Baton now stores (encryption);
-- what an execution was started through (version, alias), its X-Ray trace header, and its redrive counters.

-- AWS gives a state machine's first revision no revision id (DescribeStateMachine shows none until an update).
ALTER TABLE state_machines ALTER COLUMN revision_id DROP NOT NULL;
ALTER TABLE state_machine_revisions ALTER COLUMN revision_id DROP NOT NULL;

ALTER TABLE state_machines
  ADD COLUMN encryption_configuration json,
  -- Version numbers are never reused, even after a version is deleted (AWS publishes :3 after deleting :2).
  ADD COLUMN next_version integer NOT NULL DEFAULT 1,
  -- CreateStateMachine's idempotency check covers `publish` and `versionDescription` too.
  ADD COLUMN created_with_publish boolean NOT NULL DEFAULT false,
  ADD COLUMN created_version_description text;
ALTER TABLE state_machine_revisions ADD COLUMN encryption_configuration json;
ALTER TABLE activities ADD COLUMN encryption_configuration json;

-- A version is an immutable snapshot of one revision (whose definition stays in state_machine_revisions).
-- At most one live version per revision: publishing an already published revision returns that version.
CREATE TABLE state_machine_versions (
  state_machine_arn text NOT NULL,
  version integer NOT NULL,
  revision integer NOT NULL,
  description text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (state_machine_arn, version),
  CONSTRAINT state_machine_versions_one_per_revision UNIQUE (state_machine_arn, revision)
);

-- An alias routes StartExecution to one or two versions: routing = [{"version": n, "weight": w}, ...].
CREATE TABLE state_machine_aliases (
  state_machine_arn text NOT NULL,
  name text NOT NULL,
  description text,
  routing json NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (state_machine_arn, name)
);

ALTER TABLE executions
  ADD COLUMN state_machine_version integer,
  ADD COLUMN state_machine_alias text,
  ADD COLUMN trace_header text,
  -- Seams for RedriveExecution: ListExecutions' redriveFilter and DescribeExecution read these already.
  ADD COLUMN redrive_count integer NOT NULL DEFAULT 0,
  ADD COLUMN redrive_date timestamptz;
CREATE INDEX executions_by_version ON executions (state_machine_arn, state_machine_version, start_date DESC, id DESC)
  WHERE state_machine_version IS NOT NULL;
CREATE INDEX executions_by_alias ON executions (state_machine_arn, state_machine_alias, start_date DESC, id DESC)
  WHERE state_machine_alias IS NOT NULL;
