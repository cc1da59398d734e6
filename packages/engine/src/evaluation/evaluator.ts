/**
 * The evaluator: where the engine runs `step` (@baton/asl). The transition runner and the Express runner call it
 * instead of `step` itself, so that every evaluation a state performs runs under the evaluation budgets, off the
 * event loop that serves the API and the other executions (pool-evaluator.ts: child processes or threads), or in this thread where a
 * test needs it (in-thread-evaluator.ts). An evaluator never throws for what a definition or an input does: a step
 * that went over a budget, crashed its thread or threw comes back as `failed`, naming the evaluation it was in, and
 * safe-step.ts turns that into a failed state (or, when no evaluation can be blamed, a failed execution).
 */
import type { EvaluationFailure, ExecutionDoc, Limits, Program, Signal, StepResult, TestStateRequest, TestStateStep } from '@baton/asl';

/** A compiled program and where it came from: threads compile their own copy once per key. */
export interface ProgramSource {
  /** Stable for a definition: state machine ARN and revision. */
  key: string;
  definition: string;
  program: Program;
}

export interface StepRequest {
  program: ProgramSource;
  doc: ExecutionDoc;
  signals: readonly Signal[];
  now: number;
  /** 32 bytes for the step's random source: a try again of the same step draws the same numbers. */
  seed: Uint8Array;
  maxTransitions?: number;
  limits?: Partial<Limits>;
  /** Evaluations an earlier try found over budget: they fail their state instead of running. */
  fail?: readonly EvaluationFailure[];
}

export type FailureReason =
  /** An evaluation ran longer than the time budget: its thread was stopped and replaced. */
  | 'time'
  /** The thread ran out of its memory budget and was replaced. */
  | 'memory'
  /** The thread ended for another reason (a crash inside it). */
  | 'crash'
  /** `step` threw (a stack overflow, a value the host cannot copy). */
  | 'error';

export type StepOutcome =
  | { kind: 'stepped'; result: StepResult }
  /** `ordinal`: the evaluation that was running (EvaluationHooks of @baton/asl); 0 when none had begun. */
  | { kind: 'failed'; reason: FailureReason; ordinal: number; message: string };

export interface EvaluationBudgets {
  /** Wall-clock time one evaluation may take. */
  timeoutMs: number;
  /** Heap of each evaluation thread. */
  memoryMb: number;
}

export const DEFAULT_BUDGETS: EvaluationBudgets = { timeoutMs: 5_000, memoryMb: 256 };

/** TestState's evaluation of one state (@baton/asl `testState`), with what its environment needs but its random source. */
export interface TestStateCall {
  request: TestStateRequest;
  now: number;
  /** 32 bytes for the evaluation's random source (as a step's). */
  seed: Uint8Array;
  executionName: string;
  stateMachineName: string;
  account: string;
  region: string;
  partition: string;
}

export type TestStateOutcome =
  | { kind: 'evaluated'; step: TestStateStep }
  /** The request is refused (TestStateRefusal of @baton/asl: its API error code and message). */
  | { kind: 'refused'; code: 'ValidationException' | 'InvalidDefinition'; message: string }
  /** Over a budget, or its thread crashed, or `testState` threw. */
  | { kind: 'failed'; reason: FailureReason; message: string };

export interface Evaluator {
  readonly budgets: EvaluationBudgets | undefined;
  step(request: StepRequest): Promise<StepOutcome>;
  /** TestState runs in the API process: under the same budgets as a step, so no request can stall the API. */
  testState(call: TestStateCall): Promise<TestStateOutcome>;
  /**
   * Starts ahead what the first step would otherwise wait for (an evaluation host: a process spawned and its modules
   * loaded, about a third of a second on a 2-core machine). A worker calls it when it starts taking jobs.
   */
  warm(): void;
  close(): Promise<void>;
}
