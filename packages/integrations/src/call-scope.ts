/**
 * What one task call needs from the SDK client it shares with concurrent calls, without per-call middleware: the
 * call's AbortSignal and a place to keep the raw HTTP response (sdk-call.ts), carried in an AsyncLocalStorage
 * scope. The clients ClientFactory builds read it from there:
 * - their request handler (CallScopedHttpHandler) aborts the request with the call's signal;
 * - a client middleware (below the deserializer, so it sees successes and service errors alike) keeps the
 *   response's status and headers.
 * That lets the SDK cache each command's resolved middleware stack (`cacheMiddleware`): the SDK resolves it again
 * for every call that adds a middleware to its command or passes options to `send`, which, with the SigV4 signer
 * the SDK builds per call (clients.ts builds it once), cost about 300 µs of a Lambda call's 1,300 (caller and
 * stand-in together, 2-core machine).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
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

const current = new AsyncLocalStorage<CallScope>();

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

export function inCallScope<T>(scope: CallScope, fn: () => Promise<T>): Promise<T> {
  return current.run(scope, fn);
}

/** NodeHttpHandler that aborts a request with its call's signal (when the call passed none of its own). */
export class CallScopedHttpHandler extends NodeHttpHandler {
  /** The client this handler serves (set by withCallScope). */
  owner: object | undefined;

  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    const scope = current.getStore();
    const mine = scope !== undefined && scope.client === this.owner && options.abortSignal === undefined;
    return super.handle(request, mine ? { ...options, abortSignal: scope.signal } : options);
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

/** Installs the response-keeping middleware on a client built with `handler` as its request handler. */
export function withCallScope<C extends object>(client: C, handler: CallScopedHttpHandler): C {
  handler.owner = client;
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const scope = current.getStore();
      if (scope?.client === client) scope.http = httpInfoOf(result.response) ?? scope.http;
      return result;
    },
    { step: 'deserialize', priority: 'low', name: 'batonCaptureHttpResponse', override: true },
  );
  scoped.add(client);
  return client;
}
