/**
 * One SDK call with the raw HTTP response kept aside: AWS's optimized integrations put the response's status and
 * headers in the result (`SdkHttpMetadata`, `SdkResponseMetadata`), and error causes quote the request id.
 * The call honours the caller's AbortSignal; an abort rejects (the engine asked for it, nothing is recorded).
 */
import type { Json } from '@baton/asl';
import { httpInfoOf, readsCallScope, setCallScope, type CallScope, type HttpInfo } from './call-scope.js';

/** The part of an SDK v3 client this package uses. */
export interface SdkClient {
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
}

export type { HttpInfo };

export type SdkCallOutcome =
  | { ok: true; output: Record<string, unknown>; http: HttpInfo | undefined }
  | { ok: false; error: unknown; http: HttpInfo | undefined };

interface MiddlewareCommand {
  middlewareStack: { add(mw: unknown, options: { step: string; priority?: string; name?: string }): void };
}

export async function callSdk(client: SdkClient, command: unknown, signal: AbortSignal): Promise<SdkCallOutcome> {
  signal.throwIfAborted();
  const scope: CallScope = { client, signal };
  // Every client's trace-header middleware reads the call's signal there (trace-headers.ts).
  setCallScope(command as object, scope);
  let send: () => Promise<unknown>;
  if (readsCallScope(client)) {
    // ClientFactory's clients read the signal and keep the response through the call's scope, which the command
    // carries (call-scope.ts), so that the SDK can reuse the command's middleware stack.
    send = () => client.send(command);
  } else {
    // Another client (Step Functions') gets them per call: a middleware below the SDK's deserializer, so the raw
    // response is seen for successes and service errors alike, and the signal as an option.
    (command as MiddlewareCommand).middlewareStack.add(
      (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
        const result = await next(args);
        scope.http = httpInfoOf(result.response) ?? scope.http;
        return result;
      },
      { step: 'deserialize', priority: 'low', name: 'batonCaptureHttpResponse' },
    );
    send = () => client.send(command, { abortSignal: signal });
  }
  try {
    const output = (await send()) as Record<string, unknown>;
    return { ok: true, output, http: scope.http };
  } catch (error) {
    if (signal.aborted) throw signal.reason ?? error;
    return { ok: false, error, http: scope.http };
  }
}

/** Well-known header spellings (the SDK hands headers over lower-cased; AWS's results show the server's case). */
const HEADER_CASE: Record<string, string> = {
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
  date: 'Date',
  connection: 'Connection',
  server: 'Server',
  'x-amzn-requestid': 'x-amzn-RequestId',
  'x-amz-executed-version': 'X-Amz-Executed-Version',
  'x-amz-function-error': 'X-Amz-Function-Error',
  'x-amz-log-result': 'X-Amz-Log-Result',
  'x-amzn-trace-id': 'X-Amzn-Trace-Id',
  'x-amzn-remapped-content-length': 'x-amzn-Remapped-Content-Length',
  'x-amz-crc32': 'x-amz-crc32',
};

/** AWS's front ends differ in a few spellings: SNS, SQS and Step Functions send `connection` in lower case (as
 * recorded in their optimized integrations' `SdkHttpMetadata`), Lambda and DynamoDB `Connection`. */
export const LOWER_CASE_CONNECTION: Readonly<Record<string, string>> = { connection: 'connection' };

export function canonicalHeaderName(lower: string, overrides: Readonly<Record<string, string>> = {}): string {
  return overrides[lower] ?? HEADER_CASE[lower] ?? lower;
}

/** `SdkHttpMetadata` and `SdkResponseMetadata` as the optimized integrations return them; `headerCase` overrides
 * the spelling of some headers for the service that answered. */
export function responseMetadata(
  http: HttpInfo | undefined,
  requestId: string | undefined,
  headerCase: Readonly<Record<string, string>> = {},
): Record<string, Json> {
  const all: Record<string, Json> = {};
  const single: Record<string, Json> = {};
  for (const [name, value] of Object.entries(http?.headers ?? {})) {
    const key = canonicalHeaderName(name, headerCase);
    all[key] = [value];
    single[key] = value;
  }
  return {
    SdkHttpMetadata: { AllHttpHeaders: all, HttpHeaders: single, HttpStatusCode: http?.statusCode ?? 200 },
    SdkResponseMetadata: { RequestId: requestId ?? http?.headers['x-amzn-requestid'] ?? '' },
  };
}

/** The request id of an SDK output or error (`$metadata.requestId`). */
export function requestIdOf(v: unknown): string | undefined {
  const meta = (v as { $metadata?: { requestId?: string } } | null)?.$metadata;
  return meta?.requestId;
}
