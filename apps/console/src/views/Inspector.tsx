/** The selected state: what happened to it, its input, its output, the variables it assigned, its error. */
import type { Definition } from '../model/definition';
import type { HistoryModel, ScopeEntry } from '../model/history';
import { durationBetween, formatDate, formatDuration } from '../components/format';
import { JsonView } from '../components/JsonView';
import { NodeBadge, STATUS_LABEL } from '../components/status';
import { typeLabel } from '../graph/layout';

export function Inspector({ definition, model, state, scope, onShowEvents }: {
  definition: Definition; model: HistoryModel; state: string | undefined; scope: ScopeEntry[]; onShowEvents: (state: string) => void;
}) {
  if (!state) {
    return (
      <aside className="card inspector" aria-label="State inspector">
        <h2>State inspector</h2>
        <p className="muted">Select a state in the graph (click it, or Tab to it and press Enter) to see its input, output and variables.</p>
      </aside>
    );
  }
  const def = definition.states.get(state);
  const visit = model.visit(state, scope);
  const where = scope.map((s) => `${s.map} iteration #${s.index}`).join(' › ');
  const iterations = def?.type === 'Map' ? model.iterationsOf(state, scope) : [];
  const counts = iterations.reduce<Record<string, number>>((acc, it) => ({ ...acc, [it.status]: (acc[it.status] ?? 0) + 1 }), {});
  return (
    <aside className="card inspector" aria-label={`State inspector: ${state}`}>
      <div className="inspector-head">
        <h2>{state}</h2>
        <NodeBadge status={visit?.status ?? 'notReached'} />
      </div>
      <p className="muted small">{def ? typeLabel(def) : ''}{where ? ` · in ${where}` : ''}</p>
      {def?.resource && <p className="mono small wrap">{def.resource}</p>}
      {!visit && <p className="muted">This state was not reached{where ? ' in this iteration' : ''}.</p>}
      {visit && (
        <>
          <dl className="facts">
            <dt>Entered</dt><dd>{formatDate(new Date(visit.enteredAt).toISOString())}</dd>
            <dt>Duration</dt><dd>{formatDuration(durationBetween(new Date(visit.enteredAt).toISOString(), visit.exitedAt ? new Date(visit.exitedAt).toISOString() : undefined))}{visit.exitedAt ? '' : ' so far'}</dd>
            {visit.retries > 0 && <><dt>Retries</dt><dd>{visit.retries}</dd></>}
            {visit.visits > 1 && <><dt>Visits</dt><dd>{visit.visits} (showing the latest)</dd></>}
            {iterations.length > 0 && <><dt>Iterations</dt><dd>{iterations.length}: {Object.entries(counts).map(([s, n]) => `${n} ${STATUS_LABEL[s as keyof typeof STATUS_LABEL]}`).join(', ')}</dd></>}
          </dl>
          {visit.error !== undefined && (
            <div className={`callout ${visit.status === 'caught' ? 'warn' : 'danger'}`}>
              <strong>{visit.status === 'caught' ? 'Failed, and the error was caught' : 'Error'}</strong>
              <p className="mono">{visit.error || '(no error name)'}</p>
              {visit.cause && <p className="cause">{visit.cause}</p>}
            </div>
          )}
          {visit.input !== undefined && <JsonView value={visit.input} label="Input" maxHeight={220} />}
          {visit.output !== undefined && <JsonView value={visit.output} label="Output" maxHeight={220} />}
          {visit.assigned && Object.keys(visit.assigned).length > 0 && (
            <JsonView value={Object.fromEntries(Object.entries(visit.assigned).map(([k, v]) => [k, parse(v)]))} label="Variables after Assign" maxHeight={200} />
          )}
          <button type="button" className="link-button" onClick={() => onShowEvents(state)}>Show its events</button>
        </>
      )}
    </aside>
  );
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
