/** One state machine: its executions (status filters, search, paging), its definition as a graph, and Start. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from '../api/client';
import type { StateMachine } from '../api/types';
import { Dialog } from '../components/Dialog';
import { formatDate } from '../components/format';
import { JsonEditor, parseJson } from '../components/JsonEditor';
import { JsonView } from '../components/JsonView';
import { StateGraph } from '../graph/StateGraph';
import { parseDefinition } from '../model/definition';
import { executionPath, navigate } from '../router';
import { ExecutionsTable } from './ExecutionsTable';

export function StateMachinePage({ arn }: { arn: string }) {
  const [sm, setSm] = useState<StateMachine | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    api.describeStateMachine(arn).then((m) => {
      setSm(m);
      document.title = `${m.name} · Baton`;
    }, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [arn]);
  const definition = useMemo(() => {
    try {
      return sm ? parseDefinition(sm.definition) : undefined;
    } catch {
      return undefined;
    }
  }, [sm]);

  if (error) return <div className="page"><p className="error-text" role="alert">{error}</p></div>;
  if (!sm) return <div className="page"><p className="muted">Loading…</p></div>;
  return (
    <div className="page">
      <nav className="crumbs" aria-label="Breadcrumb"><a href="/console/" onClick={(e) => { e.preventDefault(); navigate('/console/'); }}>State machines</a> <span aria-hidden="true">/</span> <span aria-current="page">{sm.name}</span></nav>
      <div className="page-head">
        <div>
          <h1>{sm.name} <span className="type-chip">{sm.type === 'EXPRESS' ? 'Express' : 'Standard'}</span></h1>
          <p className="muted mono small">{sm.stateMachineArn}</p>
          {definition?.comment && <p>{definition.comment}</p>}
        </div>
        <div className="actions">
          <button type="button" className="primary" onClick={() => setStarting(true)}>Start execution</button>
        </div>
      </div>
      <ExecutionsTable stateMachineArn={sm.stateMachineArn} />
      <section className="card" aria-labelledby="definition-title">
        <div className="card-head"><h2 id="definition-title">Definition</h2><span className="muted small">Created {formatDate(sm.creationDate)}</span></div>
        <div className="split">
          {definition ? <StateGraph definition={definition} label={`Graph of ${sm.name}`} /> : <p className="error-text">The definition could not be read.</p>}
          <JsonView value={sm.definition} label="Definition (ASL)" maxHeight={560} />
        </div>
      </section>
      {starting && <StartDialog sm={sm} onClose={() => setStarting(false)} />}
    </div>
  );
}

function StartDialog({ sm, onClose }: { sm: StateMachine; onClose: () => void }) {
  const [name, setName] = useState('');
  const [input, setInput] = useState('{\n  \n}');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const parsed = parseJson(input);
  const start = () => {
    if (!parsed.ok) return;
    setBusy(true);
    setProblem(undefined);
    api.startExecution(sm.stateMachineArn, parsed.value, name.trim() || undefined).then(
      (r) => navigate(executionPath(r.executionArn)),
      (e: unknown) => {
        setProblem(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };
  return (
    <Dialog title={`Start an execution of ${sm.name}`} onClose={onClose} initialFocus={nameRef}>
      <form onSubmit={(e) => { e.preventDefault(); start(); }}>
        <div className="field">
          <label htmlFor="execution-name">Name <span className="muted">(optional: a unique one is made up)</span></label>
          <input id="execution-name" ref={nameRef} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="e.g. order-A-17" />
        </div>
        <JsonEditor label="Input" value={input} onChange={setInput} rows={10} />
        {problem && <p className="error-text" role="alert">{problem}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={!parsed.ok || busy}>{busy ? 'Starting…' : 'Start execution'}</button>
        </div>
      </form>
    </Dialog>
  );
}
