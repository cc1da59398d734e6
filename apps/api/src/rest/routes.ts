/**
 * The REST surface for systems that do not speak the AWS protocol (described by ./openapi.ts):
 *   POST /v1/state-machines/{name}/executions   {name?, input?}        -> 201 {executionArn, startDate}
 *   GET  /v1/executions/{executionArn}                                  -> 200 execution
 *   POST /v1/task/success    {taskToken, output}                        -> 200 {}
 *   POST /v1/task/failure    {taskToken, error?, cause?}                -> 200 {}
 *   POST /v1/task/heartbeat  {taskToken}                                -> 200 {}
 * Task tokens travel in the body only, never in a URL (URLs end up in logs). Each request is turned into the
 * matching Step Functions action and checked against the same shape, so limits and messages are AWS's.
 */
import {
  ApiError,
  assertValidName,
  stateMachineArn,
  type ArnScope,
  type DescribeExecutionOutput,
  type SfnBackend,
} from '@baton/api-contract';
import { parseJsonBody } from '../json-protocol/dispatch.js';
import { REQUEST_SHAPES } from '../json-protocol/request-shapes.js';
import { validateRequest } from '../json-protocol/validate-shape.js';

export interface RestContext {
  backend: SfnBackend;
  arnScope: ArnScope;
}

export interface RestResult {
  status: number;
  body: unknown;
}

const START = /^\/v1\/state-machines\/([^/]+)\/executions\/?$/;
const EXECUTION = /^\/v1\/executions\/([^/]+)\/?$/;
const TASK = /^\/v1\/task\/(success|failure|heartbeat)\/?$/;

/** Whether `pathname` belongs to the REST surface (so it needs a bearer key). */
export function isRestPath(pathname: string): boolean {
  return pathname.startsWith('/v1/');
}

export async function handleRest(method: string, pathname: string, rawBody: Buffer, ctx: RestContext): Promise<RestResult> {
  let m: RegExpExecArray | null;
  if ((m = START.exec(pathname))) {
    allow(method, 'POST');
    return startExecution(decode(m[1] as string), parseJsonBody(rawBody), ctx);
  }
  if ((m = EXECUTION.exec(pathname))) {
    allow(method, 'GET');
    return describeExecution(decode(m[1] as string), ctx);
  }
  if ((m = TASK.exec(pathname))) {
    allow(method, 'POST');
    return sendTask(m[1] as 'success' | 'failure' | 'heartbeat', parseJsonBody(rawBody) as Record<string, unknown>, ctx);
  }
  throw new ApiError('ResourceNotFound', `No such endpoint: ${method} ${pathname}`);
}

async function startExecution(name: string, body: unknown, ctx: RestContext): Promise<RestResult> {
  assertValidName(name);
  const b = body as Record<string, unknown>;
  const request = validateRequest(
    {
      stateMachineArn: stateMachineArn(ctx.arnScope, name),
      name: b.name,
      input: b.input === undefined ? undefined : JSON.stringify(b.input),
    },
    REQUEST_SHAPES.StartExecution,
  );
  const out = await ctx.backend.startExecution(request as never);
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

function allow(method: string, expected: string): void {
  if (method !== expected) throw new ApiError('UnknownOperationException', `Method ${method} is not allowed here; use ${expected}.`);
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
