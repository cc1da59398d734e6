/** Status names and badges: colour always comes with words, never alone. */
import type { ExecutionStatus } from '../api/types';
import type { NodeStatus } from '../model/history';

export const STATUS_LABEL: Record<NodeStatus, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  caught: 'failed, caught',
  running: 'running',
  waiting: 'waiting',
  aborted: 'stopped',
  notReached: 'not reached',
};

export const EXECUTION_LABEL: Record<ExecutionStatus, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  TIMED_OUT: 'Timed out',
  ABORTED: 'Aborted',
  PENDING_REDRIVE: 'Pending redrive',
};

export function StatusBadge({ status }: { status: ExecutionStatus }) {
  return <span className={`badge badge-${status.toLowerCase()}`}>{EXECUTION_LABEL[status] ?? status}</span>;
}

export function NodeBadge({ status }: { status: NodeStatus }) {
  return <span className={`badge node-badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function Legend() {
  const order: NodeStatus[] = ['succeeded', 'caught', 'failed', 'running', 'waiting', 'aborted', 'notReached'];
  return (
    <ul className="legend" aria-label="Colours of the states">
      {order.map((s) => (
        <li key={s}><span className={`swatch status-${s}`} aria-hidden="true" />{STATUS_LABEL[s]}</li>
      ))}
    </ul>
  );
}
