/**
 * The console's only way to Baton: the REST surface under /v1 (described at /openapi.json), same origin. Every
 * request is JSON; state-changing ones carry the session's CSRF token when the console signed in with an API key.
 * Errors come back as `{code, message}` with AWS's codes and become `ApiFailure`.
 */
import type {
  Execution, ExecutionDefinition, EventsPage, SearchPage, SessionInfo, StateMachine, StateMachineList, WaitingTask,
} from './types';

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

let csrfToken: string | undefined;
let onSignedOut: (() => void) | undefined;

/** Called when a request finds the session gone (expired, or the key removed): the app shows the sign-in form. */
export function whenSignedOut(fn: () => void): void {
  onSignedOut = fn;
}

const enc = encodeURIComponent;

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-baton-csrf'] = csrfToken;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiFailure(res.status, 'InternalFailure', `Unexpected answer (${res.status}) from ${path}`);
  }
  if (!res.ok) {
    const e = parsed as { code?: string; message?: string };
    if (res.status === 401 && !path.endsWith('/console/session')) onSignedOut?.();
    throw new ApiFailure(res.status, e.code ?? 'InternalFailure', e.message ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  async session(): Promise<SessionInfo> {
    const s = await request<SessionInfo>('GET', '/v1/console/session');
    csrfToken = s.csrfToken;
    return s;
  },
  async signIn(apiKey: string): Promise<SessionInfo> {
    const s = await request<SessionInfo>('POST', '/v1/console/session', { apiKey });
    csrfToken = s.csrfToken;
    return s;
  },
  async signOut(): Promise<void> {
    await request('DELETE', '/v1/console/session');
    csrfToken = undefined;
  },
  listStateMachines: (nextToken?: string) =>
    request<StateMachineList>('GET', `/v1/state-machines${query({ maxResults: 1000, nextToken })}`),
  describeStateMachine: (arn: string) => request<StateMachine>('GET', `/v1/state-machines/${enc(arn)}`),
  searchExecutions: (arn: string, filters: Record<string, string | number | undefined>) =>
    request<SearchPage>('GET', `/v1/state-machines/${enc(arn)}/executions${query(filters)}`),
  startExecution: (arn: string, input: unknown, name?: string) =>
    request<{ executionArn: string }>('POST', `/v1/state-machines/${enc(arn)}/executions`, { input, ...(name ? { name } : {}) }),
  describeExecution: (arn: string) => request<Execution>('GET', `/v1/executions/${enc(arn)}`),
  definition: (arn: string) => request<ExecutionDefinition>('GET', `/v1/executions/${enc(arn)}/definition`),
  events: (arn: string, fromEventId: number, maxResults = 1000) =>
    request<EventsPage>('GET', `/v1/executions/${enc(arn)}/events${query({ fromEventId, maxResults })}`),
  stop: (arn: string, error?: string, cause?: string) =>
    request<{ stopDate: string }>('POST', `/v1/executions/${enc(arn)}/stop`, { ...(error ? { error } : {}), ...(cause ? { cause } : {}) }),
  redrive: (arn: string, clientToken: string) =>
    request<{ redriveDate: string }>('POST', `/v1/executions/${enc(arn)}/redrive`, { clientToken }),
  waitingTasks: (arn: string) => request<{ tasks: WaitingTask[] }>('GET', `/v1/executions/${enc(arn)}/waiting-tasks`),
  answerSuccess: (arn: string, taskId: string, output: unknown) =>
    request<object>('POST', `/v1/executions/${enc(arn)}/waiting-tasks/${enc(taskId)}/success`, { output }),
  answerFailure: (arn: string, taskId: string, error: string, cause: string) =>
    request<object>('POST', `/v1/executions/${enc(arn)}/waiting-tasks/${enc(taskId)}/failure`, { ...(error ? { error } : {}), ...(cause ? { cause } : {}) }),
};
