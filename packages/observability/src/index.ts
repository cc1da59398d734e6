export { MetricNames, SpanNames, TelemetryAttributes, type TransitionOutcome } from './telemetry-attributes.js';
export {
  batonMeter, batonTracer, endSpanWithError, INSTRUMENTATION_SCOPE,
  type Attributes, type Counter, type Histogram, type Meter, type Span, type Tracer,
} from './telemetry.js';
