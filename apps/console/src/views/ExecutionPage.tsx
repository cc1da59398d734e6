/**
 * One execution: its status and actions, the tasks waiting for an answer, the definition as a graph coloured by
 * what happened (with a Map iteration picker), the state inspector, its input and output, and its events. All
 * views read one HistoryModel; a running execution updates in place.
 */
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import type { Execution } from '../api/types';
import { Dialog } from '../components/Dialog';
import { durationBetween, formatDate, formatDuration } from '../components/format';
import { JsonView } from '../components/JsonView';
import { Legend, NodeBadge, StatusBadge, STATUS_LABEL } from '../components/status';
import { StateGraph } from '../graph/StateGraph';
import { mapAncestors } from '../model/definition';
import type { Iteration, ScopeEntry } from '../model/history';
import { BASE, Link, machinePath } from '../router';
import { EventsTable } from './EventsTable';
import { Inspector } from './Inspector';
import { useExecution, type ExecutionData } from './useExecution';
import { WaitingTasks } from './WaitingTasks';

export function ExecutionPage({ arn }: { arn: string }) {
  const { data, error, version, refresh } = useExecution(arn);
  const [selected, setSelected] = useState<string | undefined>();
  const [onlyState, setOnlyState] = useState<string | undefined>();
  const [chosen, setChosen] = useState<Record<string, number>>({});

  if (error && !data) return <div className="page"><p className="error-text" role="alert">{error}</p></div>;
  if (!data) return <div className="page"><p className="muted" role="status">Loading the execution…</p></div>;
  const { execution, model } = data;
  return (
    <div className="page" data-load-ms={data.loadMs} data-first-ms={data.firstMs}>
      <nav className="crumbs" aria-label="Breadcrumb">
        <Link to={`${BASE}/`}>State machines</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={machinePath(execution.stateMachineArn)}>{data.definition && stateMachineName(execution.stateMachineArn)}</Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{execution.name}</span>
      </nav>
      <Header data={data} onChanged={refresh} />
      {error && <p className="error-text" role="alert">Updating failed: {error}</p>}
      <WaitingTasks executionArn={execution.executionArn} tasks={data.waiting} onAnswered={refresh} />
      <GraphAndInspector data={data} version={version} selected={selected} onSelect={setSelected} chosen={chosen} onChoose={setChosen}
        onShowEvents={(s) => { setOnlyState(s); document.getElementById('events-title')?.scrollIntoView({ behavior: 'smooth' }); }} />
      <section className="card" aria-labelledby="io-title">
        <div className="card-head"><h2 id="io-title">Input and output</h2></div>
        <div className="split even">
          <JsonView value={execution.input ?? null} label="Execution input" maxHeight={320} />
          {execution.status === 'SUCCEEDED'
            ? <JsonView value={execution.output ?? null} label="Execution output" maxHeight={320} />
            : <div className="muted pad">{execution.status === 'RUNNING' ? 'No output yet: the execution is running.' : 'No output: the execution did not succeed.'}</div>}
        </div>
      </section>
      <EventsTable model={model} version={version} onlyState={onlyState} onClearFilter={() => setOnlyState(undefined)} loading={data.loadMs < 0 ? { loaded: model.rows.length, total: data.total } : undefined} />
    </div>
  );
}

function Header({ data, onChanged }: { data: ExecutionData; onChanged: () => void }) {
  const e = data.execution;
  const [stopping, setStopping] = useState(false);
  const [redriving, setRedriving] = useState(false);
  const [, tick] = useState(0);
  useEffect(() => {
    if (e.status !== 'RUNNING') return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [e.status]);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{e.name} <StatusBadge status={e.status} /></h1>
          <p className="muted mono small">{e.executionArn}</p>
        </div>
        <div className="actions" aria-label="Execution actions" role="group">
          {e.redriveStatus === 'REDRIVABLE' && <button type="button" onClick={() => setRedriving(true)}>Redrive</button>}
          {e.status === 'RUNNING' && <button type="button" className="danger" onClick={() => setStopping(true)}>Stop execution</button>}
        </div>
      </div>
      <dl className="summary">
        <div><dt>Started</dt><dd>{formatDate(e.startDate)}</dd></div>
        <div><dt>Ended</dt><dd>{e.stopDate ? formatDate(e.stopDate) : 'still running'}</dd></div>
        <div><dt>{e.stopDate ? 'Duration' : 'Running for'}</dt><dd>{formatDuration(durationBetween(e.startDate, e.stopDate))}</dd></div>
        <div><dt>Events</dt><dd>{data.model.rows.length.toLocaleString()}</dd></div>
        {(e.redriveCount ?? 0) > 0 && <div><dt>Redriven</dt><dd>{e.redriveCount} time{e.redriveCount === 1 ? '' : 's'}, last {formatDate(e.redriveDate!)}</dd></div>}
      </dl>
      {(e.error !== undefined || e.cause !== undefined) && <FailureBanner execution={e} />}
      {e.status !== 'RUNNING' && e.status !== 'SUCCEEDED' && e.redriveStatus === 'NOT_REDRIVABLE' && e.redriveStatusReason && (
        <p className="muted small" aria-label="Why it cannot be redriven">Cannot be redriven: {e.redriveStatusReason}</p>
      )}
      {redriving && <RedriveDialog arn={e.executionArn} onClose={() => setRedriving(false)} onDone={() => { setRedriving(false); onChanged(); }} />}
      {stopping && <StopDialog arn={e.executionArn} onClose={() => setStopping(false)} onDone={() => { setStopping(false); onChanged(); }} />}
    </>
  );
}

function FailureBanner({ execution }: { execution: Execution }) {
  return (
    <div className="callout danger" role="note" aria-label="Why the execution ended">
      <strong>{execution.status === 'ABORTED' ? 'Stopped' : execution.status === 'TIMED_OUT' ? 'Timed out' : 'Failed'}</strong>
      {execution.error && <p className="mono">{execution.error}</p>}
      {execution.cause && <p className="cause">{execution.cause}</p>}
    </div>
  );
}

function StopDialog({ arn, onClose, onDone }: { arn: string; onClose: () => void; onDone: () => void }) {
  const [error, setError] = useState('');
  const [cause, setCause] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <Dialog title="Stop this execution?" onClose={onClose}>
      <form onSubmit={(ev) => { ev.preventDefault(); api.stop(arn, error.trim(), cause).then(onDone, (e: unknown) => setProblem(String(e instanceof Error ? e.message : e))); }}>
        <p>The execution ends as ABORTED; the tasks it waits for are cancelled. This cannot be undone.</p>
        <div className="field"><label htmlFor="stop-error">Error <span className="muted">(optional)</span></label><input id="stop-error" value={error} maxLength={256} onChange={(e) => setError(e.target.value)} /></div>
        <div className="field"><label htmlFor="stop-cause">Cause <span className="muted">(optional)</span></label><textarea id="stop-cause" rows={3} value={cause} onChange={(e) => setCause(e.target.value)} /></div>
        {problem && <p className="error-text" role="alert">{problem}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="danger">Stop execution</button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * RedriveExecution: the execution continues from its unsuccessful states. One client token per dialog, so a
 * double submit (or a retried request) redrives once.
 */
function RedriveDialog({ arn, onClose, onDone }: { arn: string; onClose: () => void; onDone: () => void }) {
  // getRandomValues, unlike randomUUID, exists outside secure contexts too (a console served over plain http).
  const [token] = useState(() => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(''));
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="Redrive this execution?" onClose={onClose}>
      <form onSubmit={(ev) => {
        ev.preventDefault();
        setBusy(true);
        api.redrive(arn, token).then(onDone, (e: unknown) => { setBusy(false); setProblem(String(e instanceof Error ? e.message : e)); });
      }}>
        <p>
          The execution continues from the states that failed or were stopped, with the same input and definition. States,
          Parallel branches and Map iterations that succeeded are not run again; retry counters start from zero.
        </p>
        {problem && <p className="error-text" role="alert">{problem}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy}>Redrive execution</button>
        </div>
      </form>
    </Dialog>
  );
}

function GraphAndInspector({ data, version, selected, onSelect, chosen, onChoose, onShowEvents }: {
  data: ExecutionData; version: number; selected: string | undefined; onSelect: (s: string) => void;
  chosen: Record<string, number>; onChoose: (c: Record<string, number>) => void; onShowEvents: (s: string) => void;
}) {
  const { definition, model } = data;
  const maps = useMemo(() => [...definition.states.values()].filter((s) => s.type === 'Map').map((s) => s.name), [definition]);
  /** The iterations shown: the one picked, else the first that failed, else one still running, else the first. */
  const scopeFor = (state: string): ScopeEntry[] => {
    const scope: ScopeEntry[] = [];
    for (const m of mapAncestors(definition, state)) scope.push({ map: m, index: chosen[m] ?? defaultIteration(model.iterationsOf(m, scope)) });
    return scope;
  };
  const statusOf = (state: string) => model.visit(state, scopeFor(state))?.status ?? 'notReached';
  const noteOf = (state: string) => {
    if (definition.states.get(state)?.type !== 'Map') return undefined;
    const its = model.iterationsOf(state, scopeFor(state));
    return its.length > 0 ? `showing iteration #${chosen[state] ?? defaultIteration(its)} of ${its.length}` : undefined;
  };
  void version;
  return (
    <div className="graph-row">
      <section className="card graph-card" aria-labelledby="graph-title">
        <div className="card-head">
          <h2 id="graph-title">Graph</h2>
          <Legend />
        </div>
        <StateGraph definition={definition} statusOf={statusOf} noteOf={noteOf} selected={selected} onSelect={onSelect} label={`Graph of ${data.execution.name}`} focus={focusState(data, statusOf)} />
        {maps.map((m) => {
          const its = model.iterationsOf(m, scopeFor(m));
          if (its.length === 0) return null;
          const current = chosen[m] ?? defaultIteration(its);
          return (
            <div className="iteration-picker" key={m}>
              <label htmlFor={`iteration-${m}`}>Map <strong>{m}</strong>: iteration</label>
              <select id={`iteration-${m}`} value={current} onChange={(e) => onChoose({ ...chosen, [m]: Number(e.target.value) })}>
                {its.map((it) => <option key={it.index} value={it.index}>#{it.index} · {STATUS_LABEL[it.status]}</option>)}
              </select>
              <span className="muted small">{summary(its)}</span>
              {its.find((it) => it.index === current) && <NodeBadge status={its.find((it) => it.index === current)!.status} />}
            </div>
          );
        })}
      </section>
      <Inspector definition={definition} model={model} state={selected} scope={selected ? scopeFor(selected).filter((s) => s.map !== selected) : []} onShowEvents={onShowEvents} />
    </div>
  );
}

/** Where the eye should go: a failed state, else one in progress, else nothing (the top). */
function focusState(data: ExecutionData, statusOf: (s: string) => string): string | undefined {
  const names = [...data.definition.states.keys()];
  return names.find((n) => statusOf(n) === 'failed') ?? names.find((n) => statusOf(n) === 'waiting' || statusOf(n) === 'running');
}

function defaultIteration(its: Iteration[]): number {
  return (its.find((i) => i.status === 'failed') ?? its.find((i) => i.status === 'running') ?? its[0])?.index ?? 0;
}

function summary(its: Iteration[]): string {
  const n = (s: string) => its.filter((i) => i.status === s).length;
  const parts = [`${its.length} iteration${its.length === 1 ? '' : 's'}`];
  if (n('succeeded')) parts.push(`${n('succeeded')} succeeded`);
  if (n('failed')) parts.push(`${n('failed')} failed`);
  if (n('running')) parts.push(`${n('running')} running`);
  if (n('aborted')) parts.push(`${n('aborted')} stopped`);
  return parts.join(' · ');
}

function stateMachineName(arn: string): string {
  return arn.split(':').pop() ?? arn;
}
