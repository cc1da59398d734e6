/**
 * The execution-level trace in one process, on an SDK tracer provider with Baton's id generator and an in-memory
 * exporter (the cross-process and OTLP side is execution-trace.test.ts): the root span of a failed and of a
 * stopped execution, state spans only with `tracingConfiguration.enabled`, the order in which a caller's trace is
 * taken (traceparent header, traceHeader member, X-Amzn-Trace-Id header), an unsampled caller, and the parsing of
 * both header formats.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatonIdGenerator, formatTraceparent, formatXRayTraceHeader, parseTraceparent, parseXRayTraceHeader, SpanNames,
  TelemetryAttributes as A, withIncomingTraceHeaders,
} from '@baton/observability';
import { Harness } from '../engine/support/harness.js';
import { fn, TestInvoker } from '../engine/support/test-invoker.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ idGenerator: new BatonIdGenerator(), spanProcessors: [new SimpleSpanProcessor(exporter)] });
let h: Harness;
const invoker = new TestInvoker();

const DEFINITION = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Next: 'Pause' },
    Pause: { Type: 'Wait', SecondsPath: '$.wait', Next: 'Call' },
    Call: { Type: 'Task', Resource: fn('fail'), Parameters: { error: 'Custom.Broken' }, End: true },
  },
};

beforeAll(async () => {
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
  h = await Harness.start({ label: 'exec_spans', invoker, workers: 1, timers: 1 });
});
afterAll(async () => {
  await h?.stop();
  await provider.shutdown();
  trace.disable();
});

async function machine(name: string, tracing: boolean): Promise<string> {
  return (await h.api.createStateMachine({
    name, roleArn: 'arn:aws:iam::123456789012:role/test', definition: JSON.stringify(DEFINITION),
    ...(tracing ? { tracingConfiguration: { enabled: true } } : {}),
  })).stateMachineArn;
}

const of = (arn: string): ReadableSpan[] => exporter.getFinishedSpans().filter((s) => s.attributes[A.ExecutionArn] === arn);
const stored = async (arn: string) => {
  const r = await h.store.executions.getByArn(arn);
  return { ids: parseTraceparent(r!.traceContext!)!, caller: r!.traceCallerSpanId };
};

describe('execution spans in one process', () => {
  it('a failed execution: one root with the stored ids, state spans (tracing enabled), the unexited state in error', async () => {
    const arn = await h.start(await machine('spans-traced', true), { wait: 0 });
    expect((await h.finished(arn)).status).toBe('FAILED');
    const { ids, caller } = await stored(arn);
    expect(caller).toBeNull();
    const spans = of(arn);
    const root = spans.find((s) => s.name === SpanNames.Execution)!;
    expect(root.spanContext()).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId });
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Custom.Broken' });
    expect(root.attributes).toMatchObject({ [A.ExecutionStatus]: 'FAILED', [A.Error]: 'Custom.Broken' });
    for (const s of spans.filter((x) => x !== root)) {
      expect(s.spanContext().traceId).toBe(ids.traceId);
      expect(s.parentSpanContext?.spanId).toBe(ids.spanId);
    }
    const states = spans.filter((s) => s.attributes[A.StateName] !== undefined && s.name !== SpanNames.Task && s.name !== SpanNames.Transition);
    expect(states.map((s) => [s.name, s.attributes[A.StateType], s.status.code]).sort()).toEqual([
      ['Call', 'Task', SpanStatusCode.ERROR], // entered in an earlier step, never exited: ended with the execution
      ['Pause', 'Wait', SpanStatusCode.UNSET],
      ['Prepare', 'Pass', SpanStatusCode.UNSET],
    ].sort());
    expect(states.find((s) => s.name === 'Call')!.attributes[A.Error]).toBe('Custom.Broken');
  });

  it('without tracingConfiguration: no state spans; a stopped execution\'s root is ABORTED (emitted by the API\'s engine)', async () => {
    const arn = await h.start(await machine('spans-plain', false), { wait: 600 });
    await h.waitFor('the Wait', async () => ((await h.types(arn)).includes('WaitStateEntered') ? true : undefined));
    await h.api.stopExecution({ executionArn: arn, error: 'Operator.Stop' });
    expect((await h.finished(arn)).status).toBe('ABORTED');
    const spans = of(arn);
    expect(new Set(spans.map((s) => s.name))).toEqual(new Set([SpanNames.Execution, SpanNames.Transition]));
    const root = spans.find((s) => s.name === SpanNames.Execution)!;
    expect(root.attributes[A.ExecutionStatus]).toBe('ABORTED');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.spanContext().spanId).toBe((await stored(arn)).ids.spanId);
  });

  it('takes the caller\'s trace from traceparent, else the traceHeader member, else X-Amzn-Trace-Id', async () => {
    const sm = await machine('spans-callers', false);
    const w3c = { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', sampled: true };
    const member = { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', sampled: true };
    const header = { traceId: '11111111222222223333333344444444', spanId: '5555555566666666', sampled: true };
    const start = (name: string, headers: Record<string, string>, traceHeader?: string) =>
      h.api.startExecution(withIncomingTraceHeaders({
        stateMachineArn: sm, name, input: JSON.stringify({ wait: 0 }), ...(traceHeader ? { traceHeader } : {}),
      }, headers));
    const all = await start('all', { traceparent: formatTraceparent(w3c), 'x-amzn-trace-id': formatXRayTraceHeader(header) }, formatXRayTraceHeader(member));
    const two = await start('two', { 'x-amzn-trace-id': formatXRayTraceHeader(header) }, formatXRayTraceHeader(member));
    const one = await start('one', { 'x-amzn-trace-id': formatXRayTraceHeader(header) });
    const rootOnly = await start('root-only', {}, 'Root=1-11111111-222222223333333344444444;Sampled=1');
    const none = await start('none', {});
    expect(await stored(all.executionArn)).toMatchObject({ ids: { traceId: w3c.traceId }, caller: w3c.spanId });
    expect(await stored(two.executionArn)).toMatchObject({ ids: { traceId: member.traceId }, caller: member.spanId });
    expect(await stored(one.executionArn)).toMatchObject({ ids: { traceId: header.traceId }, caller: header.spanId });
    expect(await stored(rootOnly.executionArn)).toMatchObject({ ids: { traceId: header.traceId }, caller: null });
    const fresh = await stored(none.executionArn);
    expect(fresh.caller).toBeNull();
    expect([w3c.traceId, member.traceId, header.traceId]).not.toContain(fresh.ids.traceId);
    for (const e of [all, two, one, rootOnly, none]) await h.finished(e.executionArn);
    const root = of(all.executionArn).find((s) => s.name === SpanNames.Execution)!;
    expect(root.parentSpanContext).toMatchObject({ traceId: w3c.traceId, spanId: w3c.spanId });
  });

  it('an Express execution (StartSyncExecution): a root span in the caller\'s trace; its task calls carry it', async () => {
    const sm = (await h.api.createStateMachine({
      name: 'spans-express', type: 'EXPRESS', roleArn: 'arn:aws:iam::123456789012:role/test',
      definition: JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: fn('echo'), End: true } } }),
    })).stateMachineArn;
    const out = await h.api.startSyncExecution({ stateMachineArn: sm, traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' });
    expect(out.status).toBe('SUCCEEDED');
    const root = of(out.executionArn).find((s) => s.name === SpanNames.Execution)!;
    expect(root.spanContext().traceId).toBe('5759e988bd862e3fe1be46a994272793');
    expect(root.parentSpanContext?.spanId).toBe('53995c3f42cd8ad8');
    expect(root.attributes[A.ExecutionStatus]).toBe('SUCCEEDED');
    const call = invoker.calls.find((c) => c.executionArn === out.executionArn)!;
    expect(parseTraceparent(call.traceparent)).toMatchObject({ traceId: root.spanContext().traceId, spanId: root.spanContext().spanId });
  });

  it('an unsampled caller (flags 00): the execution records no spans', async () => {
    const sm = await machine('spans-unsampled', true);
    const e = await h.api.startExecution(withIncomingTraceHeaders(
      { stateMachineArn: sm, input: JSON.stringify({ wait: 0 }) }, { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-00` }));
    expect((await h.finished(e.executionArn)).status).toBe('FAILED');
    expect((await stored(e.executionArn)).ids.sampled).toBe(false);
    expect(of(e.executionArn)).toEqual([]);
  });
});

describe('trace header formats', () => {
  it('W3C traceparent: version 00 exactly, ids not all zero, later versions read leniently', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true,
    });
    expect(parseTraceparent('00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-00')?.sampled).toBe(false);
    for (const bad of ['', '00-0000000000000000000000000000000-00f067aa0ba902b7-01', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `00-${'a'.repeat(32)}-${'0'.repeat(16)}-01`, `ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01-extra`]) {
      expect(parseTraceparent(bad)).toBeUndefined();
    }
    expect(parseTraceparent(`01-${'a'.repeat(32)}-${'b'.repeat(16)}-01-future`)).toMatchObject({ spanId: 'b'.repeat(16) });
  });

  it('X-Ray: Root, Parent and Sampled in any order; the trace id is the W3C one', () => {
    expect(parseXRayTraceHeader('Sampled=0;Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', sampled: false,
    });
    expect(parseXRayTraceHeader('Root=1-5759e988-bd862e3fe1be46a994272793')).toEqual({ traceId: '5759e988bd862e3fe1be46a994272793', spanId: undefined, sampled: true });
    expect(parseXRayTraceHeader('Root=2-5759e988-bd862e3fe1be46a994272793')).toBeUndefined();
    expect(parseXRayTraceHeader('Self=1-5759e988-bd862e3fe1be46a994272793')).toBeUndefined();
    const ids = { traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8', sampled: true };
    expect(formatXRayTraceHeader(ids)).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1');
    expect(parseXRayTraceHeader(formatXRayTraceHeader(ids))).toEqual(ids);
  });
});
