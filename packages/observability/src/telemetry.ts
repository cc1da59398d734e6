/**
 * Thin helpers over `@opentelemetry/api`. Without a registered SDK every call here lands on the API's no-op
 * implementation, so libraries stay cheap and silent by default; only apps (apps/cli) start an SDK.
 *
 * Meters are NOT proxies in the API: a meter taken before the SDK registers stays a no-op forever. Take
 * instruments when the component is constructed (after the app started its SDK), never at module load.
 */
import { context, createNoopMeter, metrics, SpanStatusCode, trace, type Meter, type Span, type Tracer } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

export type { Attributes, Counter, Histogram, Meter, Span, Tracer } from '@opentelemetry/api';

/** Instrumentation scope of every Baton span and metric. */
export const INSTRUMENTATION_SCOPE = '@baton/engine';

export function batonTracer(): Tracer {
  return trace.getTracer(INSTRUMENTATION_SCOPE);
}

export function batonMeter(): Meter {
  return metrics.getMeter(INSTRUMENTATION_SCOPE);
}

/** Marks the span failed with the error (only when someone records it), then ends it. */
export function endSpanWithError(span: Span, error: unknown): void {
  if (span.isRecording()) {
    const e = error instanceof Error ? error : new Error(String(error));
    span.recordException(e);
    span.setStatus({ code: SpanStatusCode.ERROR, message: e.message });
  }
  span.end();
}

/** False for the API's no-op meter (no SDK registered when it was taken): work done only to record can be skipped. */
export function isRecordingMeter(meter: Meter): boolean {
  return meter.constructor !== createNoopMeter().constructor;
}

/**
 * Runs `fn` with tracing suppressed: Baton's own background calls that are not part of an execution (delivering
 * execution logs to CloudWatch Logs) would otherwise each start a trace of their own through the AWS SDK and
 * HTTP instrumentations, as the OTLP exporters' calls would.
 */
export function untraced<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}
