/**
 * Execution history events as Step Functions writes them to CloudWatch Logs ("Using CloudWatch Logs to log
 * execution history"): one JSON object per event with `id`, `type`, `details` (the event's details object),
 * `previous_event_id`, `event_timestamp` (epoch milliseconds) and `execution_arn`, numbers as strings, plus
 * `redrive_count`. Which events a level keeps: ALL every event, OFF none (nothing is written: see
 * RevisionSettings), ERROR and FATAL the lists below.
 * Without `includeExecutionData`, `input`, `output` and `parameters` are left out of `details`. An input or output
 * over 248 KiB is truncated and its `*Details.truncated` set, as AWS does.
 */
import type { HistoryEvent } from '@baton/asl';
import type { ExecutionLogEntry } from '../ports.js';
import type { ExecutionLogging, LogLevel } from './revision-settings.js';

/**
 * The table of the Step Functions Developer Guide's "Log levels" page ("Log levels for Step Functions execution
 * events", https://docs.aws.amazon.com/step-functions/latest/dg/cloudwatch-log-level.html; source
 * awsdocs/aws-step-functions-developer-guide, doc_source/cloudwatch-log-level.md), row by row: FATAL keeps the
 * execution's own failed end; ERROR keeps those, FailStateEntered, and each failure, time-out and abort the table
 * lists. Checked against that table on 2026-12-05: it agrees with what Baton logged before these lists were
 * spelled out (a `*Failed` / `*TimedOut` / `*Aborted` suffix rule).
 */
const FATAL: ReadonlySet<string> = new Set(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);
const ERROR_DOCUMENTED = [
  ...FATAL, 'FailStateEntered',
  'LambdaFunctionFailed', 'LambdaFunctionScheduleFailed', 'LambdaFunctionStartFailed', 'LambdaFunctionTimedOut',
  'MapIterationAborted', 'MapIterationFailed', 'MapStateAborted', 'MapStateFailed',
  'ParallelStateAborted', 'ParallelStateFailed',
  'TaskFailed', 'TaskStartFailed', 'TaskStateAborted', 'TaskSubmitFailed', 'TaskTimedOut', 'WaitStateAborted',
];
/**
 * Event types the table has no row for (it predates activities' and Map Runs' events in it, and EvaluationFailed):
 * their failures, time-outs and aborts are kept at ERROR as the documented families' are (ActivityFailed as
 * LambdaFunctionFailed, MapRunFailed as MapStateFailed); none of them is FATAL.
 */
const ERROR_UNDOCUMENTED = [
  'ActivityFailed', 'ActivityScheduleFailed', 'ActivityTimedOut', 'EvaluationFailed', 'MapRunAborted', 'MapRunFailed',
];
const ERROR: ReadonlySet<string> = new Set([...ERROR_DOCUMENTED, ...ERROR_UNDOCUMENTED]);

/** Whether `level` logs events of this type. */
export function levelIncludes(level: LogLevel, type: string): boolean {
  switch (level) {
    case 'ALL':
      return true;
    case 'ERROR':
      return ERROR.has(type);
    case 'FATAL':
      return FATAL.has(type);
    case 'OFF':
      return false;
    default: {
      const never: never = level;
      throw new Error(`unknown log level ${String(never)}`);
    }
  }
}

/** AWS truncates escaped input/output beyond 248 KiB in execution logs. */
export const MAX_DATA_BYTES = 248 * 1024;
const DATA_FIELDS = ['input', 'output', 'parameters'] as const;

function detailsOf(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const { id: _id, previousEventId: _p, timestamp: _t, type: _type, ...rest } = event;
  const key = Object.keys(rest).find((k) => k.endsWith('EventDetails'));
  const raw = key !== undefined && typeof rest[key] === 'object' && rest[key] !== null ? (rest[key] as Record<string, unknown>) : {};
  const details: Record<string, unknown> = { ...raw };
  for (const field of DATA_FIELDS) {
    if (!(field in details)) continue;
    if (!includeData) {
      delete details[field];
      continue;
    }
    const value = details[field];
    if (typeof value === 'string' && Buffer.byteLength(value, 'utf8') > MAX_DATA_BYTES) {
      details[field] = Buffer.from(value, 'utf8').subarray(0, MAX_DATA_BYTES).toString('utf8').replace(/\uFFFD$/, '');
      const d = `${field}Details`;
      details[d] = { ...((details[d] as object | undefined) ?? {}), truncated: true };
    }
  }
  return details;
}

export interface LoggedExecution {
  arn: string;
  stateMachineName: string;
  redriveCount: number;
}

/** The log entries for `events` under `logging` (empty when the level keeps none). */
export function executionLogEntries(execution: LoggedExecution, logging: ExecutionLogging, events: readonly HistoryEvent[]): ExecutionLogEntry[] {
  const entries: ExecutionLogEntry[] = [];
  for (const e of events) {
    if (!levelIncludes(logging.level, e.type)) continue;
    const message = JSON.stringify({
      id: String(e.id),
      type: e.type,
      details: detailsOf(e, logging.includeExecutionData),
      previous_event_id: String(e.previousEventId),
      event_timestamp: String(e.timestamp),
      execution_arn: execution.arn,
      redrive_count: String(execution.redriveCount),
    });
    entries.push({ logGroupArn: logging.logGroupArn, stateMachineName: execution.stateMachineName, eventTime: new Date(e.timestamp), message });
  }
  return entries;
}
