/**
 * One trace per execution, whatever process works on it. At StartExecution the execution's trace context is drawn
 * (`newTraceContext`: the caller's trace when the request carried one, else a new trace; a new span id for the
 * root span) and stored with the execution. Every transition, task attempt and (with the state machine's
 * `tracingConfiguration.enabled`, as X-Ray does) every state then has a span whose parent is that root, on any
 * worker. The root span cannot stay open in memory for days: it is emitted when the execution ends, with the
 * stored ids and the start date (`withSpanIds` and the `BatonIdGenerator` the app gives the SDK).
 *
 * State spans are emitted when the state is exited (or, unexited, when the execution ends), from the time it was
 * entered: in the same step, from the StateEntered event; in an earlier one, from the run's `enteredTime` in the
 * execution document. They are named after the state, with its type as an attribute.
 *
 * Each durable timer that fires (a Wait, a retry backoff, a task's or the execution's timeout, a heartbeat timeout)
 * is a `baton.timer` span, a child of the root, from when the step that scheduled it ran (the document's
 * `scheduledAt`) to when it fired (the `timerFired` signal's `firedAt`, else the consuming step's time); emitted
 * once, by the transition that consumes it, when that commits.
 */
import type { ExecutionDoc, HistoryEvent, Program, Signal, StepResult } from '@baton/asl';
import {
  context, contextWithParent, formatTraceparent, incomingTraceHeadersOf, newSpanId, newTraceId, parseTraceparent,
  parseXRayTraceHeader, ROOT_CONTEXT, SpanNames, SpanStatusCode, TelemetryAttributes as A, trace, withSpanIds,
  type Context, type IncomingTraceHeaders, type Span, type TraceIds, type Tracer,
} from '@baton/observability';
import type { Logger } from '../logger.js';
import type { ExecutionRecord } from '../ports.js';

/** The trace columns of a new execution. */
export interface ExecutionTraceColumns {
  traceContext: string;
  traceCallerSpanId: string | null;
}

/**
 * The caller's span, in order: the request's W3C `traceparent` header (or, when the SDK's HTTP instrumentation
 * runs, the request's server span, its child), StartExecution's X-Ray `traceHeader` member, the request's
 * `X-Amzn-Trace-Id` header, and last the span active here (an instrumented request that carried no trace header
 * starts a trace of its own, which the execution then joins).
 */
function caller(traceHeader: string | undefined, headers: IncomingTraceHeaders | undefined): (Omit<TraceIds, 'spanId'> & { spanId: string | undefined }) | undefined {
  const c = trace.getSpanContext(context.active());
  const active = c && trace.isSpanContextValid(c) ? { traceId: c.traceId, spanId: c.spanId, sampled: (c.traceFlags & 1) === 1 } : undefined;
  const w3c = parseTraceparent(headers?.traceparent);
  if (w3c) return active?.traceId === w3c.traceId ? active : w3c;
  return parseXRayTraceHeader(traceHeader) ?? parseXRayTraceHeader(headers?.amznTraceId) ?? active;
}

/** `input`: StartExecution's or StartSyncExecution's, with the request's trace headers (`withIncomingTraceHeaders`). */
export function newTraceContext(input: { traceHeader?: string | undefined }): ExecutionTraceColumns {
  const from = caller(input.traceHeader, incomingTraceHeadersOf(input));
  const ids = { traceId: from?.traceId ?? newTraceId(), spanId: newSpanId(), sampled: from?.sampled ?? true };
  return { traceContext: formatTraceparent(ids), traceCallerSpanId: from?.spanId ?? null };
}

/**
 * A Map Run child's trace columns: the parent execution's trace, with the parent's root span as the caller of the
 * child's own root span; without the parent's context, a new trace.
 */
export function childTraceContext(parentTrace: string | undefined): ExecutionTraceColumns {
  const parent = parseTraceparent(parentTrace);
  if (!parent) return { traceContext: formatTraceparent({ traceId: newTraceId(), spanId: newSpanId(), sampled: true }), traceCallerSpanId: null };
  return { traceContext: formatTraceparent({ ...parent, spanId: newSpanId() }), traceCallerSpanId: parent.spanId };
}

/** The context whose parent is the execution's root span (undefined for executions started before tracing). */
export function executionContext(exec: Pick<ExecutionRecord, 'traceContext'>): Context | undefined {
  const ids = parseTraceparent(exec.traceContext ?? undefined);
  return ids && contextWithParent(ids);
}

const ENDED_WITH_ERROR = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

type RootFields = Pick<ExecutionRecord, 'arn' | 'stateMachineArn' | 'name' | 'startDate' | 'traceContext' | 'traceCallerSpanId' | 'redriveCount' | 'redriveDate'>;

export class ExecutionSpans {
  private warnedIds = false;

  constructor(private readonly tracer: Tracer, private readonly log: Logger) {}

  /** Timers a transition consumed, as events on its span. */
  timersConsumed(span: Span, signals: readonly Signal[], doc: ExecutionDoc): void {
    if (!span.isRecording()) return;
    for (const s of signals) {
      if (s.kind === 'timerFired') span.addEvent('timer fired', { [A.TimerId]: s.timerId, purpose: doc.timers[s.timerId]?.purpose ?? 'poll' });
    }
  }

  /**
   * After a step committed: the timers it consumed, its states' spans (when tracing is enabled) and, if the
   * execution ended, the root span.
   */
  committed(exec: ExecutionRecord, tracing: boolean, signals: readonly Signal[], result: StepResult, now: number, program: Program): void {
    const ids = parseTraceparent(exec.traceContext ?? undefined);
    if (!ids) return;
    this.timersFired(exec, signals, exec.doc, now);
    const ended = result.doc.status !== 'RUNNING' && exec.status === 'RUNNING';
    if (tracing) this.stateSpans(exec, result, contextWithParent(ids), ended, now, program);
    if (ended) this.rootSpan(exec, result.doc, ids, now);
  }

  /**
   * A `baton.timer` span for each `timerFired` signal of a timer `before` (the document the step started from)
   * still holds; a stale one (cancelled meanwhile) did nothing and gets none.
   */
  timersFired(exec: Pick<ExecutionRecord, 'arn' | 'stateMachineArn' | 'traceContext'>, signals: readonly Signal[], before: ExecutionDoc, now: number): void {
    let parent: Context | undefined;
    for (const s of signals) {
      if (s.kind !== 'timerFired') continue;
      const timer = before.timers[s.timerId];
      if (timer?.scheduledAt === undefined) continue; // stale, or scheduled before the time was recorded
      parent ??= executionContext(exec);
      if (!parent) return;
      const firedAt = Math.max(timer.scheduledAt, s.firedAt ?? now);
      const state = before.runs[timer.runId]?.state;
      this.tracer.startSpan(SpanNames.Timer, {
        startTime: timer.scheduledAt,
        attributes: {
          [A.ExecutionArn]: exec.arn, [A.StateMachineArn]: exec.stateMachineArn, [A.TimerId]: s.timerId, [A.TimerPurpose]: timer.purpose,
          ...(state !== undefined ? { [A.StateName]: state } : {}),
          ...(timer.fireAt !== undefined ? { [A.TimerLateMs]: Math.max(0, firedAt - timer.fireAt) } : {}),
        },
      }, parent).end(firedAt);
    }
  }

  private stateSpans(exec: ExecutionRecord, result: StepResult, parent: Context, ended: boolean, now: number, program: Program): void {
    const open = new Map<string, { start: number; type: string | undefined }[]>();
    const enter = (name: string, start: number, type: string | undefined) => {
      let list = open.get(name);
      if (!list) open.set(name, (list = []));
      list.push({ start, type });
    };
    for (const run of Object.values(exec.doc.runs)) {
      if (run.silent || run.state === undefined || run.mapStart || run.phase.kind === 'ready' || run.phase.kind === 'done') continue;
      enter(run.state, Date.parse(run.enteredTime), program.machines.get(run.machine)?.states.get(run.state)?.kind);
    }
    let failure: { error?: string; cause?: string } | undefined;
    for (const e of result.events) {
      const name = stateName(e);
      if (e.type.endsWith('StateEntered') && name !== undefined) enter(name, e.timestamp, e.type.slice(0, -'StateEntered'.length));
      else if (e.type.endsWith('StateExited') && name !== undefined) {
        const state = open.get(name)?.shift();
        this.stateSpan(exec, name, e.type.slice(0, -'StateExited'.length), state?.start ?? e.timestamp, e.timestamp, parent, undefined);
      } else if (/(Failed|TimedOut|Aborted)$/.test(e.type)) failure = errorOf(e) ?? failure;
    }
    if (!ended) return;
    for (const [name, list] of open) {
      for (const s of list) this.stateSpan(exec, name, s.type, s.start, now, parent, failure ?? { error: result.doc.status });
    }
  }

  private stateSpan(exec: ExecutionRecord, name: string, type: string | undefined, start: number, end: number, parent: Context,
    failure: { error?: string; cause?: string } | undefined): void {
    const span = this.tracer.startSpan(name, {
      startTime: start,
      attributes: {
        [A.ExecutionArn]: exec.arn, [A.StateMachineArn]: exec.stateMachineArn, [A.StateName]: name,
        ...(type !== undefined ? { [A.StateType]: type } : {}),
      },
    }, parent);
    if (failure) {
      span.setStatus({ code: SpanStatusCode.ERROR, ...(failure.error !== undefined ? { message: failure.error } : {}) });
      if (failure.error !== undefined) span.setAttribute(A.Error, failure.error);
    }
    span.end(Math.max(start, end));
  }

  /** An Express execution (StartSyncExecution) ended: its root span (it has no transitions or state spans). */
  expressEnded(exec: RootFields, doc: ExecutionDoc, now: number): void {
    const ids = parseTraceparent(exec.traceContext ?? undefined);
    if (ids) this.rootSpan(exec, doc, ids, now);
  }

  private rootSpan(exec: RootFields, doc: ExecutionDoc, ids: TraceIds, now: number): void {
    const attributes = {
      [A.ExecutionArn]: exec.arn, [A.StateMachineArn]: exec.stateMachineArn, [A.ExecutionName]: exec.name,
      [A.ExecutionStatus]: doc.status,
    };
    // A redriven execution ends again: that run is a span of its own under the root (emitted at the first end).
    const redriven = exec.redriveCount > 0;
    const parent = redriven
      ? contextWithParent(ids)
      : exec.traceCallerSpanId !== null
        ? contextWithParent({ traceId: ids.traceId, spanId: exec.traceCallerSpanId, sampled: ids.sampled })
        : ROOT_CONTEXT;
    const start = () => this.tracer.startSpan(SpanNames.Execution, {
      startTime: redriven ? (exec.redriveDate ?? exec.startDate) : exec.startDate, attributes,
    }, parent);
    const span = redriven ? start() : withSpanIds(ids, start);
    if (!span.isRecording()) return span.end();
    if (!redriven && span.spanContext().spanId !== ids.spanId && !this.warnedIds) {
      this.warnedIds = true;
      this.log.warn("the tracer provider does not use Baton's id generator: execution root spans get other ids than their children's parent", {});
    }
    if (ENDED_WITH_ERROR.has(doc.status)) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: doc.error ?? doc.status });
      if (doc.error !== undefined) span.setAttribute(A.Error, doc.error);
    }
    span.end(Math.max(exec.startDate.getTime(), now));
  }
}

function stateName(e: HistoryEvent): string | undefined {
  const d = (e.stateEnteredEventDetails ?? e.stateExitedEventDetails) as { name?: unknown } | undefined;
  return typeof d?.name === 'string' ? d.name : undefined;
}

function errorOf(e: HistoryEvent): { error?: string; cause?: string } | undefined {
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object' && typeof (v as { error?: unknown }).error === 'string') {
      return { error: (v as { error: string }).error };
    }
  }
  return undefined;
}
