/**
 * The task-invoker port, as the engine declares it (the engine owns the declaration; this package satisfies it
 * structurally and never imports the engine). One call per attempt of a Task state; `.sync` integrations come
 * back through `poll` results so waiting happens on the engine's durable timers, never in a blocked worker.
 */
import type { Json } from '@baton/asl';

export type TaskPatternName = 'request-response' | 'sync' | 'sync:2' | 'waitForTaskToken';

export interface TaskRequest {
  executionArn: string;
  stateMachineArn: string;
  stateName: string;
  /** Unique within the execution; with `executionArn` it seeds idempotency tokens (ECS clientToken, SQS dedup id). */
  taskId: string;
  resource: string;
  pattern: TaskPatternName;
  parameters: Json;
  taskToken?: string;
  credentials?: Json;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
  attempt: number;
  region: string;
  /** Present when the engine calls again after a `poll` result: the state it returned, and how many polls so far. */
  poll?: { state: Json; count: number };
  /** W3C traceparent of this task attempt's span: sent with the call (and as X-Amzn-Trace-Id) so the callee's trace joins. */
  traceparent?: string;
}

export type TaskResult =
  | { kind: 'succeeded'; output: Json }
  | { kind: 'failed'; error: string; cause?: string }
  /** waitForTaskToken: the call is made; the result comes later through SendTaskSuccess / SendTaskFailure. */
  | { kind: 'submitted'; output?: Json }
  /** `.sync`: not finished; call `invoke` again with `poll` after `afterMs` (a durable timer). */
  | { kind: 'poll'; afterMs: number; state: Json; output?: Json };

/** TestState's check of a mocked result (see mock-validation.ts). */
export type MockCheck = { kind: 'valid' } | { kind: 'invalid'; message: string } | { kind: 'noModel'; reason: string };

export interface TaskInvoker {
  invoke(req: TaskRequest, signal: AbortSignal): Promise<TaskResult>;
  checkMockResult?(resource: string, result: Json, mode: 'STRICT' | 'PRESENT'): MockCheck;
}
