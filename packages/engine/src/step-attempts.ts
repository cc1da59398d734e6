/**
 * Poison executions (issue 18): an execution whose step kills the process running it (a fatal V8 error, the
 * kernel's OOM killer) would be resumed and kill the next process too, forever. Every attempt to step is recorded
 * durably before the step (`loadForStep`, with this process's incarnation id) and the record is reset by the
 * step's commit, so the count is the number of processes in a row that began a step and never committed. (Jobs
 * of one live process stepping the same execution at once, or retrying it after an error, count once.) An
 * execution found with `maxCrashedAttempts` such attempts before this one is failed with States.Runtime instead of
 * stepped again, by a step that runs none of its states; should even that keep crashing, it is ended without
 * stepping. Thread deaths (budgets) do not count here: safe-step.ts handles them in the same attempt.
 */
import { terminateExecution, type Signal, type StepResult } from '@baton/asl';
import type { ProgramSource } from './evaluation/evaluator.js';
import { safeStep } from './evaluation/safe-step.js';
import type { EngineStore, ExecutionRecord } from './ports.js';
import type { Runtime } from './runtime.js';

export const poisonCause = (crashed: number): string =>
  `Baton stopped this execution: ${crashed} processes in a row began to advance it and ended without committing ` +
  '(they crashed or failed). An execution that crashes the runtime is failed instead of being retried forever.';

export async function stepAttempt(
  rt: Runtime, exec: ExecutionRecord & { stepAttempts: number }, program: ProgramSource, signals: readonly Signal[], now: number,
): Promise<StepResult> {
  const crashed = exec.stepAttempts - 1;
  const max = rt.options.maxCrashedAttempts;
  const end = { error: 'States.Runtime', cause: poisonCause(crashed) };
  if (crashed >= max + 2) return terminateExecution(exec.doc, { status: 'FAILED', ...end }, now);
  return safeStep(rt.evaluator, {
    program, doc: exec.doc, now, maxTransitions: rt.options.maxTransitionsPerStep, limits: rt.options.limits,
    // Poison: a start still pending is applied (it runs no state: the history begins as every history does).
    signals: crashed >= max ? [...signals.filter((s) => s.kind === 'start'), { kind: 'fail', ...end }] : signals,
  });
}

/** Nothing to step: nothing pending ('idle'), or signals left on an execution that has ended (consumed). */
export async function settleWithoutStep(store: EngineStore, executionId: string): Promise<'idle' | 'committed' | 'conflict'> {
  const pending = await store.signals.pending(executionId);
  if (pending.length === 0) return 'idle';
  const exec = await store.executions.get(executionId);
  if (!exec) return 'idle';
  if (exec.status === 'RUNNING') return 'conflict'; // it became steppable meanwhile: load it again
  await store.signals.consume(pending.map((p) => p.id));
  return 'committed';
}
