/** The messages between the pool (thread-pool-evaluator.ts) and an evaluation thread (step-thread.ts). */
import type { EvaluationFailure, ExecutionDoc, Limits, Signal } from '@baton/asl';
import type { StepOutcome } from './evaluator.js';

export interface ThreadRequest {
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

export type ThreadReply = { id: number } & (StepOutcome | { kind: 'needProgram' });
