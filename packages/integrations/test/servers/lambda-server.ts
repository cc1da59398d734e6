/**
 * A minimal AWS Lambda Invoke endpoint for tests, following the Lambda API reference page "Invoke"
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): `POST /2015-03-31/functions/{FunctionName}/invocations`
 * with `X-Amz-Invocation-Type` (RequestResponse -> 200 and the payload; Event -> 202; DryRun -> 204),
 * `X-Amz-Executed-Version`, and `X-Amz-Function-Error: Unhandled` with the error payload
 * (`errorMessage`, `errorType`, `requestId`, `stackTrace`) when the function throws. Service errors follow the
 * page's "Errors" section, in the REST-JSON form (`x-amzn-ErrorType` header, `{"Type","Message"}` body):
 * ResourceNotFoundException (404), TooManyRequestsException (429), ServiceException (500), and
 * InvalidRequestContentException (400) for a body that is not JSON.
 * Functions are JavaScript handlers registered by the test; nothing here runs real code isolation.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { listen, type RunningServer } from './http-util.js';

export class FunctionError extends Error {
  constructor(readonly errorType: string, message: string) {
    super(message);
  }
}

export type LambdaHandler = (event: unknown, context: { functionName: string; requestId: string }) => unknown;

export interface Invocation {
  functionName: string;
  invocationType: string;
  payloadText: string;
}

export interface LambdaTestServer extends RunningServer {
  readonly region: string;
  readonly account: string;
  define(name: string, handler: LambdaHandler): void;
  /** The next `count` invocations of `name` answer 429 TooManyRequestsException (or 500 ServiceException). */
  failNext(name: string, count: number, kind?: 'throttle' | 'service'): void;
  readonly invocations: Invocation[];
  functionArn(name: string): string;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations(?:\?.*)?$/;

export async function startLambdaServer(region = 'us-east-1', account = '123456789012'): Promise<LambdaTestServer> {
  const functions = new Map<string, LambdaHandler>();
  const failures = new Map<string, { count: number; kind: 'throttle' | 'service' }>();
  const invocations: Invocation[] = [];
  const arnOf = (name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;

  const serviceError = (res: ServerResponse, status: number, type: string, message: string, requestId: string) => {
    const body = JSON.stringify({ Type: status >= 500 ? 'Service' : 'User', Message: message });
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  const running = await listen(async (req, body, res) => {
    const requestId = randomUUID();
    const m = PATH.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return serviceError(res, 404, 'UnknownOperationException', 'Unknown operation', requestId);
    // FunctionName may be a name, a partial ARN or a full ARN, optionally with a :qualifier.
    const raw = decodeURIComponent(m[1]!);
    const afterFunction = raw.includes(':function:') ? raw.split(':function:')[1]! : raw;
    const name = afterFunction.split(':')[0]!;
    const handler = functions.get(name);
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    invocations.push({ functionName: name, invocationType, payloadText: body });
    if (!handler) return serviceError(res, 404, 'ResourceNotFoundException', `Function not found: ${arnOf(name)}:$LATEST`, requestId);
    const failure = failures.get(name);
    if (failure && failure.count > 0) {
      failure.count--;
      return failure.kind === 'throttle'
        ? serviceError(res, 429, 'TooManyRequestsException', 'Rate Exceeded.', requestId)
        : serviceError(res, 500, 'ServiceException', 'An internal error occurred.', requestId);
    }
    const headers: Record<string, string> = {
      'x-amzn-requestid': requestId,
      'x-amz-executed-version': '$LATEST',
      'x-amzn-remapped-content-length': '0',
      'x-amzn-trace-id': `root=1-${randomUUID().slice(0, 8)};sampled=0`,
    };
    if (invocationType === 'DryRun') {
      res.writeHead(204, headers);
      return res.end();
    }
    // An empty request body reaches the function as an empty object, as the Lambda runtime does.
    let event: unknown;
    try {
      event = body === '' ? {} : JSON.parse(body);
    } catch {
      return serviceError(res, 400, 'InvalidRequestContentException', 'Could not parse request body into json: unexpected character', requestId);
    }
    if (invocationType === 'Event') {
      res.writeHead(202, headers);
      res.end();
      setImmediate(() => void Promise.resolve().then(() => handler(event, { functionName: name, requestId })).catch(() => undefined));
      return;
    }
    let payload: string;
    try {
      const result = await handler(event, { functionName: name, requestId });
      payload = result === undefined ? 'null' : JSON.stringify(result);
    } catch (err) {
      const errorType = err instanceof FunctionError ? err.errorType : err instanceof Error ? err.constructor.name : 'Error';
      const message = err instanceof Error ? err.message : String(err);
      headers['x-amz-function-error'] = 'Unhandled';
      payload = JSON.stringify({ errorMessage: message, errorType, requestId, stackTrace: [`  at ${name} (handler.js)`] });
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
    res.end(payload);
  });

  return {
    endpoint: running.endpoint,
    close: running.close,
    region,
    account,
    invocations,
    define: (name, handler) => void functions.set(name, handler),
    failNext: (name, count, kind = 'throttle') => void failures.set(name, { count, kind }),
    functionArn: arnOf,
  };
}
