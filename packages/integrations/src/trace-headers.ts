/**
 * Task calls carry the task attempt's trace context, so that the callee's trace (a Lambda function's, an HTTP
 * endpoint's, a nested execution's) joins the execution's: W3C `traceparent`, and `X-Amzn-Trace-Id` for X-Ray
 * users. The invoker runs each task call with its request's traceparent in scope (`withTaskTrace`); a middleware
 * on every SDK client and the HTTP Task's sender read it from there (SDK clients are shared by concurrent tasks).
 * A header the call already carries is left as it is (an OpenTelemetry HTTP instrumentation, when the app runs
 * one, writes a `traceparent` naming its own client span, which is more precise).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { formatXRayTraceHeader, parseTraceparent } from '@baton/observability';

const current = new AsyncLocalStorage<string>();

export function withTaskTrace<T>(traceparent: string | undefined, fn: () => T): T {
  return traceparent === undefined ? fn() : current.run(traceparent, fn);
}

/** The headers for the task call in scope (none outside one). */
export function taskTraceHeaders(): Record<string, string> {
  const ids = parseTraceparent(current.getStore());
  if (!ids) return {};
  return { traceparent: current.getStore()!, 'X-Amzn-Trace-Id': formatXRayTraceHeader(ids) };
}

/** Adds the headers to `headers` where no header of that name (in any case) is set yet. */
export function addTaskTraceHeaders(headers: Record<string, string>): void {
  const present = new Set(Object.keys(headers).map((h) => h.toLowerCase()));
  for (const [name, value] of Object.entries(taskTraceHeaders())) {
    if (!present.has(name.toLowerCase())) headers[name] = value;
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
      if (request?.headers) addTaskTraceHeaders(request.headers);
      return next(args);
    },
    { step: 'build', name: 'batonTaskTraceHeaders', override: true },
  );
  return client;
}
