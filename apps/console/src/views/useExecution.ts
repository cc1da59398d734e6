/**
 * Loads an execution for its page (description, the definition it runs, its whole history, its waiting tasks)
 * and keeps it live: while it runs, it polls every second for new events only (by event id) and for its status.
 * A long history loads in pages of 1,000 events, several at a time, once the first page told how many there are.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Execution, HistoryEvent, WaitingTask } from '../api/types';
import { parseDefinition, type Definition } from '../model/definition';
import { HistoryModel } from '../model/history';

const PAGE = 1000;
const PARALLEL_PAGES = 4;
const POLL_MS = 1000;

export interface ExecutionData {
  execution: Execution;
  definition: Definition;
  definitionText: string;
  model: HistoryModel;
  waiting: WaitingTask[];
  /** Milliseconds until the whole history had loaded (-1 while loading) and until the page showed (tests read both). */
  loadMs: number;
  firstMs: number;
  /** Events the history had when the page opened (the loading progress). */
  total: number;
}

export function useExecution(arn: string): { data?: ExecutionData; error?: string; version: number; refresh: () => void } {
  const [data, setData] = useState<ExecutionData | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [version, setVersion] = useState(0);
  const busy = useRef(false);
  const dataRef = useRef<ExecutionData | undefined>(undefined);

  useEffect(() => {
    let live = true;
    const started = performance.now();
    (async () => {
      const [execution, def, first] = await Promise.all([api.describeExecution(arn), api.definition(arn), api.events(arn, 1, PAGE)]);
      const definition = parseDefinition(def.definition);
      const model = new HistoryModel(definition);
      model.add(first.events);
      const waiting = execution.status === 'RUNNING' ? (await api.waitingTasks(arn)).tasks : [];
      if (!live) return;
      // The page is usable with the first page of events; the rest arrives behind it, in order.
      const total = first.lastEventId;
      let d: ExecutionData = { execution, definition, definitionText: def.definition, model, waiting, loadMs: -1, firstMs: Math.round(performance.now() - started), total };
      dataRef.current = d;
      setData(d);
      document.title = `${execution.name} · Baton`;
      await loadRest(arn, model, total, () => live && setVersion((v) => v + 1));
      await follow(arn, model);
      if (!live) return;
      d = { ...d, loadMs: Math.round(performance.now() - started), total: model.lastEventId };
      dataRef.current = d;
      setData(d);
      setVersion((v) => v + 1);
    })().catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, [arn]);

  const refresh = useCallback(async () => {
    const d = dataRef.current;
    if (!d || busy.current) return;
    busy.current = true;
    try {
      const execution = await api.describeExecution(arn);
      const before = d.model.version;
      await follow(arn, d.model);
      const waiting = execution.status === 'RUNNING' ? (await api.waitingTasks(arn)).tasks : [];
      const changed = before !== d.model.version || execution.status !== d.execution.status ||
        execution.redriveCount !== d.execution.redriveCount ||
        JSON.stringify(waiting) !== JSON.stringify(d.waiting);
      if (changed) {
        const next = { ...d, execution, waiting };
        dataRef.current = next;
        setData(next);
        setVersion((v) => v + 1);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      busy.current = false;
    }
  }, [arn]);

  const running = data?.execution.status === 'RUNNING';
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, POLL_MS);
    return () => clearInterval(t);
  }, [running, refresh]);

  return { ...(data ? { data } : {}), ...(error ? { error } : {}), version, refresh: () => void refresh() };
}

/** The pages after the first, several at a time, added in order as soon as each one's predecessors are in. */
async function loadRest(arn: string, model: HistoryModel, lastEventId: number, progress: () => void): Promise<void> {
  const starts: number[] = [];
  for (let from = model.lastEventId + 1; from <= lastEventId; from += PAGE) starts.push(from);
  const pages: (HistoryEvent[] | undefined)[] = new Array(starts.length);
  let next = 0;
  let added = 0;
  const worker = async () => {
    while (next < starts.length) {
      const i = next++;
      pages[i] = (await api.events(arn, starts[i]!, PAGE)).events;
      let grew = false;
      while (added < pages.length && pages[added]) {
        model.add(pages[added]!);
        pages[added++] = [];
        grew = true;
      }
      if (grew) progress();
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PAGES, starts.length) }, worker));
}

/** Events newer than the model has, until none are left. */
async function follow(arn: string, model: HistoryModel): Promise<void> {
  for (;;) {
    const page = await api.events(arn, model.lastEventId + 1, PAGE);
    if (page.events.length === 0) return;
    model.add(page.events);
    if (model.lastEventId >= page.lastEventId) return;
  }
}
