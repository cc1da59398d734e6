/**
 * The events list as AWS's Events tab shows it: ID, type, step (state and Map iteration), time since the start,
 * date and time; a row opens to its input, output, error and cause. Virtualised (@tanstack/react-virtual): only
 * the rows on screen exist in the page, so 25,000 events cost what 30 do. Keyboard: Tab to a row's toggle, Enter
 * or Space opens it; the list is a table to screen readers with its true row count.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, useState } from 'react';
import { formatDate, formatDuration } from '../components/format';
import { JsonView } from '../components/JsonView';
import type { EventRow, HistoryModel } from '../model/history';

const FAILURE = /(Failed|TimedOut|Aborted)$/;

export function EventsTable({ model, version, onlyState, onClearFilter, loading }: {
  model: HistoryModel; version: number; onlyState?: string | undefined; onClearFilter: () => void; loading?: { loaded: number; total: number } | undefined;
}) {
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const [typeFilter, setTypeFilter] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const rows = useMemo(() => {
    const f = typeFilter.trim().toLowerCase();
    if (!onlyState && !f) return model.rows;
    return model.rows.filter((r) => (!onlyState || r.stateName === onlyState) && (!f || r.event.type.toLowerCase().includes(f) || r.stateName?.toLowerCase().includes(f)));
  }, [model, version, model.rows.length, onlyState, typeFilter]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 37,
    overscan: 12,
    getItemKey: (i) => rows[i]!.event.id,
  });
  const toggle = (id: number) => {
    const next = new Set(open);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setOpen(next);
  };

  return (
    <section className="card" aria-labelledby="events-title">
      <div className="card-head">
        <h2 id="events-title">Events <span className="count" data-testid="event-count">{model.rows.length.toLocaleString()}</span></h2>
        {loading && <span className="muted small" role="status">Loading events: {loading.loaded.toLocaleString()} of {loading.total.toLocaleString()}…</span>}
        <div className="actions">
          {onlyState && (
            <span className="filter-chip">State: {onlyState} <button type="button" className="icon-button small" aria-label="Show all events" onClick={onClearFilter}>×</button></span>
          )}
          <input type="search" className="search-input" placeholder="Filter by type or state" aria-label="Filter events by type or state" value={typeFilter} onChange={(e) => setTypeFilter(e.target.value)} />
        </div>
      </div>
      <div className="events" role="table" aria-label="History events" aria-rowcount={rows.length + 1}>
        <div className="events-row events-head" role="row" aria-rowindex={1}>
          <span role="columnheader" className="c-id">ID</span>
          <span role="columnheader" className="c-type">Type</span>
          <span role="columnheader" className="c-step">Step</span>
          <span role="columnheader" className="c-elapsed">Started after</span>
          <span role="columnheader" className="c-time">Date and time</span>
        </div>
        <div className="events-body" ref={scroller} role="rowgroup" style={{ height: Math.min(virtualizer.getTotalSize() + 2, 640) }}>
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const row = rows[v.index]!;
              return (
                <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="events-item" style={{ transform: `translateY(${v.start}px)` }}>
                  <EventLine row={row} rowIndex={v.index + 2} expanded={open.has(row.event.id)} onToggle={toggle} />
                </div>
              );
            })}
          </div>
          {rows.length === 0 && <p className="muted center pad">No events{onlyState || typeFilter ? ' match the filter' : ''}.</p>}
        </div>
      </div>
    </section>
  );
}

const EventLine = memo(function EventLine({ row, rowIndex, expanded, onToggle }: { row: EventRow; rowIndex: number; expanded: boolean; onToggle: (id: number) => void }) {
  const e = row.event;
  const failed = FAILURE.test(e.type);
  const step = row.stateName ?? '';
  const iteration = row.scope.length > 0 ? row.scope.map((s) => `${s.map} #${s.index}`).join(' › ') : '';
  return (
    <div role="row" aria-rowindex={rowIndex} className={`events-line${failed ? ' failed' : ''}${expanded ? ' open' : ''}`} data-event-id={e.id}>
      <div className="events-row">
        <span role="cell" className="c-id">
          <button type="button" className="row-toggle" aria-expanded={expanded} aria-label={`Event ${e.id}, ${e.type}${step ? `, ${step}` : ''}: ${expanded ? 'hide' : 'show'} details`} onClick={() => onToggle(e.id)}>
            <span className="chevron" aria-hidden="true">{expanded ? '▾' : '▸'}</span> {e.id}
          </button>
        </span>
        <span role="cell" className="c-type">{e.type}</span>
        <span role="cell" className="c-step" title={iteration ? `${step} in ${iteration}` : step}>
          {step}{iteration && <span className="iteration-tag">{iteration}</span>}
        </span>
        <span role="cell" className="c-elapsed">{formatDuration(row.elapsedMs)}</span>
        <span role="cell" className="c-time">{formatDate(e.timestamp)}</span>
      </div>
      {expanded && <EventDetails row={row} />}
    </div>
  );
});

function EventDetails({ row }: { row: EventRow }) {
  const d = row.details ?? {};
  const { input, output, error, cause, parameters, ...rest } = d as Record<string, unknown>;
  const other = Object.fromEntries(Object.entries(rest).filter(([k]) => !k.endsWith('Details')));
  const hasAny = [input, output, error, cause, parameters].some((v) => v !== undefined) || Object.keys(other).length > 0;
  return (
    <div className="event-details">
      {error !== undefined && <p className="error-line"><strong>Error</strong> <code>{String(error)}</code></p>}
      {cause !== undefined && <JsonView value={cause} label="Cause" maxHeight={240} />}
      {input !== undefined && <JsonView value={input} label="Input" maxHeight={280} />}
      {parameters !== undefined && <JsonView value={parameters} label="Parameters" maxHeight={280} />}
      {output !== undefined && <JsonView value={output} label="Output" maxHeight={280} />}
      {Object.keys(other).length > 0 && <JsonView value={other} label="Details" maxHeight={200} />}
      {!hasAny && <p className="muted small">This event has no details.</p>}
    </div>
  );
}
