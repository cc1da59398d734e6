/**
 * AWS records an `EvaluationFailed` history event when a JSONata field of a state fails (States.QueryEvaluationError,
 * "Handling expression errors"), before the failure is retried, caught or ends the run. Its details carry the
 * cause with the state prefix, the field's `location` (e.g. "Output/result", "Items") and the state's name. In the
 * recorded histories it points back past the StateEntered event (at the event before it), except for a Wait
 * state's Timestamp, where it points at the StateEntered event itself.
 */
import { QueryEvaluationError, evaluationFailedEventDetails } from '../jsonata/index.js';
import type { StateNode } from '../model/nodes.js';
import type { Stepper } from './stepper.js';
import type { Run } from './types.js';

/** Records the EvaluationFailed event for `err` and returns the error with its cause prefixed (location kept). */
export function recordEvaluationFailed(s: Stepper, run: Run, node: StateNode, err: QueryEvaluationError): QueryEvaluationError {
  const details = evaluationFailedEventDetails(err, node.name, run.enteredEventId);
  const entered = s.events.find((e) => e.id === run.enteredEventId);
  const previousEventId = node.kind === 'Wait' ? run.enteredEventId : (entered?.previousEventId ?? run.lastEventId);
  const before = s.events.length;
  s.emit(run, 'EvaluationFailed', { evaluationFailedEventDetails: details });
  const event = s.events.length > before ? s.events[s.events.length - 1] : undefined;
  if (event) event.previousEventId = previousEventId;
  return new QueryEvaluationError(details.cause, err.location, err.expression);
}
