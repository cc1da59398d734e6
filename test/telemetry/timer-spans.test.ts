/**
 * Timers and Map Run children in the execution's trace, exported over OTLP/HTTP (http/json) to a real receiver from
 * an SDK tracer provider with Baton's id generator (the engine in this process, Postgres and BullMQ):
 * - every durable timer that fires (a Wait, a retry backoff, a task timeout, a heartbeat timeout, the execution's
 *   timeout) is a `baton.timer` span, child of the root, from the step that scheduled it to its firing; a timer
 *   cancelled before it was due (a task that answered in time) has none; an Express execution's timers too;
 * - the child executions of a Distributed Map's Map Run are in the parent's trace, their root spans children of
 *   the parent's root.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatonIdGenerator, parseTraceparent, SpanNames, TelemetryAttributes as A } from '@baton/observability';
import { Harness } from '../engine/support/harness.js';
import { fn, TestInvoker } from '../engine/support/test-invoker.js';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';

const TIMERS = {
  StartAt: 'Nap',
  States: {
    Nap: { Type: 'Wait', Seconds: 1, Next: 'Flaky' },
    // Fails once, retried after a one-second backoff.
    Flaky: { Type: 'Task', Resource: fn('flaky'), Parameters: { failures: 1 }, Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }], ResultPath: null, Next: 'InTime' },
    // Answers at once: its timeout timer is cancelled, never fires.
    InTime: { Type: 'Task', Resource: fn('echo'), TimeoutSeconds: 30, ResultPath: null, Next: 'Slow' },
    Slow: { Type: 'Task', Resource: fn('hang'), TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Silent', ResultPath: null }], End: true },
    Silent: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', HeartbeatSeconds: 1, Parameters: { 'token.$': '$$.Task.Token' },
      Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Done', ResultPath: null }], End: true,
    },
    Done: { Type: 'Succeed' },
  },
};
const TOO_LONG = { TimeoutSeconds: 1, StartAt: 'Forever', States: { Forever: { Type: 'Wait', Seconds: 3600, End: true } } };
const EXPRESS_NAP = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, End: true } } };
const DISTRIBUTED = {
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map', End: true, ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
    },
  },
};

let otlp: OtlpReceiver;
let provider: BasicTracerProvider;
let h: Harness;
let spans: ReceivedSpan[] = [];
const arns = { timers: '', tooLong: '', express: '', parent: '', children: [] as string[] };

beforeAll(async () => {
  otlp = await new OtlpReceiver().start();
  provider = new BasicTracerProvider({
    idGenerator: new BatonIdGenerator(),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlp.url}/v1/traces` }))],
  });
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  h = await Harness.start({ label: 'timer_spans', invoker: new TestInvoker(), workers: 1, timers: 1, engine: { mapRunPollMs: 20 } });
});
afterAll(async () => {
  await h?.stop();
  await provider?.shutdown();
  trace.disable();
  await otlp?.close();
});

const ms = (ns: bigint): number => Number(ns / 1_000_000n);
const rootOf = (arn: string) => spans.find((s) => s.name === SpanNames.Execution && s.attributes[A.ExecutionArn] === arn)!;
const timersOf = (arn: string) => spans.filter((s) => s.name === SpanNames.Timer && s.attributes[A.ExecutionArn] === arn);

describe('timers and Map Run children in the execution\'s trace', () => {
  it('runs executions with timers of every purpose, an Express one, and a Distributed Map', async () => {
    arns.timers = await h.start(await h.createStateMachine('timers', TIMERS));
    arns.tooLong = await h.start(await h.createStateMachine('too-long', TOO_LONG));
    arns.parent = await h.start(await h.createStateMachine('fan-out', DISTRIBUTED), { items: [1, 2, 3] });
    const express = await h.createStateMachine('express-nap', EXPRESS_NAP, 'EXPRESS');
    const sync = await h.api.startSyncExecution({ stateMachineArn: express, input: '{}' });
    expect(sync.status).toBe('SUCCEEDED');
    arns.express = sync.executionArn;
    expect((await h.finished(arns.timers, 30_000)).status).toBe('SUCCEEDED');
    expect((await h.finished(arns.tooLong, 30_000)).status).toBe('TIMED_OUT');
    expect((await h.finished(arns.parent, 30_000)).status).toBe('SUCCEEDED');
    const mapRunArn = (await h.api.listMapRuns({ executionArn: arns.parent })).mapRuns[0]!.mapRunArn;
    arns.children = (await h.api.listExecutions({ mapRunArn })).executions.map((e) => e.executionArn);
    expect(arns.children).toHaveLength(3);
    await provider.forceFlush();
    spans = otlp.spans;
  }, 60_000);

  it('each timer that fired is a span under the root, from its scheduling step to its firing; a cancelled one is not', async () => {
    const root = rootOf(arns.timers);
    const timers = timersOf(arns.timers);
    expect(timers.map((t) => [t.attributes[A.TimerPurpose], t.attributes[A.StateName]]).sort()).toEqual([
      ['heartbeat', 'Silent'], ['retry', 'Flaky'], ['taskTimeout', 'Slow'], ['wait', 'Nap'],
    ]);
    const history = await h.history(arns.timers);
    const at = (type: string, name?: string) => history.find((e) => e.type === type
      && (name === undefined || (e.stateEnteredEventDetails as { name?: string } | undefined)?.name === name))!.timestamp.getTime();
    for (const t of timers) {
      expect([t.traceId, t.parentSpanId]).toEqual([root.traceId, root.spanId]);
      // Each is due a second after it was scheduled, and fires then or later.
      expect(ms(t.endNs) - ms(t.startNs)).toBeGreaterThanOrEqual(1_000);
      expect(t.attributes[A.TimerLateMs]).toBe(ms(t.endNs) - ms(t.startNs) - 1_000);
      expect(ms(t.endNs)).toBeLessThanOrEqual(ms(root.endNs));
      expect(String(t.attributes[A.TimerId])).not.toBe('');
    }
    const byPurpose = (p: string) => timers.find((t) => t.attributes[A.TimerPurpose] === p)!;
    // Scheduled by the step that entered the Wait; fired before the step that left it.
    expect(ms(byPurpose('wait').startNs)).toBe(at('WaitStateEntered', 'Nap'));
    expect(ms(byPurpose('wait').endNs)).toBeLessThanOrEqual(history.find((e) => e.type === 'WaitStateExited')!.timestamp.getTime());
    // The backoff starts with the failure it retries; the timeout with the task's scheduling.
    expect(ms(byPurpose('retry').startNs)).toBe(history.find((e) => e.type === 'LambdaFunctionFailed')!.timestamp.getTime());
    const slowScheduled = history.filter((e) => e.type === 'LambdaFunctionScheduled').at(-1)!.timestamp.getTime();
    expect(ms(byPurpose('taskTimeout').startNs)).toBe(slowScheduled);
  });

  it('the execution timeout is a span too, from the execution\'s first step', async () => {
    const root = rootOf(arns.tooLong);
    const timers = timersOf(arns.tooLong);
    expect(timers.map((t) => t.attributes[A.TimerPurpose])).toEqual(['executionTimeout']);
    expect([timers[0]!.traceId, timers[0]!.parentSpanId]).toEqual([root.traceId, root.spanId]);
    const entered = (await h.history(arns.tooLong)).find((e) => e.type === 'WaitStateEntered')!.timestamp.getTime();
    expect(ms(timers[0]!.startNs)).toBe(entered);
  });

  it('an Express execution\'s Wait is a span of its trace', () => {
    const root = rootOf(arns.express);
    const timers = timersOf(arns.express);
    expect(timers.map((t) => [t.attributes[A.TimerPurpose], t.attributes[A.StateName]])).toEqual([['wait', 'Nap']]);
    expect([timers[0]!.traceId, timers[0]!.parentSpanId]).toEqual([root.traceId, root.spanId]);
    expect(ms(timers[0]!.endNs) - ms(timers[0]!.startNs)).toBeGreaterThanOrEqual(1_000);
  });

  it('the Map Run\'s children are in the parent\'s trace, their roots children of the parent\'s root', async () => {
    const parent = rootOf(arns.parent);
    const stored = await h.store.executions.getByArn(arns.parent);
    expect(parseTraceparent(stored!.traceContext!)).toMatchObject({ traceId: parent.traceId, spanId: parent.spanId });
    for (const child of arns.children) {
      const root = rootOf(child);
      expect([root.traceId, root.parentSpanId]).toEqual([parent.traceId, parent.spanId]);
      for (const s of spans.filter((x) => x.attributes[A.ExecutionArn] === child && x !== root)) {
        expect([s.traceId, s.parentSpanId]).toEqual([parent.traceId, root.spanId]);
      }
    }
  });
});
