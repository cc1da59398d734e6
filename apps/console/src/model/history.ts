/**
 * The one event-history model every view of an execution shares (the graph, the state inspector, the events
 * list, the Map iteration picker). It reads history events in order, incrementally (a running execution only
 * adds events), and attributes each to a state and to the Map iterations it ran in.
 *
 * History events do not name their branch or iteration; they chain by `previousEventId` within one thread of
 * states. So an event inherits its state and iterations from the event before it in its chain, except:
 * StateEntered/Exited name their state, and EvaluationFailed names it in its details; MapIteration* events name
 * the Map and the iteration index; and the
 * Parallel and Map lifecycle events (Started, Succeeded, Failed) belong to the nearest enclosing Parallel or Map state still open.
 */
import type { HistoryEvent } from '../api/types';
import { mapAncestors, type Definition } from './definition';

export type NodeStatus = 'succeeded' | 'failed' | 'caught' | 'running' | 'waiting' | 'aborted' | 'notReached';

export interface ScopeEntry {
  map: string;
  index: number;
}

export interface StateVisit {
  name: string;
  scopeKey: string;
  status: NodeStatus;
  /** How many times the state was entered in this scope (loops); the fields describe the latest visit. */
  visits: number;
  retries: number;
  enteredEventId: number;
  enteredAt: number;
  exitedAt?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Variables the state assigned (Assign), name -> JSON text. */
  assigned?: Record<string, string>;
  eventIds: number[];
}

export interface EventRow {
  event: HistoryEvent;
  stateName?: string;
  scope: ScopeEntry[];
  elapsedMs: number;
  details?: Record<string, unknown>;
}

export interface Iteration {
  index: number;
  status: NodeStatus;
}

interface Ctx {
  state?: string;
  scope: ScopeEntry[];
}

const ROOT: Ctx = { scope: [] };
const FAILURE = /(Failed|TimedOut)$/;
const SCHEDULED = /^(Task|Activity|LambdaFunction)Scheduled$/;
const LIFECYCLE = /^(Parallel|Map)(State(Started|Succeeded|Failed|Aborted)|Run\w+)$/;

export const scopeKeyOf = (scope: readonly ScopeEntry[]): string => scope.map((s) => `${s.map}#${s.index}`).join('/');
const visitKey = (scopeKey: string, name: string): string => `${scopeKey}\u0000${name}`;

export class HistoryModel {
  readonly rows: EventRow[] = [];
  readonly visits = new Map<string, StateVisit>();
  /** Map iterations, by `scopeKey of the Map|map name`. */
  readonly iterations = new Map<string, Map<number, Iteration>>();
  private readonly ctx = new Map<number, Ctx>();
  private readonly open = new Set<string>();
  private startMs: number | undefined;
  version = 0;

  constructor(private readonly def: Definition) {}

  get lastEventId(): number {
    return this.rows.length === 0 ? 0 : this.rows[this.rows.length - 1]!.event.id;
  }

  visit(name: string, scope: readonly ScopeEntry[]): StateVisit | undefined {
    return this.visits.get(visitKey(scopeKeyOf(scope), name));
  }

  iterationsOf(map: string, scope: readonly ScopeEntry[]): Iteration[] {
    const m = this.iterations.get(`${scopeKeyOf(scope)}|${map}`);
    return m ? [...m.values()].sort((a, b) => a.index - b.index) : [];
  }

  add(events: readonly HistoryEvent[]): void {
    for (const e of events) {
      if (e.id <= this.lastEventId) continue;
      this.addOne(e);
    }
    this.version++;
  }

  private addOne(e: HistoryEvent): void {
    const ts = Date.parse(e.timestamp);
    this.startMs ??= ts;
    const details = detailsOf(e);
    const prev = (e.previousEventId ? this.ctx.get(e.previousEventId) : undefined) ?? ROOT;
    const ctx = this.attribute(e, details, prev);
    this.ctx.set(e.id, ctx);
    this.rows.push({ event: e, scope: ctx.scope, elapsedMs: ts - this.startMs, ...(ctx.state ? { stateName: ctx.state } : {}), ...(details ? { details } : {}) });
    this.apply(e, details, ctx, ts);
  }

  /** Which state and iterations an event belongs to (see the module comment). */
  private attribute(e: HistoryEvent, d: Record<string, unknown> | undefined, prev: Ctx): Ctx {
    if (e.type.startsWith('Execution')) return ROOT;
    const within = (name: string): ScopeEntry[] => {
      const maps = mapAncestors(this.def, name);
      return prev.scope.filter((s) => maps.includes(s.map));
    };
    if (/StateEntered$|StateExited$/.test(e.type) && typeof d?.name === 'string') return { state: d.name, scope: within(d.name) };
    // AWS chains EvaluationFailed to the event before the failing state was entered; its details name the state.
    if (e.type === 'EvaluationFailed' && typeof d?.state === 'string') return { state: d.state, scope: within(d.state) };
    if (e.type.startsWith('MapIteration') && typeof d?.name === 'string') {
      return { state: d.name, scope: [...within(d.name), { map: d.name, index: Number(d.index ?? 0) }] };
    }
    if (LIFECYCLE.test(e.type)) {
      const kind = e.type.startsWith('Parallel') ? 'Parallel' : 'Map';
      let s = prev.state;
      while (s !== undefined) {
        const def = this.def.states.get(s);
        if (def?.type === kind && this.isOpen(s, prev.scope)) break;
        s = def?.container;
      }
      return s === undefined ? prev : { state: s, scope: within(s) };
    }
    return prev;
  }

  private isOpen(name: string, scope: readonly ScopeEntry[]): boolean {
    const maps = mapAncestors(this.def, name);
    return this.open.has(visitKey(scopeKeyOf(scope.filter((s) => maps.includes(s.map))), name));
  }

  /** What the event says about its state's latest visit (and its Map iteration). */
  private apply(e: HistoryEvent, d: Record<string, unknown> | undefined, ctx: Ctx, ts: number): void {
    if (e.type.startsWith('Execution')) return this.executionEvent(e.type);
    if (e.type.startsWith('MapIteration')) return this.iterationEvent(e.type, ctx);
    if (ctx.state === undefined) return;
    const scopeKey = scopeKeyOf(ctx.scope);
    const key = visitKey(scopeKey, ctx.state);
    const def = this.def.states.get(ctx.state);
    let v = this.visits.get(key);
    if (e.type.endsWith('StateEntered')) {
      v = {
        name: ctx.state, scopeKey, status: def?.type === 'Wait' ? 'waiting' : 'running', visits: (v?.visits ?? 0) + 1, retries: 0,
        enteredEventId: e.id, enteredAt: ts, eventIds: [],
        ...(typeof d?.input === 'string' ? { input: d.input } : {}),
      };
      this.visits.set(key, v);
      this.open.add(key);
      if (e.type === 'FailStateEntered') {
        v.status = 'failed';
        this.open.delete(key);
      }
    }
    if (!v) return;
    v.eventIds.push(e.id);
    if (e.type.endsWith('StateExited')) {
      v.status = v.error !== undefined && v.status === 'failed' ? 'caught' : 'succeeded';
      v.exitedAt = ts;
      if (typeof d?.output === 'string') v.output = d.output;
      if (d?.assignedVariables && typeof d.assignedVariables === 'object') v.assigned = d.assignedVariables as Record<string, string>;
      this.open.delete(key);
    } else if (e.type.endsWith('StateAborted')) {
      v.status = 'aborted';
      this.open.delete(key);
    } else if (SCHEDULED.test(e.type)) {
      if (v.status === 'failed') v.retries++;
      v.status = def?.waitsForAnswer ? 'waiting' : 'running';
    } else if (FAILURE.test(e.type)) {
      v.status = 'failed';
      if (typeof d?.error === 'string') v.error = d.error;
      if (typeof d?.cause === 'string') v.cause = d.cause;
    }
  }

  private iterationEvent(type: string, ctx: Ctx): void {
    const last = ctx.scope[ctx.scope.length - 1];
    if (!last) return;
    const key = `${scopeKeyOf(ctx.scope.slice(0, -1))}|${last.map}`;
    const its = this.iterations.get(key) ?? this.iterations.set(key, new Map()).get(key)!;
    const status: NodeStatus = type.endsWith('Started') ? 'running' : type.endsWith('Succeeded') ? 'succeeded' : type.endsWith('Failed') ? 'failed' : 'aborted';
    its.set(last.index, { index: last.index, status });
  }

  /** An execution that ends while states are still in progress leaves them stopped. */
  private executionEvent(type: string): void {
    if (type === 'ExecutionStarted' || type === 'ExecutionSucceeded') return;
    for (const key of this.open) {
      const v = this.visits.get(key);
      if (v && v.status !== 'failed') v.status = 'aborted';
    }
    this.open.clear();
    for (const its of this.iterations.values()) for (const it of its.values()) if (it.status === 'running') it.status = 'aborted';
  }
}

/** The details object of an event (`stateEnteredEventDetails`, `taskFailedEventDetails`, ...). */
export function detailsOf(e: HistoryEvent): Record<string, unknown> | undefined {
  for (const [k, v] of Object.entries(e)) if (k.endsWith('EventDetails') && v && typeof v === 'object') return v as Record<string, unknown>;
  return undefined;
}
