/** The REST surface's JSON shapes the console reads (see /openapi.json): dates are ISO strings. */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface SessionInfo {
  mode: 'open' | 'session';
  csrfToken?: string;
  expiresAt?: string;
}

export interface StateMachineSummary {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: string;
}

export interface StateMachineList {
  stateMachines: StateMachineSummary[];
  nextToken?: string;
}

export interface StateMachine {
  stateMachineArn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  definition: string;
  creationDate: string;
  roleArn: string;
}

export interface ExecutionSummary {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  error?: string;
}

export interface SearchPage {
  executions: ExecutionSummary[];
  nextCursor?: string;
  scanned: number;
}

export interface Execution extends ExecutionSummary {
  input?: unknown;
  output?: unknown;
  cause?: string;
  /** RedriveExecution: how many times, when last, and whether it can be redriven now (and why not). */
  redriveCount?: number;
  redriveDate?: string;
  redriveStatus?: 'REDRIVABLE' | 'NOT_REDRIVABLE' | 'REDRIVABLE_BY_MAP_RUN';
  redriveStatusReason?: string;
}

export interface ExecutionDefinition {
  stateMachineArn: string;
  name: string;
  definition: string;
}

/** A history event as GetExecutionHistory spells it; payloads inside the details are JSON text. */
export interface HistoryEvent {
  id: number;
  previousEventId?: number;
  type: string;
  timestamp: string;
  [details: string]: unknown;
}

export interface EventsPage {
  events: HistoryEvent[];
  lastEventId: number;
}

export interface WaitingTask {
  taskId: string;
  stateName: string;
  resource: string;
  kind: 'activity' | 'callback';
  started: boolean;
  path: { stateName: string; index: number }[];
}
