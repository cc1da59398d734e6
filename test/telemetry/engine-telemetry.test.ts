/**
 * The engine's spans and metrics, with an in-memory span exporter and metric reader registered in this process
 * (as an app's SDK would be, before the engine is built), on the real Postgres and Redis: a Pass, a Wait 1 s
 * and a Task run through the worker and the timer service.
 */
import { metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider, MetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricNames, SpanNames, TelemetryAttributes as A } from '@baton/observability';
import { Harness } from '../engine/support/harness.js';
import { fn, TestInvoker } from '../engine/support/test-invoker.js';
import { PASS_WAIT_TASK } from './support.js';

/** Collects on demand (no timer): `collect()` returns what every instrument holds now. */
class TestMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const reader = new TestMetricReader();
const meterProvider = new MeterProvider({ readers: [reader] });
let h: Harness;
let executionArn: string;
let stateMachineArn: string;

beforeAll(async () => {
  // Registered before the harness builds its engines: they take their instruments at construction.
  expect(trace.setGlobalTracerProvider(tracerProvider)).toBe(true);
  expect(metrics.setGlobalMeterProvider(meterProvider)).toBe(true);
  h = await Harness.start({ label: 'telemetry', invoker: new TestInvoker(), workers: 1, timers: 1 });
  stateMachineArn = await h.createStateMachine('telemetry', PASS_WAIT_TASK);
  executionArn = await h.start(stateMachineArn, { x: 1 });
  const d = await h.finished(executionArn);
  expect(d.status).toBe('SUCCEEDED');
  await tracerProvider.forceFlush();
});
afterAll(async () => {
  await h?.stop();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  trace.disable();
  metrics.disable();
});

const named = (name: string): ReadableSpan[] => spans.getFinishedSpans().filter((s) => s.name === name);

async function metric(name: string): Promise<MetricData> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  const found = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}
const sum = (m: MetricData): number => m.dataPoints.reduce((t, p) => t + (typeof p.value === 'number' ? p.value : 0), 0);

describe('spans', () => {
  it('one baton.transition span per transition, with what it did', () => {
    const mine = named(SpanNames.Transition).filter((s) => s.attributes[A.ExecutionArn] === executionArn);
    const committed = mine.filter((s) => s.attributes[A.TransitionOutcome] === 'committed');
    // start (Prepare, Nap), the timer (Call), the task's result (the end): at least three commits.
    expect(committed.length).toBeGreaterThanOrEqual(3);
    for (const s of committed) {
      expect(s.attributes[A.StateMachineArn]).toBe(stateMachineArn);
      expect(s.attributes[A.TransitionSignals]).toBeGreaterThanOrEqual(1);
      expect(s.attributes[A.TransitionEvents]).toBeGreaterThanOrEqual(1);
    }
    const first = committed.find((s) => s.attributes[A.TransitionStatesEntered] === 2);
    expect(first?.attributes).toMatchObject({ [A.StateName]: 'Nap', [A.StateType]: 'Wait' }); // Prepare then Nap, one commit
    expect(committed.some((s) => s.attributes[A.StateName] === 'Call' && s.attributes[A.StateType] === 'Task')).toBe(true);
    const outcomes = new Set(named(SpanNames.Transition).map((s) => s.attributes[A.TransitionOutcome]));
    expect([...outcomes].every((o) => o === 'committed' || o === 'conflict' || o === 'idle')).toBe(true);
  });

  it('one baton.task span per task call: resource, pattern, attempt, result', () => {
    const tasks = named(SpanNames.Task);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.attributes).toEqual({
      [A.ExecutionArn]: executionArn,
      [A.StateMachineArn]: stateMachineArn,
      [A.StateName]: 'Call',
      [A.StateType]: 'Task',
      [A.TaskResource]: fn('echo'),
      [A.TaskPattern]: 'request-response',
      [A.TaskAttempt]: 0,
      [A.TaskResult]: 'succeeded',
    });
  });

  it('a baton.timer.batch span for the batch that fired the Wait', () => {
    const batches = named(SpanNames.TimerBatch);
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.every((s) => Number(s.attributes[A.TimersFired]) >= 1)).toBe(true);
    expect(batches.reduce((t, s) => t + Number(s.attributes[A.TimersFired]), 0)).toBe(1);
  });
});

describe('metrics', () => {
  it('counts committed transitions, tasks by result kind and fired timers', async () => {
    expect(sum(await metric(MetricNames.TransitionsCommitted))).toBeGreaterThanOrEqual(3);
    expect(sum(await metric(MetricNames.TimersFired))).toBe(1);
    const tasks = await metric(MetricNames.Tasks);
    expect(tasks.dataPoints.map((p) => [p.attributes[A.TaskResult], p.value])).toEqual([['succeeded', 1]]);
  });

  it('a transition-duration histogram (ms) by outcome', async () => {
    const d = await metric(MetricNames.TransitionDuration);
    expect(d.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(d.descriptor.unit).toBe('ms');
    const committed = d.dataPoints.find((p) => p.attributes[A.TransitionOutcome] === 'committed');
    expect((committed?.value as { count: number } | undefined)?.count).toBeGreaterThanOrEqual(3);
  });
});
