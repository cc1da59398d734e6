/** The messages between the pool (thread-pool-evaluator.ts) and an evaluation thread (step-thread.ts). */
import type { EvaluationFailure, ExecutionDoc, Limits, Signal } from '@baton/asl';
import type { StepOutcome, TestStateCall, TestStateOutcome } from './evaluator.js';

export interface ThreadRequest {
  kind?: 'step';
  id: number;
  key: string;
  /** Sent when the thread may not have compiled `key` yet. */
  definition?: string;
  doc: ExecutionDoc;
  signals: readonly Signal[];
  now: number;
  seed: Uint8Array;
  options: { maxTransitions?: number; limits?: Partial<Limits>; fail?: readonly EvaluationFailure[] };
}

/** TestState's evaluation of one state: no program to compile, and the time budget covers the whole of it. */
export interface ThreadTestStateRequest {
  kind: 'testState';
  id: number;
  call: TestStateCall;
}

export type ThreadMessage = ThreadRequest | ThreadTestStateRequest;

export type ThreadReply = { id: number } & (StepOutcome | { kind: 'needProgram' });
export type ThreadTestStateReply = { id: number; testState: TestStateOutcome };
