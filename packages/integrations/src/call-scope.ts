/**
 * What one task call needs from the SDK client it shares with concurrent calls, without per-call middleware: the
 * call's AbortSignal and a place to keep the raw HTTP response (sdk-call.ts). The clients ClientFactory builds read
 * it from the call's arguments:
 * - `sdk-call.ts` puts the scope on the command under a symbol (`setCallScope`). The SDK hands the command to its
 *   middleware stack as the arguments, and each middleware passes on a copy of them (`{ ...args, request }`), which
 *   keeps the symbol;
 * - a client middleware innermost in the stack (deserialize step, low priority: next to the request handler, below
 *   the retries) reads it, hands the call's signal to the request handler for that request, and keeps the
 *   response's status and headers (it sees successes and service errors alike).
 * That lets the SDK cache each command's resolved middleware stack (`cacheMiddleware`): the SDK resolves it again
 * for every call that adds a middleware to its command or passes options to `send`, which, with the SigV4 signer
 * the SDK builds per call (clients.ts builds it once), cost about 300 µs of a Lambda call's 1,300 (caller and
 * stand-in together, 2-core machine).
 *
 * Not an AsyncLocalStorage scope, as it was: on Node 20 and 22 the first `run` turns on promise hooks for the whole
 * process for good, and every promise then costs about three times as much (every await in the worker: the
 * database client, the SDK's middleware, the engine). The Lambda chain's worker spent 2-3% of its samples in those
 * hooks. Node 24's AsyncLocalStorage has no such cost.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandlerOptions } from '@smithy/types';

export interface HttpInfo {
  statusCode: number;
  /** Header names as the server sent them (the SDK lower-cases them; see `canonicalHeaderName`). */
  headers: Record<string, string>;
}

export interface CallScope {
  /** The client of the call: a call another client makes within this one's async context keeps its own signal
   * and response. */
  client: object;
  signal: AbortSignal;
  http?: HttpInfo;
}

/** Where a command carries its call's scope (an own enumerable property: copies of the arguments keep it). */
const SCOPE = Symbol('baton.callScope');

/** The signal of each request a scoped call sends (set just before the request handler gets the request). */
const requestSignals = new WeakMap<object, AbortSignal>();

/** The status and headers of a raw HTTP response, as a middleware below the SDK's deserializer sees it. */
export function httpInfoOf(response: unknown): HttpInfo | undefined {
  const r = response as { statusCode?: number; headers?: Record<string, string> } | undefined;
  return r && typeof r.statusCode === 'number' ? { statusCode: r.statusCode, headers: { ...(r.headers ?? {}) } } : undefined;
}

/** Clients that read the call scope (built by ClientFactory); others get the signal and a middleware per call. */
const scoped = new WeakSet<object>();

export function readsCallScope(client: object): boolean {
  return scoped.has(client);
}

/** Makes `scope` the scope of `command`'s calls (sdk-call.ts sends the command right after). */
export function setCallScope(command: object, scope: CallScope): void {
  (command as Record<symbol, CallScope>)[SCOPE] = scope;
}

/** The scope of the call whose middleware arguments these are (undefined for a command sent otherwise). */
export function callScopeOf(args: unknown): CallScope | undefined {
  return (args as Record<symbol, CallScope | undefined> | undefined)?.[SCOPE];
}

/** NodeHttpHandler that aborts a request with its call's signal (when the call passed none of its own). */
export class CallScopedHttpHandler extends NodeHttpHandler {
  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    const signal = options.abortSignal === undefined ? requestSignals.get(request) : undefined;
    return super.handle(request, signal !== undefined ? { ...options, abortSignal: signal } : options);
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<{ response: unknown }>) => (args: unknown) => Promise<{ response: unknown }>,
      options: { step: 'deserialize'; priority: 'low'; name: string; override?: boolean },
    ): void;
  };
}

/** Installs the scope-reading middleware on a client built with a CallScopedHttpHandler as its request handler. */
export function withCallScope<C extends object>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      const scope = callScopeOf(args);
      if (scope?.client !== client) return next(args);
      const request = (args as { request?: unknown }).request;
      if (typeof request === 'object' && request !== null) requestSignals.set(request, scope.signal);
      const result = await next(args);
      scope.http = httpInfoOf(result.response) ?? scope.http;
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'batonCaptureHttpResponse', override: true },
  );
  scoped.add(client);
  return client;
}
