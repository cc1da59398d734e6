/**
 * The messages between the evaluation pool (pool-evaluator.ts) and an evaluation host (step-handler.ts), over a
 * child process's IPC channel or a worker thread's port.
 *
 * Steps travel in batches: when steps wait for a host, the pool sends up to MAX_BATCH of them in one message, and
 * the host runs them one after the other, answering each. A message to a child process is a write on a pipe and
 * wakes the child; a batch pays for that once (with 16 steps at once on two hosts, most of a step's cost was that
 * hop: bench/src/bench/isolation.ts). The marker (the number the pool's watchdog reads) says which step of the batch
 * is in progress and which of its evaluations: `markerOf`.
 */
import type { EvaluationFailure, ExecutionDoc, Limits, Signal } from '@baton/asl';
import type { StepOutcome, TestStateCall, TestStateOutcome } from './evaluator.js';

export interface HostStep {
  key: string;
  /** Sent when the host may not have compiled `key` yet. */
  definition?: string;
  doc: ExecutionDoc;
  signals: readonly Signal[];
  now: number;
  seed: Uint8Array;
  options: { maxTransitions?: number; limits?: Partial<Limits>; fail?: readonly EvaluationFailure[] };
}

export interface HostSteps {
  kind: 'steps';
  id: number;
  items: HostStep[];
}

/** TestState's evaluation of one state: no program to compile, and the time budget covers the whole of it. */
export interface HostTestStateRequest {
  kind: 'testState';
  id: number;
  call: TestStateCall;
}

export type HostMessage = HostSteps | HostTestStateRequest;

/** One answer per step of a batch (`index`), or, before any step ran, a request for the definitions. */
export type HostReply = { id: number } & ({ kind: 'needProgram' } | ({ index: number } & StepOutcome));
export type HostTestStateReply = { id: number; testState: TestStateOutcome };

/** Most steps in one message. */
export const MAX_BATCH = 8;
const ITEM_SHIFT = 27;
const ORDINAL_MASK = 2 ** ITEM_SHIFT - 1;

/** The marker for evaluation `ordinal` of step `item` of a batch (a non-negative int32; -1 is "not started"). */
export function markerOf(item: number, ordinal: number): number {
  return (item << ITEM_SHIFT) | Math.min(ordinal, ORDINAL_MASK);
}

/** Which step of the batch, and which of its evaluations, a marker names. */
export function readMarkerValue(marker: number): { item: number; ordinal: number } {
  return { item: marker >>> ITEM_SHIFT, ordinal: marker & ORDINAL_MASK };
}
