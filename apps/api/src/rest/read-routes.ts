/**
 * The REST surface's reading and operating routes (what the web console uses; scriptable the same way):
 *   GET  /v1/state-machines                               ListStateMachines          ?maxResults&nextToken
 *   GET  /v1/state-machines/{name or ARN}                 DescribeStateMachine
 *   GET  /v1/state-machines/{name or ARN}/executions      search (keyset, bounded)   ?status&name&error&input&startedAfter&startedBefore&cursor&maxResults
 *   GET  /v1/executions/{arn}/definition                  DescribeStateMachineForExecution
 *   GET  /v1/executions/{arn}/events                      history by event id        ?fromEventId&maxResults&includeExecutionData
 *   POST /v1/executions/{arn}/stop                        StopExecution              {error?, cause?}
 *   POST /v1/executions/{arn}/redrive                     RedriveExecution           {clientToken?}
 *   GET  /v1/executions/{arn}/waiting-tasks               tasks waiting for an activity worker or a callback
 *   POST /v1/executions/{arn}/waiting-tasks/{taskId}/success|failure   answer one     {output} | {error?, cause?}
 * Requests become the matching action's request and are checked against its shape, so limits and messages are
 * AWS's; JSON payloads (input, output) are JSON values here, history event details keep AWS's JSON text.
 */
import {
  ApiError,
  EXECUTION_STATUSES,
  type ConsoleBackend,
  type ExecutionStatus,
  type InputMatch,
  type SfnBackend,
} from '@baton/api-contract';
import { REQUEST_SHAPES } from '../json-protocol/request-shapes.js';
import { sensitive, struct } from '../json-protocol/shape-spec.js';
import { validateRequest } from '../json-protocol/validate-shape.js';
import type { RestContext, RestResult } from './routes.js';

/** SendTaskSuccess's and SendTaskFailure's constraints on the answer, without the token. */
const ANSWER_SUCCESS = struct({ output: sensitive(undefined, 262144) }, ['output']);
const ANSWER_FAILURE = struct({ error: sensitive(0, 256), cause: sensitive(0, 32768) });
const TASK_ID = /^[A-Za-z0-9._-]{1,128}$/;

export type RestBackend = SfnBackend & Partial<ConsoleBackend>;

export interface RestRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  body: () => Record<string, unknown>;
}

/** Routes `/v1/state-machines...`; undefined when the path is not one of these. */
export async function stateMachineRoute(req: RestRequest, ctx: RestContext, stateMachineArn: (segment: string) => string): Promise<RestResult | undefined> {
  const [, sm, sub, ...rest] = req.segments;
  if (sm === undefined) {
    allow(req.method, 'GET');
    const input = validateRequest({ maxResults: int(req.query, 'maxResults'), nextToken: req.query.get('nextToken') ?? undefined }, REQUEST_SHAPES.ListStateMachines);
    const out = await ctx.backend.listStateMachines(input as never);
    return ok({ stateMachines: out.stateMachines.map((s) => ({ ...s, creationDate: s.creationDate.toISOString() })), nextToken: out.nextToken });
  }
  if (rest.length > 0) return undefined;
  if (sub === undefined) {
    allow(req.method, 'GET');
    const input = validateRequest({ stateMachineArn: stateMachineArn(sm) }, REQUEST_SHAPES.DescribeStateMachine);
    const out = await ctx.backend.describeStateMachine(input as never);
    return ok({ ...out, creationDate: out.creationDate.toISOString() });
  }
  if (sub === 'executions' && req.method === 'GET') return searchExecutions(stateMachineArn(sm), req.query, ctx.backend);
  return undefined;
}

async function searchExecutions(stateMachineArn: string, q: URLSearchParams, backend: RestBackend): Promise<RestResult> {
  const search = need(backend.searchExecutions, 'searching executions').bind(backend);
  validateRequest({ stateMachineArn }, REQUEST_SHAPES.DescribeStateMachine);
  const status = q.get('status') || undefined;
  if (status !== undefined && !(EXECUTION_STATUSES as readonly string[]).includes(status)) {
    throw new ApiError('ValidationException', `status must be one of ${EXECUTION_STATUSES.join(', ')}`);
  }
  const maxResults = int(q, 'maxResults');
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) throw new ApiError('ValidationException', 'maxResults must be from 1 to 1000');
  const input = q.get('input')?.trim();
  const out = await search({
    stateMachineArn,
    ...(status ? { statusFilter: status as ExecutionStatus } : {}),
    ...text(q, 'name', 'nameContains'),
    ...text(q, 'error', 'errorContains'),
    ...date(q, 'startedAfter'),
    ...date(q, 'startedBefore'),
    ...(input ? { input: parseInputMatch(input) } : {}),
    ...(maxResults !== undefined ? { maxResults } : {}),
    ...(q.get('cursor') ? { cursor: q.get('cursor')! } : {}),
  });
  return ok({
    executions: out.executions.map((e) => ({ ...e, startDate: e.startDate.toISOString(), stopDate: e.stopDate?.toISOString() })),
    nextCursor: out.nextCursor,
    scanned: out.scanned,
  });
}

/** Routes `/v1/executions/{arn}/...` below the execution itself; undefined when the path is not one of these. */
export async function executionRoute(req: RestRequest, executionArn: string, ctx: RestContext): Promise<RestResult | undefined> {
  const [, , sub, taskId, answer, ...rest] = req.segments;
  if (rest.length > 0) return undefined;
  const backend = ctx.backend;
  validateRequest({ executionArn }, REQUEST_SHAPES.DescribeExecution);
  switch (sub) {
    case 'definition': {
      if (taskId !== undefined) return undefined;
      allow(req.method, 'GET');
      const out = await backend.describeStateMachineForExecution({ executionArn });
      return ok({ ...out, updateDate: out.updateDate.toISOString() });
    }
    case 'events': {
      if (taskId !== undefined) return undefined;
      allow(req.method, 'GET');
      const read = need(backend.getExecutionEvents, 'reading events by id').bind(backend);
      const fromEventId = int(req.query, 'fromEventId') ?? 1;
      const maxResults = int(req.query, 'maxResults') ?? 1000;
      if (fromEventId < 1) throw new ApiError('ValidationException', 'fromEventId must be at least 1');
      if (maxResults < 1 || maxResults > 1000) throw new ApiError('ValidationException', 'maxResults must be from 1 to 1000');
      const include = req.query.get('includeExecutionData') !== 'false';
      const out = await read({ executionArn, fromEventId, maxResults, includeExecutionData: include });
      return ok({ events: out.events.map((e) => ({ ...e, timestamp: e.timestamp.toISOString() })), lastEventId: out.lastEventId });
    }
    case 'stop': {
      if (taskId !== undefined) return undefined;
      allow(req.method, 'POST');
      const b = req.body();
      const input = validateRequest({ executionArn, error: b.error, cause: b.cause }, REQUEST_SHAPES.StopExecution);
      const out = await backend.stopExecution(input as never);
      return ok({ stopDate: out.stopDate.toISOString() });
    }
    case 'redrive': {
      if (taskId !== undefined) return undefined;
      allow(req.method, 'POST');
      const b = req.body();
      const input = validateRequest({ executionArn, clientToken: b.clientToken }, REQUEST_SHAPES.RedriveExecution);
      const out = await backend.redriveExecution(input as never);
      return ok({ redriveDate: out.redriveDate.toISOString() });
    }
    case 'waiting-tasks':
      return waitingTasks(req, executionArn, taskId, answer, backend);
    default:
      return undefined;
  }
}

async function waitingTasks(req: RestRequest, executionArn: string, taskId: string | undefined, answer: string | undefined, backend: RestBackend): Promise<RestResult | undefined> {
  if (taskId === undefined) {
    allow(req.method, 'GET');
    return ok(await need(backend.listWaitingTasks, 'listing waiting tasks').call(backend, { executionArn }));
  }
  if (answer !== 'success' && answer !== 'failure') return undefined;
  allow(req.method, 'POST');
  if (!TASK_ID.test(taskId)) throw new ApiError('ValidationException', `'${taskId.slice(0, 128)}' is not a task id`);
  const complete = need(backend.completeWaitingTask, 'answering waiting tasks').bind(backend);
  const b = req.body();
  if (answer === 'success') {
    const output = b.output === undefined ? undefined : JSON.stringify(b.output);
    const checked = validateRequest({ output }, ANSWER_SUCCESS);
    await complete({ executionArn, taskId, outcome: { kind: 'success', output: checked.output as string } });
  } else {
    const checked = validateRequest({ error: b.error, cause: b.cause }, ANSWER_FAILURE);
    await complete({
      executionArn, taskId,
      outcome: { kind: 'failure', ...(checked.error !== undefined ? { error: checked.error as string } : {}), ...(checked.cause !== undefined ? { cause: checked.cause as string } : {}) },
    });
  }
  return ok({});
}

/**
 * `orderId = A-17` (or `$.customer.id = 7`): the value at that path of the input, as text, equals the value
 * (quote it as JSON, "7", to search for text with spaces around it). Anything without `=`: the input's JSON text
 * contains it.
 */
export function parseInputMatch(text: string): InputMatch {
  const eq = /^\$?\.?([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)\s*=\s*(.+)$/.exec(text);
  if (!eq) return { kind: 'contains', text };
  let value = eq[2]!.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) {
    try {
      value = String(JSON.parse(value));
    } catch {
      // not a JSON string after all: searched as written
    }
  }
  return { kind: 'equals', path: eq[1]!.split('.'), value };
}

function need<T>(fn: T | undefined, what: string): T {
  if (fn === undefined) throw new ApiError('UnknownOperationException', `This Baton backend does not support ${what}.`);
  return fn;
}

function ok(body: unknown): RestResult {
  return { status: 200, body };
}

export function allow(method: string, expected: string): void {
  if (method !== expected) throw new ApiError('UnknownOperationException', `Method ${method} is not allowed here; use ${expected}.`);
}

function int(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new ApiError('ValidationException', `${name} must be a whole number, got '${v}'`);
  return Number(v);
}

function text(q: URLSearchParams, param: string, member: string): Record<string, string> {
  const v = q.get(param)?.trim();
  if (!v) return {};
  if (v.length > 256) throw new ApiError('ValidationException', `${param} must be at most 256 characters`);
  return { [member]: v };
}

function date(q: URLSearchParams, name: string): Record<string, Date> {
  const v = q.get(name);
  if (!v) return {};
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new ApiError('ValidationException', `${name} must be an ISO 8601 date-time, got '${v}'`);
  return { [name]: d };
}
