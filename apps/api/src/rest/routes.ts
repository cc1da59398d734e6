/**
 * The REST surface for systems that do not speak the AWS protocol (described by ./openapi.ts):
 *   POST /v1/state-machines/{name}/executions   {name?, input?}        -> 201 {executionArn, startDate}
 *   GET  /v1/executions/{executionArn}                                  -> 200 execution (with its redrive fields)
 *   POST /v1/task/success    {taskToken, output}                        -> 200 {}
 *   POST /v1/task/failure    {taskToken, error?, cause?}                -> 200 {}
 *   POST /v1/task/heartbeat  {taskToken}                                -> 200 {}
 * plus the reading and operating routes of ./read-routes.ts (what the web console uses). State machines in paths
 * are named by name or by their whole (percent-encoded) ARN.
 * Task tokens travel in the body only, never in a URL (URLs end up in logs). Each request is turned into the
 * matching Step Functions action and checked against the same shape, so limits and messages are AWS's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { withIncomingTraceHeaders } from '@baton/observability';
import {
  ApiError,
  assertValidName,
  stateMachineArn,
  type ArnScope,
  type DescribeExecutionOutput,
} from '@baton/api-contract';
import { parseJsonBody } from '../json-protocol/dispatch.js';
import { REQUEST_SHAPES } from '../json-protocol/request-shapes.js';
import { validateRequest } from '../json-protocol/validate-shape.js';
import { allow, executionRoute, stateMachineRoute, type RestBackend, type RestRequest } from './read-routes.js';

export interface RestContext {
  backend: RestBackend;
  arnScope: ArnScope;
  /** The request's headers: its trace headers go with a new execution's input (`withIncomingTraceHeaders`). */
  requestHeaders?: IncomingHttpHeaders;
}

export interface RestResult {
  status: number;
  body: unknown;
}

/** Whether `pathname` belongs to the REST surface (so it needs a bearer key). */
export function isRestPath(pathname: string): boolean {
  return pathname.startsWith('/v1/');
}

export async function handleRest(
  method: string,
  pathname: string,
  rawBody: Buffer,
  ctx: RestContext,
  query: URLSearchParams = new URLSearchParams(),
): Promise<RestResult> {
  const segments = pathname.slice('/v1/'.length).replace(/\/$/, '').split('/').map(decode);
  const req: RestRequest = { method, segments, query, body: () => parseJsonBody(rawBody) as Record<string, unknown> };
  let result: RestResult | undefined;
  switch (segments[0]) {
    case 'state-machines':
      if (segments.length === 3 && segments[2] === 'executions' && method === 'POST') {
        return startExecution(stateMachineArnOf(segments[1]!, ctx), parseJsonBody(rawBody), ctx);
      }
      result = await stateMachineRoute(req, ctx, (segment) => stateMachineArnOf(segment, ctx));
      break;
    case 'executions':
      if (segments.length === 2) {
        allow(method, 'GET');
        return describeExecution(segments[1]!, ctx);
      }
      if (segments.length > 2) result = await executionRoute(req, segments[1]!, ctx);
      break;
    case 'task':
      if (segments.length === 2 && TASK_KINDS.has(segments[1]!)) {
        allow(method, 'POST');
        return sendTask(segments[1] as 'success' | 'failure' | 'heartbeat', parseJsonBody(rawBody) as Record<string, unknown>, ctx);
      }
      break;
  }
  if (result) return result;
  throw new ApiError('ResourceNotFound', `No such endpoint: ${method} ${pathname}`);
}

const TASK_KINDS = new Set(['success', 'failure', 'heartbeat']);

/** A state machine in a path: its name (in this server's ARN scope) or its whole ARN, percent-encoded. */
function stateMachineArnOf(segment: string, ctx: RestContext): string {
  if (segment.startsWith('arn:')) return segment;
  assertValidName(segment);
  return stateMachineArn(ctx.arnScope, segment);
}

async function startExecution(arn: string, body: unknown, ctx: RestContext): Promise<RestResult> {
  const b = body as Record<string, unknown>;
  const request = validateRequest(
    {
      stateMachineArn: arn,
      name: b.name,
      input: b.input === undefined ? undefined : JSON.stringify(b.input),
    },
    REQUEST_SHAPES.StartExecution,
  );
  const out = await ctx.backend.startExecution(withIncomingTraceHeaders(request, ctx.requestHeaders ?? {}) as never);
  return { status: 201, body: { executionArn: out.executionArn, startDate: out.startDate.toISOString() } };
}

async function describeExecution(executionArn: string, ctx: RestContext): Promise<RestResult> {
  const request = validateRequest({ executionArn }, REQUEST_SHAPES.DescribeExecution);
  const out: DescribeExecutionOutput = await ctx.backend.describeExecution(request as never);
  return {
    status: 200,
    body: {
      executionArn: out.executionArn,
      stateMachineArn: out.stateMachineArn,
      name: out.name,
      status: out.status,
      startDate: out.startDate.toISOString(),
      stopDate: out.stopDate?.toISOString(),
      input: parsePayload(out.input),
      output: parsePayload(out.output),
      error: out.error,
      cause: out.cause,
      redriveCount: out.redriveCount,
      redriveDate: out.redriveDate?.toISOString(),
      redriveStatus: out.redriveStatus,
      redriveStatusReason: out.redriveStatusReason,
    },
  };
}

async function sendTask(kind: 'success' | 'failure' | 'heartbeat', b: Record<string, unknown>, ctx: RestContext): Promise<RestResult> {
  switch (kind) {
    case 'success': {
      const output = b.output === undefined ? undefined : JSON.stringify(b.output);
      const req = validateRequest({ taskToken: b.taskToken, output }, REQUEST_SHAPES.SendTaskSuccess);
      await ctx.backend.sendTaskSuccess(req as never);
      break;
    }
    case 'failure': {
      const req = validateRequest({ taskToken: b.taskToken, error: b.error, cause: b.cause }, REQUEST_SHAPES.SendTaskFailure);
      await ctx.backend.sendTaskFailure(req as never);
      break;
    }
    case 'heartbeat': {
      const req = validateRequest({ taskToken: b.taskToken }, REQUEST_SHAPES.SendTaskHeartbeat);
      await ctx.backend.sendTaskHeartbeat(req as never);
      break;
    }
    default: {
      const never: never = kind;
      throw new Error(`unhandled task route ${String(never)}`);
    }
  }
  return { status: 200, body: {} };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiError('ValidationException', `The path segment '${segment}' is not valid percent-encoding.`);
  }
}

/** Payloads are JSON text in the SFN API; REST clients get the JSON value. */
function parsePayload(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
