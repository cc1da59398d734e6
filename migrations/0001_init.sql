-- Baton's first schema. Plain PostgreSQL 15, no extensions: the embedded mode runs these on PGlite too.
-- Documents and payloads are `json`, not `jsonb`: jsonb reorders object keys, and Step Functions preserves them.

CREATE TABLE state_machines (
  arn text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  type text NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE',
  definition text NOT NULL,
  role_arn text NOT NULL,
  revision integer NOT NULL,
  revision_id text NOT NULL,
  logging_configuration json,
  tracing_configuration json,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Every definition a state machine has had: running executions keep the revision they started with.
CREATE TABLE state_machine_revisions (
  state_machine_arn text NOT NULL,
  revision integer NOT NULL,
  revision_id text NOT NULL,
  definition text NOT NULL,
  role_arn text NOT NULL,
  logging_configuration json,
  tracing_configuration json,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (state_machine_arn, revision)
);

CREATE TABLE executions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  arn text NOT NULL UNIQUE,
  state_machine_arn text NOT NULL,
  state_machine_revision integer NOT NULL,
  name text NOT NULL,
  status text NOT NULL,
  input text NOT NULL,
  output text,
  error text,
  cause text,
  start_date timestamptz NOT NULL,
  stop_date timestamptz,
  doc json NOT NULL,
  version integer NOT NULL DEFAULT 0,
  CONSTRAINT executions_name_per_machine UNIQUE (state_machine_arn, name)
);
CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_date DESC, id DESC);
CREATE INDEX executions_by_machine_status ON executions (state_machine_arn, status, start_date DESC, id DESC);
CREATE INDEX executions_by_status ON executions (status, start_date DESC);

CREATE TABLE history_events (
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  event_id integer NOT NULL,
  previous_event_id integer NOT NULL,
  type text NOT NULL,
  "timestamp" timestamptz NOT NULL,
  details json NOT NULL,
  PRIMARY KEY (execution_id, event_id)
);

-- The durable inbox: everything that wants to change an execution lands here first.
CREATE TABLE signals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  body json NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  consumed_at timestamptz
);
CREATE INDEX signals_pending ON signals (execution_id, id) WHERE consumed_at IS NULL;
CREATE INDEX signals_pending_age ON signals (created_at) WHERE consumed_at IS NULL;

CREATE TABLE timers (
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  timer_id text NOT NULL,
  fire_at timestamptz NOT NULL,
  purpose text NOT NULL,
  task_id text,
  PRIMARY KEY (execution_id, timer_id)
);
CREATE INDEX timers_due ON timers (fire_at);

-- Invocations the workers make: scheduled -> running (leased) -> deleted with the outcome; polling between .sync polls.
CREATE TABLE tasks (
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  task_id text NOT NULL,
  status text NOT NULL,
  request json NOT NULL,
  started boolean NOT NULL DEFAULT false,
  claims integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at timestamptz,
  poll_state json,
  poll_count integer NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_id, task_id)
);
CREATE INDEX tasks_scheduled ON tasks (updated_at) WHERE status = 'scheduled';
CREATE INDEX tasks_leases ON tasks (lease_expires_at) WHERE status = 'running';

-- Task tokens, stored as SHA-256 hex of the token handed out; single use.
CREATE TABLE task_tokens (
  token_hash text PRIMARY KEY,
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  task_id text NOT NULL,
  status text NOT NULL DEFAULT 'open',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_tokens_by_task ON task_tokens (execution_id, task_id);

CREATE TABLE activities (
  arn text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL
);

CREATE TABLE activity_tasks (
  execution_id bigint NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  task_id text NOT NULL,
  activity_arn text NOT NULL,
  input text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_id, task_id)
);
CREATE INDEX activity_tasks_queue ON activity_tasks (activity_arn, created_at);

CREATE TABLE tags (
  resource_arn text NOT NULL,
  key text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (resource_arn, key)
);
