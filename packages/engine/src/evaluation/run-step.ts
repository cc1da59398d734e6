/**
 * One `step` as every evaluator runs it, in whatever thread: the request's seeded random source, fresh task
 * tokens, and the evaluation hooks reporting each evaluation's number to `onEvaluation`. A throw from `step` is
 * reported as `failed` with the evaluation that was running: @baton/asl is pure, so a throw is never worth retrying
 * as such (a stack overflow, a bug), it is something the state did.
 */
import { step, testState, TestStateRefusal } from '@baton/asl';
import { newTaskToken, seededCryptoRandom } from '../crypto.js';
import type { StepOutcome, StepRequest, TestStateCall, TestStateOutcome } from './evaluator.js';

/** `memoryBytes`: the thread's heap budget, which bounds what an expression may build (undefined: no budget). */
export async function runStep(request: StepRequest, onEvaluation: (ordinal: number) => void, memoryBytes?: number): Promise<StepOutcome> {
  let ordinal = 0;
  try {
    const result = await step(request.program.program, request.doc, request.signals, {
      now: request.now, random: seededCryptoRandom(request.seed), newTaskToken,
      ...(request.maxTransitions !== undefined ? { maxTransitions: request.maxTransitions } : {}),
      ...(request.limits !== undefined ? { limits: request.limits } : {}),
      ...(memoryBytes !== undefined ? { evaluationMemoryBytes: memoryBytes } : {}),
      evaluation: {
        onEvaluation: (n) => {
          ordinal = n;
          onEvaluation(n);
        },
        ...(request.fail !== undefined ? { fail: request.fail } : {}),
      },
    });
    return { kind: 'stepped', result };
  } catch (e) {
    return { kind: 'failed', reason: 'error', ordinal, message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** One TestState evaluation, in whatever thread: its refusals come back as data (a class does not cross threads). */
export async function runTestState(call: TestStateCall): Promise<TestStateOutcome> {
  try {
    const { request, seed, ...env } = call;
    return { kind: 'evaluated', step: await testState(request, { ...env, random: seededCryptoRandom(seed) }) };
  } catch (e) {
    if (e instanceof TestStateRefusal) return { kind: 'refused', code: e.code, message: e.message };
    return { kind: 'failed', reason: 'error', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
