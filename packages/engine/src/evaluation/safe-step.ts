/**
 * A step under the evaluation budgets, as the transition runner and the Express runner take it: it always comes
 * back with a StepResult, whatever the definition or the input does. An evaluation found over a budget (or that
 * crashed its thread, or threw) fails its state: the step is tried again from the same inputs (same time, same
 * random seed, so the evaluations are numbered the same) with that evaluation listed to fail, and the state's
 * Retry / Catch apply as AWS's rules for the error say (States.QueryEvaluationError in a JSONata state,
 * States.Runtime otherwise). When no evaluation can be blamed (the document itself cannot be copied within the
 * budgets) or too many fail in one step, the execution ends without stepping (terminateExecution): FAILED with
 * States.Runtime, or ABORTED when the signals held a stop.
 */
import { terminateExecution, type EvaluationFailure, type StepResult } from '@baton/asl';
import { newSeed } from '../crypto.js';
import type { EvaluationBudgets, Evaluator, StepOutcome, StepRequest } from './evaluator.js';

/** Evaluations of one step that may fail their state before the step is given up and the execution ended. */
export const MAX_FAILED_EVALUATIONS_PER_STEP = 5;

export type SafeStepRequest = Omit<StepRequest, 'seed' | 'fail'>;

export async function safeStep(evaluator: Evaluator, request: SafeStepRequest): Promise<StepResult> {
  const seed = newSeed();
  const fail: EvaluationFailure[] = [];
  let outcome: StepOutcome;
  for (;;) {
    outcome = await evaluator.step({ ...request, seed, ...(fail.length > 0 ? { fail: [...fail] } : {}) });
    if (outcome.kind === 'stepped') return outcome.result;
    const blamed = outcome.ordinal;
    if (blamed === 0 || fail.some((f) => f.ordinal === blamed) || fail.length >= MAX_FAILED_EVALUATIONS_PER_STEP) break;
    fail.push({ ordinal: blamed, detail: failureDetail(outcome, evaluator.budgets) });
  }
  const stop = request.signals.find((s) => s.kind === 'stop');
  const cause = `Baton could not advance this execution within its evaluation budgets: ${failureDetail(outcome, evaluator.budgets)}`;
  return terminateExecution(
    request.doc,
    stop?.kind === 'stop'
      ? { status: 'ABORTED', ...(stop.error !== undefined ? { error: stop.error } : {}), ...(stop.cause !== undefined ? { cause: stop.cause } : {}) }
      : { status: 'FAILED', error: 'States.Runtime', cause },
    request.now,
  );
}

/** What the failed state's cause says, naming the budget. */
export function failureDetail(outcome: Extract<StepOutcome, { kind: 'failed' }>, budgets: EvaluationBudgets | undefined): string {
  switch (outcome.reason) {
    case 'time':
      return `Expression evaluation timeout: the evaluation exceeded Baton's time budget of ${budgets?.timeoutMs} ms (BATON_EVALUATION_TIMEOUT_MS)`;
    case 'memory':
      return `Expression evaluation memory limit exceeded: the evaluation exceeded Baton's memory budget of ${budgets?.memoryMb} MB (BATON_EVALUATION_MEMORY_MB)`;
    case 'crash':
      return `The evaluation crashed the process or thread running it (${outcome.message})`;
    case 'error':
      return `The evaluation failed: ${outcome.message}`;
    default: {
      const never: never = outcome.reason;
      throw new Error(`unknown failure ${String(never)}`);
    }
  }
}
