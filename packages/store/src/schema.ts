/**
 * The tables of ../../migrations as Kysely sees them (snake_case, as in SQL). Only the store uses these names;
 * the repositories map rows to the engine's camelCase records.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `json` columns: read parsed, written as JSON text (pg would turn a JS array into a Postgres array). */
type JsonColumn<T = unknown> = ColumnType<T, string, string>;

export interface DB {
  state_machines: {
    arn: string;
    name: string;
    type: string;
    status: Generated<string>;
    definition: string;
    role_arn: string;
    revision: number;
    revision_id: string | null;
    logging_configuration: JsonColumn | null;
    tracing_configuration: JsonColumn | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    encryption_configuration: JsonColumn | null;
    next_version: Generated<number>;
    created_with_publish: Generated<boolean>;
    created_version_description: string | null;
  };
  state_machine_revisions: {
    state_machine_arn: string;
    revision: number;
    revision_id: string | null;
    definition: string;
    role_arn: string;
    logging_configuration: JsonColumn | null;
    tracing_configuration: JsonColumn | null;
    created_at: Timestamp;
    encryption_configuration: JsonColumn | null;
  };
  state_machine_versions: {
    state_machine_arn: string;
    version: number;
    revision: number;
    description: string | null;
    created_at: Timestamp;
  };
  state_machine_aliases: {
    state_machine_arn: string;
    name: string;
    description: string | null;
    routing: JsonColumn<{ version: number; weight: number }[]>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  executions: {
    id: Generated<string>;
    arn: string;
    state_machine_arn: string;
    state_machine_revision: number;
    name: string;
    status: string;
    input: string;
    output: string | null;
    error: string | null;
    cause: string | null;
    start_date: Timestamp;
    stop_date: Timestamp | null;
    doc: JsonColumn;
    version: Generated<number>;
    state_machine_version: number | null;
    state_machine_alias: string | null;
    trace_header: string | null;
    trace_context: string | null;
    trace_caller_span_id: string | null;
    redrive_count: Generated<number>;
    redrive_date: Timestamp | null;
    redrive_tokens: JsonColumn | null;
    step_attempts: Generated<number>;
    step_owner: string | null;
  };
  history_events: {
    execution_id: string;
    event_id: number;
    previous_event_id: number;
    type: string;
    timestamp: Timestamp;
    details: JsonColumn<Record<string, unknown>>;
  };
  signals: {
    id: Generated<string>;
    execution_id: string;
    body: JsonColumn;
    created_at: Generated<Date>;
    consumed_at: Timestamp | null;
  };
  timers: {
    execution_id: string;
    timer_id: string;
    fire_at: Timestamp;
    purpose: string;
    task_id: string | null;
  };
  tasks: {
    execution_id: string;
    task_id: string;
    status: string;
    request: JsonColumn;
    started: Generated<boolean>;
    claims: Generated<number>;
    lease_owner: string | null;
    lease_expires_at: Timestamp | null;
    poll_state: JsonColumn | null;
    poll_count: Generated<number>;
    updated_at: Generated<Date>;
  };
  task_tokens: {
    token_hash: string;
    execution_id: string;
    task_id: string;
    status: Generated<string>;
    created_at: Generated<Date>;
  };
  activities: {
    arn: string;
    name: string;
    created_at: Timestamp;
    encryption_configuration: JsonColumn | null;
  };
  activity_tasks: {
    execution_id: string;
    task_id: string;
    activity_arn: string;
    input: string;
    created_at: Generated<Date>;
    expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  tags: {
    resource_arn: string;
    key: string;
    value: string;
  };
  signing_keys: {
    purpose: string;
    key: string;
    created_at: Generated<Date>;
  };
  map_runs: {
    id: Generated<string>;
    arn: string;
    execution_id: string;
    state_machine_arn: string;
    state_machine_revision: number;
    status: string;
    spec: JsonColumn;
    max_concurrency: number;
    tolerated_failure_count: string | number | null;
    tolerated_failure_percentage: number | null;
    reader_position: JsonColumn | null;
    reader_done: Generated<boolean>;
    items_read: Generated<string>;
    next_child: Generated<number>;
    running: Generated<number>;
    succeeded: Generated<number>;
    failed: Generated<number>;
    timed_out: Generated<number>;
    aborted: Generated<number>;
    items_running: Generated<string>;
    items_succeeded: Generated<string>;
    items_failed: Generated<string>;
    items_timed_out: Generated<string>;
    items_aborted: Generated<string>;
    results_written: Generated<string>;
    children_written: Generated<number>;
    ending: string | null;
    children_stopped: Generated<boolean>;
    error: string | null;
    cause: string | null;
    error_location: Generated<string | null>;
    start_date: Timestamp;
    stop_date: Timestamp | null;
    lease_owner: string | null;
    redrive_count: Generated<number>;
    redrive_date: Timestamp | null;
    lease_expires_at: Timestamp | null;
  };
  map_run_children: {
    map_run_id: string;
    child_index: number;
    execution_id: string;
    first_item: string | number;
    item_count: number;
    status: Generated<string>;
    counted: Generated<boolean>;
  };
  execution_log_outbox: {
    id: Generated<string>;
    log_group_arn: string;
    state_machine_name: string;
    event_time: Timestamp;
    message: string;
    attempts: Generated<number>;
    next_attempt_at: Generated<Date>;
    last_error: string | null;
  };
}

export const json = (value: unknown): string => JSON.stringify(value);
export const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
