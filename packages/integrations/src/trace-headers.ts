/**
 * Task calls carry the task attempt's trace context, so that the callee's trace (a Lambda function's, an HTTP
 * endpoint's, a nested execution's) joins the execution's: W3C `traceparent`, and `X-Amzn-Trace-Id` for X-Ray
 * users. The invoker runs each task call with a signal of its own that names the call's traceparent
 * (`withTaskTrace`); a middleware on every SDK client (which finds the call's signal in the scope its command
 * carries, call-scope.ts) and the HTTP Task's sender read it from the signal (SDK clients are shared by concurrent
 * tasks). Not an AsyncLocalStorage scope, as it was: on Node 20 and 22 that makes every promise of the process
 * dearer (call-scope.ts says why).
 * A header the call already carries is left as it is (an OpenTelemetry HTTP instrumentation, when the app runs
 * one, writes a `traceparent` naming its own client span, which is more precise).
 */
import { formatXRayTraceHeader, parseTraceparent } from '@baton/observability';
import { callScopeOf } from './call-scope.js';

/** The traceparent of each task call's own signal. */
const traces = new WeakMap<AbortSignal, string>();

/**
 * Runs a task call with `traceparent` named by its signal: `fn` gets a signal of its own that follows `signal`
 * (one per call, so that no two calls share one), or `signal` itself when there is no traceparent.
 */
export async function withTaskTrace<T>(traceparent: string | undefined, signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (traceparent === undefined) return fn(signal);
  const own = new AbortController();
  const follow = (): void => own.abort(signal.reason);
  if (signal.aborted) follow();
  else signal.addEventListener('abort', follow, { once: true });
  traces.set(own.signal, traceparent);
  try {
    return await fn(own.signal);
  } finally {
    signal.removeEventListener('abort', follow);
  }
}

/** The headers for the task call whose signal this is (none outside one). */
export function taskTraceHeaders(signal: AbortSignal | undefined): Record<string, string> {
  const traceparent = signal && traces.get(signal);
  const ids = parseTraceparent(traceparent);
  if (!ids || traceparent === undefined) return {};
  return { traceparent, 'X-Amzn-Trace-Id': formatXRayTraceHeader(ids) };
}

/** Adds the headers to `headers` where no header of that name (in any case) is set yet. */
export function addTaskTraceHeaders(headers: Record<string, string>, signal: AbortSignal | undefined): void {
  const add = taskTraceHeaders(signal);
  const names = Object.keys(add);
  if (names.length === 0) return;
  const present = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  for (const name of names) {
    if (!present.has(name.toLowerCase())) headers[name] = add[name]!;
  }
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: { request: unknown }) => Promise<unknown>) => (args: { request: unknown }) => Promise<unknown>,
      options: { step: 'build'; name: string; override?: boolean },
    ): void;
  };
}

/** Installs the middleware on an SDK v3 client (once; returns the client). */
export function withTraceHeaderMiddleware<C>(client: C): C {
  (client as unknown as MiddlewareClient).middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) addTaskTraceHeaders(request.headers, callScopeOf(args)?.signal);
      return next(args);
    },
    { step: 'build', name: 'batonTaskTraceHeaders', override: true },
  );
  return client;
}
