/**
 * A state machine's executions, newest first: status filters, a search (name, error, a value in the input,
 * time range) and paging by cursor through any number of them. The filters live in the URL, so a search is a
 * link. Searches by name, error or input examine a bounded number of executions per request (the server says
 * how many); "Search further" continues from there.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api/client';
import type { ExecutionStatus, SearchPage } from '../api/types';
import { durationBetween, formatDate, formatDuration } from '../components/format';
import { EXECUTION_LABEL, StatusBadge } from '../components/status';
import { executionPath, Link, navigate, useLocation } from '../router';

const STATUSES: (ExecutionStatus | '')[] = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];
const SEARCH_FIELDS = ['name', 'error', 'input', 'startedAfter', 'startedBefore'] as const;
const PAGE_SIZE = 50;

export function ExecutionsTable({ stateMachineArn }: { stateMachineArn: string }) {
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const filters = Object.fromEntries(SEARCH_FIELDS.map((f) => [f, params.get(f) ?? ''])) as Record<(typeof SEARCH_FIELDS)[number], string>;
  const searching = filters.name !== '' || filters.error !== '' || filters.input !== '';
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<SearchPage | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [loading, setLoading] = useState(false);
  const cursor = cursors[cursors.length - 1];
  const key = `${search}`;

  useEffect(() => {
    setCursors([undefined]);
  }, [key]);
  useEffect(() => {
    let live = true;
    setLoading(true);
    api.searchExecutions(stateMachineArn, {
      status: status || undefined, name: filters.name, error: filters.error, input: filters.input,
      startedAfter: isoOf(filters.startedAfter), startedBefore: isoOf(filters.startedBefore), cursor, maxResults: PAGE_SIZE,
    }).then((p) => {
      if (!live) return;
      setPage(p);
      setError(undefined);
      setLoading(false);
    }, (e: unknown) => {
      if (!live) return;
      setError(e instanceof Error ? e.message : String(e));
      setLoading(false);
    });
    return () => {
      live = false;
    };
  }, [stateMachineArn, key, cursor]);

  const setParams = (next: Record<string, string>) => {
    const p = new URLSearchParams(search);
    for (const [k, v] of Object.entries(next)) if (v) p.set(k, v); else p.delete(k);
    const q = p.toString();
    navigate(`${location.pathname}${q ? `?${q}` : ''}`, true);
  };

  return (
    <section className="card" aria-labelledby="executions-title">
      <div className="card-head">
        <h2 id="executions-title">Executions</h2>
        <div className="segmented" role="group" aria-label="Filter by status">
          {STATUSES.map((s) => (
            <button key={s || 'all'} type="button" aria-pressed={status === s} onClick={() => setParams({ status: s })}>
              {s ? EXECUTION_LABEL[s] : 'All'}
            </button>
          ))}
        </div>
      </div>
      <SearchForm filters={filters} onSearch={(f) => setParams(f)} />
      {error && <p className="error-text" role="alert">{error}</p>}
      <div className="table-wrap" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Error</th></tr>
          </thead>
          <tbody>
            {page?.executions.map((e) => (
              <tr key={e.executionArn}>
                <td><Link to={executionPath(e.executionArn)} className="strong-link">{e.name}</Link></td>
                <td><StatusBadge status={e.status} /></td>
                <td className="nowrap">{formatDate(e.startDate)}</td>
                <td className="nowrap">{formatDuration(durationBetween(e.startDate, e.stopDate))}</td>
                <td className="mono small">{e.error ?? ''}</td>
              </tr>
            ))}
            {page && page.executions.length === 0 && (
              <tr><td colSpan={5} className="muted center">
                {searching && page.nextCursor ? `No match among the ${page.scanned.toLocaleString()} executions examined so far.` : 'No executions.'}
              </td></tr>
            )}
          </tbody>
        </table>
      </div>
      <div className="pager">
        <span className="muted small" role="status">
          {page && `Page ${cursors.length}${searching ? ` · examined ${page.scanned.toLocaleString()} execution${page.scanned === 1 ? '' : 's'} for this page` : ''}`}
        </span>
        <div className="actions">
          <button type="button" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>
          <button type="button" disabled={!page?.nextCursor} onClick={() => setCursors([...cursors, page!.nextCursor])}>
            {searching && page && page.executions.length < PAGE_SIZE ? 'Search further' : 'Next'}
          </button>
        </div>
      </div>
    </section>
  );
}

function SearchForm({ filters, onSearch }: { filters: Record<(typeof SEARCH_FIELDS)[number], string>; onSearch: (f: Record<string, string>) => void }) {
  const [f, setF] = useState(filters);
  useEffect(() => {
    setF(filters);
  }, [JSON.stringify(filters)]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(f);
  };
  const field = (k: (typeof SEARCH_FIELDS)[number], label: string, props: Record<string, string>) => (
    <div className="field compact">
      <label htmlFor={`search-${k}`}>{label}</label>
      <input id={`search-${k}`} value={f[k]} onChange={(e) => setF({ ...f, [k]: e.target.value })} {...props} />
    </div>
  );
  return (
    <form className="search-form" onSubmit={submit} role="search" aria-label="Search executions">
      {field('name', 'Name contains', { placeholder: 'order-' })}
      {field('error', 'Error', { placeholder: 'States.TaskFailed' })}
      {field('input', 'Input', { placeholder: 'orderId = A-17' })}
      {field('startedAfter', 'Started after', { type: 'datetime-local', step: '1' })}
      {field('startedBefore', 'Started before', { type: 'datetime-local', step: '1' })}
      <div className="search-buttons">
        <button type="submit" className="primary">Search</button>
        <button type="button" onClick={() => onSearch(Object.fromEntries(SEARCH_FIELDS.map((k) => [k, ''])))}>Clear</button>
      </div>
    </form>
  );
}

/** datetime-local values are local times without a zone: sent as the instant they name. */
function isoOf(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
