-- Tracing: each execution's trace context, so that spans from any worker join one trace. `trace_context` is the
-- W3C traceparent of the execution's root span (its ids are drawn at StartExecution; the root span itself is
-- emitted when the execution ends, with these ids and the start date); `trace_caller_span_id` is the span of the
-- caller whose trace a StartExecution continued (a `traceparent` header, an X-Ray `traceHeader`), the root's parent.
ALTER TABLE executions ADD COLUMN trace_context text;
ALTER TABLE executions ADD COLUMN trace_caller_span_id text;

-- Execution logs (loggingConfiguration): the log events a transition writes, in the transition's own transaction,
-- and drained to CloudWatch Logs by the worker role in batches, retried with backoff; a transition never waits
-- for CloudWatch. `message` is the log event as AWS writes it (JSON text).
CREATE TABLE execution_log_outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  log_group_arn text NOT NULL,
  state_machine_name text NOT NULL,
  event_time timestamptz NOT NULL,
  message text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text
);
CREATE INDEX execution_log_outbox_due ON execution_log_outbox (next_attempt_at, id);
