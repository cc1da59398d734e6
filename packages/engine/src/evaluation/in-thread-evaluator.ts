/**
 * Runs steps in the calling thread, without budgets: for tests that need to see inside a step, and for tools that
 * run one definition at a time (a throw from `step` is still reported as `failed`, never thrown). It offers no
 * protection against an evaluation that runs forever or exhausts memory: the engine's default is the thread pool.
 */
import type { Evaluator, StepOutcome, StepRequest, TestStateCall, TestStateOutcome } from './evaluator.js';
import { runStep, runTestState } from './run-step.js';

export class InThreadEvaluator implements Evaluator {
  readonly budgets = undefined;

  step(request: StepRequest): Promise<StepOutcome> {
    return runStep(request, () => {});
  }

  testState(call: TestStateCall): Promise<TestStateOutcome> {
    return runTestState(call);
  }

  warm(): void {}

  async close(): Promise<void> {}
}
