/**
 * What a Map Run returns (AWS "ResultWriter (Map)"): with Transformation COMPACT (the default without a
 * ResultWriter) each child's output; FLATTEN splices a child output that is an array into the list; NONE (the
 * default when exporting to S3) the child's execution metadata with its input and output as JSON text. A failed
 * child's entry is always its metadata, "equivalent to having set Transformation to NONE". And the tolerance rule
 * of a Map Run: without ToleratedFailureCount / Percentage no failure is tolerated; with them, either threshold
 * not yet exceeded is enough. A percentage is only decided once the item count is known (all items read), except
 * 0, which any failure exceeds.
 */
import type { Json, JsonObject } from '../json.js';
import type { WriterSpec } from './spec.js';

export type ChildStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** A child execution as the results need it (dates as ISO-8601 text). */
export interface ChildRecord {
  executionArn: string;
  name: string;
  stateMachineArn: string;
  status: ChildStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  startDate: string;
  stopDate: string | null;
  /** How many times its Map Run redrove it (0 when absent). */
  redriveCount?: number;
}

export const TOLERANCE_EXCEEDED = {
  error: 'States.ExceedToleratedFailureThreshold',
  cause: 'The specified tolerated failure threshold was exceeded',
} as const;

export function toleranceExceeded(
  t: { toleratedFailureCount?: number; toleratedFailurePercentage?: number },
  failedItems: number,
  totalItems: number | undefined,
): boolean {
  if (failedItems === 0) return false;
  if (t.toleratedFailureCount === undefined && t.toleratedFailurePercentage === undefined) return true;
  if (t.toleratedFailureCount !== undefined && failedItems <= t.toleratedFailureCount) return false;
  if (t.toleratedFailurePercentage !== undefined) {
    if (totalItems === undefined) return t.toleratedFailurePercentage === 0 && t.toleratedFailureCount === undefined;
    if ((failedItems / totalItems) * 100 <= t.toleratedFailurePercentage) return false;
  }
  return true;
}

/** The NONE-transformation entry of a child: its metadata, with input and output as JSON text. */
export function childMetadata(c: ChildRecord): JsonObject {
  const entry: JsonObject = {
    ExecutionArn: c.executionArn, Input: c.input, InputDetails: { Included: true }, Name: c.name,
  };
  if (c.status === 'SUCCEEDED') {
    entry.Output = c.output ?? 'null';
    entry.OutputDetails = { Included: true };
  }
  if (c.error !== null) entry.Error = c.error;
  if (c.cause !== null) entry.Cause = c.cause;
  Object.assign(entry, {
    RedriveCount: c.redriveCount ?? 0,
    // An unsuccessful child is redriven by its Map Run when the parent execution is redriven.
    ...(c.status === 'SUCCEEDED' || c.status === 'RUNNING'
      ? { RedriveStatus: 'NOT_REDRIVABLE', RedriveStatusReason: `Execution is ${c.status} and cannot be redriven` }
      : { RedriveStatus: 'REDRIVABLE_BY_MAP_RUN' }),
    StartDate: c.startDate,
    StateMachineArn: c.stateMachineArn,
    Status: c.status,
  });
  if (c.stopDate !== null) entry.StopDate = c.stopDate;
  return entry;
}

/** The entries one child contributes to the results under `transformation` (FLATTEN may give several). */
export function resultEntries(c: ChildRecord, transformation: WriterSpec['transformation']): Json[] {
  if (c.status !== 'SUCCEEDED' || transformation === 'NONE') return [childMetadata(c)];
  const output = JSON.parse(c.output ?? 'null') as Json;
  if (transformation === 'FLATTEN' && Array.isArray(output)) return output;
  return [output];
}
