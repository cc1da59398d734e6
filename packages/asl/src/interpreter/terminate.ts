/**
 * Ends an execution without stepping it: the host's last resort when even a step that only fails the execution
 * cannot run (its document is too large to copy within the host's budgets, or copying it crashed). The ended
 * document keeps the few fields that identify the execution and copies nothing else; the result is what a step
 * ending the execution returns: the ExecutionFailed (or ExecutionAborted) event, a cancel for every pending task
 * and timer, and `finish`.
 */
import { nestingBeyond } from '../json.js';
import { jsonText, untruncated } from './event-details.js';
import type { Command, ExecutionDoc, HistoryEvent, StepResult } from './types.js';

export interface Termination {
  status: 'FAILED' | 'ABORTED';
  error?: string;
  cause?: string;
}

export function terminateExecution(doc: ExecutionDoc, end: Termination, now: number): StepResult {
  if (doc.status !== 'RUNNING') return { doc, events: [], commands: [], ignored: true };
  const type = end.status === 'FAILED' ? 'ExecutionFailed' : 'ExecutionAborted';
  const what = { ...(end.error !== undefined ? { error: end.error } : {}), ...(end.cause !== undefined ? { cause: end.cause } : {}) };
  const events: HistoryEvent[] = [];
  // The input is kept unless it is the very thing the host cannot handle (nested too deeply to serialise).
  const input = nestingBeyond(doc.input) === undefined ? doc.input : null;
  // An execution that never started still begins its history with ExecutionStarted, as every history does.
  if (doc.eventSeq === 0) {
    events.push({
      id: 1, previousEventId: 0, timestamp: now, type: 'ExecutionStarted',
      executionStartedEventDetails: { input: jsonText(input), inputDetails: untruncated, roleArn: doc.context.roleArn },
    });
  }
  const last = events.length > 0 ? 1 : doc.eventSeq;
  const event: HistoryEvent = {
    id: last + 1, previousEventId: doc.runs['0']?.lastEventId ?? last, timestamp: now, type,
    [end.status === 'FAILED' ? 'executionFailedEventDetails' : 'executionAbortedEventDetails']: what,
  };
  events.push(event);
  const commands: Command[] = [
    ...Object.keys(doc.timers).map((timerId): Command => ({ kind: 'cancelTimer', timerId })),
    ...Object.keys(doc.tasks).map((taskId): Command => ({ kind: 'cancelTask', taskId })),
    { kind: 'finish', status: end.status, ...what },
  ];
  const ended: ExecutionDoc = {
    status: end.status, eventSeq: event.id, seq: doc.seq, context: doc.context, input,
    runs: {}, tasks: {}, timers: {}, ...what,
    // Nothing records where it stood, so nothing can resume it (redrive.ts).
    notRedrivable: 'Execution was ended without stepping it (its document could not be evaluated) and cannot be redriven',
  };
  return { doc: ended, events, commands, ignored: false };
}
