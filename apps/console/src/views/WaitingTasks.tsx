/**
 * Tasks of a running execution that wait for an answer from outside (an activity worker or a callback), with
 * Send success / Send failure. The server answers the task by its id; no task token ever reaches the page.
 */
import { useRef, useState } from 'react';
import { api } from '../api/client';
import type { WaitingTask } from '../api/types';
import { Dialog } from '../components/Dialog';
import { JsonEditor, parseJson } from '../components/JsonEditor';

export function WaitingTasks({ executionArn, tasks, onAnswered }: { executionArn: string; tasks: WaitingTask[]; onAnswered: () => void }) {
  const [answering, setAnswering] = useState<{ task: WaitingTask; kind: 'success' | 'failure' } | undefined>();
  if (tasks.length === 0) return null;
  return (
    <section className="card waiting" aria-labelledby="waiting-title">
      <div className="card-head">
        <h2 id="waiting-title">Waiting for an answer</h2>
        <span className="muted small">Answer in place of the worker or the callback: the execution continues with it.</span>
      </div>
      <ul className="waiting-list">
        {tasks.map((t) => (
          <li key={t.taskId}>
            <div>
              <strong>{t.stateName}</strong>{' '}
              <span className="type-chip">{t.kind === 'activity' ? 'activity' : 'callback'}</span>{' '}
              {t.path.length > 0 && <span className="iteration-tag">{t.path.map((p) => `${p.stateName} #${p.index}`).join(' › ')}</span>}
              <div className="muted small mono wrap">{t.resource}</div>
              <div className="muted small">
                {t.kind === 'activity' ? (t.started ? 'A worker took this task and has not answered yet.' : 'No worker has taken this task yet.') : 'Waiting for SendTaskSuccess or SendTaskFailure with its token.'}
              </div>
            </div>
            <div className="actions">
              <button type="button" className="success" onClick={() => setAnswering({ task: t, kind: 'success' })} aria-label={`Send success for ${t.stateName}`}>Send success</button>
              <button type="button" className="danger" onClick={() => setAnswering({ task: t, kind: 'failure' })} aria-label={`Send failure for ${t.stateName}`}>Send failure</button>
            </div>
          </li>
        ))}
      </ul>
      {answering && (
        <AnswerDialog executionArn={executionArn} task={answering.task} kind={answering.kind} onClose={() => setAnswering(undefined)} onDone={() => { setAnswering(undefined); onAnswered(); }} />
      )}
    </section>
  );
}

function AnswerDialog({ executionArn, task, kind, onClose, onDone }: { executionArn: string; task: WaitingTask; kind: 'success' | 'failure'; onClose: () => void; onDone: () => void }) {
  const [output, setOutput] = useState('{\n  "approved": true\n}');
  const [error, setError] = useState('');
  const [cause, setCause] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  const parsed = parseJson(output);
  const send = () => {
    setBusy(true);
    setProblem(undefined);
    const done = kind === 'success'
      ? api.answerSuccess(executionArn, task.taskId, parsed.ok ? parsed.value : null)
      : api.answerFailure(executionArn, task.taskId, error.trim(), cause);
    done.then(onDone, (e: unknown) => {
      setProblem(e instanceof Error ? e.message : String(e));
      setBusy(false);
    });
  };
  return (
    <Dialog title={`${kind === 'success' ? 'Send success' : 'Send failure'}: ${task.stateName}`} onClose={onClose} {...(kind === 'failure' ? { initialFocus: first } : {})}>
      <form onSubmit={(e) => { e.preventDefault(); send(); }}>
        {kind === 'success'
          ? <JsonEditor label="Output (the task's result)" value={output} onChange={setOutput} rows={10} />
          : (
            <>
              <div className="field">
                <label htmlFor="answer-error">Error</label>
                <input id="answer-error" ref={first} value={error} maxLength={256} onChange={(e) => setError(e.target.value)} placeholder="e.g. Rejected" />
              </div>
              <div className="field">
                <label htmlFor="answer-cause">Cause</label>
                <textarea id="answer-cause" rows={4} value={cause} maxLength={32768} onChange={(e) => setCause(e.target.value)} placeholder="Why the task failed" />
              </div>
              <p className="hint">Retry and Catch of the state see this error as they would see a worker's.</p>
            </>
          )}
        {problem && <p className="error-text" role="alert">{problem}</p>}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className={kind === 'success' ? 'primary' : 'danger'} disabled={busy || (kind === 'success' && !parsed.ok)}>
            {busy ? 'Sending…' : kind === 'success' ? 'Send success' : 'Send failure'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
