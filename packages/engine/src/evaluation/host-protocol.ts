/** The messages between the evaluation pool (pool-evaluator.ts) and an evaluation host (step-handler.ts), over a child process's IPC channel or a worker thread's port. */
import type { EvaluationFailure, ExecutionDoc, Limits, Signal } from '@baton/asl';
import type { StepOutcome, TestStateCall, TestStateOutcome } from './evaluator.js';

export interface HostRequest {
  kind?: 'step';
  id: number;
  key: string;
  /** Sent when the host may not have compiled `key` yet. */
  definition?: string;
  doc: ExecutionDoc;
  signals: readonly Signal[];
  now: number;
  seed: Uint8Array;
  options: { maxTransitions?: number; limits?: Partial<Limits>; fail?: readonly EvaluationFailure[] };
}

/** TestState's evaluation of one state: no program to compile, and the time budget covers the whole of it. */
export interface HostTestStateRequest {
  kind: 'testState';
  id: number;
  call: TestStateCall;
}

export type HostMessage = HostRequest | HostTestStateRequest;

export type HostReply = { id: number } & (StepOutcome | { kind: 'needProgram' });
export type HostTestStateReply = { id: number; testState: TestStateOutcome };
