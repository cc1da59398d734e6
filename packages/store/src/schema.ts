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
    revision_id: string;
    logging_configuration: JsonColumn | null;
    tracing_configuration: JsonColumn | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  state_machine_revisions: {
    state_machine_arn: string;
    revision: number;
    revision_id: string;
    definition: string;
    role_arn: string;
    logging_configuration: JsonColumn | null;
    tracing_configuration: JsonColumn | null;
    created_at: Timestamp;
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
  };
  activity_tasks: {
    execution_id: string;
    task_id: string;
    activity_arn: string;
    input: string;
    created_at: Generated<Date>;
  };
  tags: {
    resource_arn: string;
    key: string;
    value: string;
  };
}

export const json = (value: unknown): string => JSON.stringify(value);
export const jsonOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));
