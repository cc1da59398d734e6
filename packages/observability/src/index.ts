export { MetricNames, SpanNames, TelemetryAttributes, type TransitionOutcome } from './telemetry-attributes.js';
export {
  batonMeter, batonTracer, endSpanWithError, INSTRUMENTATION_SCOPE,
  type Attributes, type Counter, type Histogram, type Meter, type Span, type Tracer,
} from './telemetry.js';
export {
  BatonIdGenerator, contextWithParent, formatTraceparent, formatXRayTraceHeader, incomingTraceHeaders, newSpanId, newTraceId,
  parseTraceparent, parseXRayTraceHeader, spanIds, withIncomingTraceHeaders, withSpanIds,
  type IncomingTraceHeaders, type TraceIds,
} from './tracing.js';
export { context, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
