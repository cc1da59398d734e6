export { MetricNames, SpanNames, TelemetryAttributes, type TransitionOutcome } from './telemetry-attributes.js';
export {
  batonMeter, batonTracer, endSpanWithError, INSTRUMENTATION_SCOPE, isRecordingMeter, untraced,
  type Attributes, type Counter, type Histogram, type Meter, type Span, type Tracer,
} from './telemetry.js';
export {
  BatonMetricNames, ExecutionMetricNames, exportedMetricFamilies, LONG_SECONDS_BUCKETS, MetricLabels, StepFunctionsInstruments,
  TASK_COUNTS, TASK_FAMILY_METRICS, TASK_TIMES, type TaskCount, type TaskFamily, type TaskTime,
} from './metrics.js';
export { createLogger, LOG_LEVELS, shortToken, silentLogger, type LogLevel, type Logger, type LoggerOptions } from './logger.js';
export {
  BatonIdGenerator, contextWithParent, formatTraceparent, formatXRayTraceHeader, incomingTraceHeadersOf, newSpanId, newTraceId,
  parseTraceparent, parseXRayTraceHeader, spanIds, withIncomingTraceHeaders, withSpanIds,
  type IncomingTraceHeaders, type TraceIds,
} from './tracing.js';
export { context, ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
