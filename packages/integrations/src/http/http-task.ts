/**
 * The HTTP Task, `arn:aws:states:::http:invoke` (developer guide, "Call HTTPS APIs in Step Functions workflows";
 * request-response only). The result is the answer as Step Functions gives it:
 *   { "Headers": { "<name>": ["<value>", ...] }, "ResponseBody": <JSON when the answer says JSON and parses, else
 *     the text>, "StatusCode": 200, "StatusText": "OK" }
 * A status outside 2xx fails the task with `States.Http.StatusCode.<code>` (retried and caught like any error),
 * the cause being that result as JSON text. A call with no complete answer within 60 seconds, or that fails on the
 * socket (refused, reset, DNS), fails with `States.Http.Socket`; an answer over the 256 KiB payload limit with
 * States.DataLimitExceeded. An OAuth connection's token is renewed once and the call repeated when the endpoint
 * answers 401 or 407. Parameters the task cannot send fail it with States.Runtime, naming the field.
 * The connection's credentials go only into the request: never into the result, a cause or a log.
 */
import type { Json } from '@baton/asl';
import type { TaskResult } from '../port.js';
import { failed, type TaskContext } from '../task-context.js';
import type { ConnectionDefinition } from './connection-definition.js';
import { sendHttp, type HttpAnswer } from './http-client.js';
import { buildRequest, HttpTaskParameterError, parseHttpTask, type HttpTaskSpec } from './http-request.js';

/** The task result limit (256 KiB): a longer body could never be the state's result. */
const MAX_RESPONSE_BYTES = 256 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

export async function httpService(ctx: TaskContext, action: string): Promise<TaskResult> {
  if (action !== 'invoke') return failed('States.Runtime', `Unsupported HTTP integration action '${action}'`);
  if (ctx.req.pattern !== 'request-response') return failed('States.Runtime', `http:invoke supports only the request-response pattern, not .${ctx.req.pattern}`);
  let spec: HttpTaskSpec;
  try {
    spec = parseHttpTask(ctx.req.parameters);
  } catch (e) {
    if (e instanceof HttpTaskParameterError) return failed('States.Runtime', e.message);
    throw e;
  }
  const connection = await ctx.connections.resolve(spec.connectionArn, ctx.clients, ctx.signal);
  if (!('AuthorizationType' in connection)) return connection;
  let answer = await call(ctx, spec, connection, false);
  const status = 'statusCode' in answer ? answer.statusCode : undefined;
  if (connection.AuthorizationType === 'OAUTH_CLIENT_CREDENTIALS' && (status === 401 || status === 407)) {
    answer = await call(ctx, spec, connection, true);
  }
  if (!('statusCode' in answer)) return answer;
  const result = resultOf(answer);
  if (answer.statusCode >= 200 && answer.statusCode <= 299) return { kind: 'succeeded', output: result };
  return failed(`States.Http.StatusCode.${answer.statusCode}`, JSON.stringify(result));
}

async function call(ctx: TaskContext, spec: HttpTaskSpec, connection: ConnectionDefinition, refresh: boolean): Promise<HttpAnswer | TaskResult> {
  const authorization = await ctx.connections.authorization(spec.connectionArn, connection, ctx.signal, refresh);
  if (!Array.isArray(authorization)) return authorization;
  let request;
  try {
    request = buildRequest(spec, connection, authorization, ctx.req.region);
  } catch (e) {
    if (e instanceof HttpTaskParameterError) return failed('States.Runtime', e.message);
    throw e;
  }
  const timeoutMs = ctx.options.httpTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const outcome = await sendHttp(request, { timeoutMs, maxBytes: MAX_RESPONSE_BYTES }, ctx.signal);
  if (outcome.ok) return outcome.answer;
  const target = `${spec.method} ${spec.url.origin}${spec.url.pathname}`;
  switch (outcome.kind) {
    case 'timeout':
      return failed('States.Http.Socket', `The HTTP request ${target} timed out: ${outcome.message}`);
    case 'socket':
      return failed('States.Http.Socket', `The HTTP request ${target} failed: ${outcome.message}`);
    case 'too-large':
      return failed('States.DataLimitExceeded', `The answer to the HTTP request ${target} is too large: ${outcome.message}`);
  }
}

function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function resultOf(answer: HttpAnswer): Record<string, Json> {
  const text = new TextDecoder('utf-8').decode(answer.body);
  let body: Json = text;
  if (text !== '' && isJsonType(answer.headers['content-type']?.[0])) {
    try {
      body = JSON.parse(text) as Json;
    } catch {
      body = text;
    }
  }
  return { Headers: answer.headers, ResponseBody: body, StatusCode: answer.statusCode, StatusText: answer.statusText };
}
