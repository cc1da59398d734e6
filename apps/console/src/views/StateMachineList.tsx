/** All state machines: name, type, created; each links to its page. */
import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { StateMachineSummary } from '../api/types';
import { formatDate } from '../components/format';
import { Link, machinePath } from '../router';

export function StateMachineList() {
  const [machines, setMachines] = useState<StateMachineSummary[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [filter, setFilter] = useState('');

  useEffect(() => {
    document.title = 'State machines · Baton';
    let live = true;
    (async () => {
      const all: StateMachineSummary[] = [];
      let token: string | undefined;
      do {
        const page = await api.listStateMachines(token);
        all.push(...page.stateMachines);
        token = page.nextToken;
      } while (token && all.length < 20_000);
      if (live) setMachines(all.sort((a, b) => a.name.localeCompare(b.name)));
    })().catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);

  const shown = machines?.filter((m) => m.name.toLowerCase().includes(filter.trim().toLowerCase()));
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>State machines</h1>
          <p className="muted">Open one to see its definition, its executions, and to start a new one.</p>
        </div>
      </div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {machines && machines.length === 0 && <EmptyState />}
      {machines && machines.length > 0 && (
        <section className="card" aria-labelledby="machines-title">
          <div className="card-head">
            <h2 id="machines-title">{machines.length} state machine{machines.length === 1 ? '' : 's'}</h2>
            <input type="search" className="search-input" placeholder="Filter by name" aria-label="Filter state machines by name" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </div>
          <table className="table">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Created</th></tr>
            </thead>
            <tbody>
              {shown!.map((m) => (
                <tr key={m.stateMachineArn}>
                  <td><Link to={machinePath(m.stateMachineArn)} className="strong-link">{m.name}</Link></td>
                  <td><span className="type-chip">{m.type === 'EXPRESS' ? 'Express' : 'Standard'}</span></td>
                  <td className="nowrap">{formatDate(m.creationDate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {!machines && !error && <p className="muted">Loading…</p>}
    </div>
  );
}

function EmptyState() {
  return (
    <section className="card empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No state machines yet</h2>
      <p>Create one with the AWS CLI or an AWS SDK pointed at this server, for example:</p>
      <pre className="snippet">{`aws stepfunctions --endpoint-url ${location.origin} --region us-east-1 --no-sign-request \\
  create-state-machine --name hello --role-arn arn:aws:iam::123456789012:role/baton \\
  --definition '{"StartAt":"Hi","States":{"Hi":{"Type":"Pass","End":true}}}'`}</pre>
    </section>
  );
}
