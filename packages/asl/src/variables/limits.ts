/**
 * AWS "Limits" for variables: a single variable at most 256 KiB, all variables of one Assign field together at
 * most 256 KiB, all stored variables of an execution at most 10 MiB. Sizes are the UTF-8 length of the JSON text.
 * AWS's error name and cause for these are not in the recorded data; States.DataLimitExceeded is AWS's error for
 * payloads over a size quota.
 */
import { StatesError } from '../errors.js';
import type { Json } from '../json.js';
import { jsonByteLength } from '../json.js';

export const MAX_VARIABLE_BYTES = 256 * 1024;
export const MAX_ASSIGN_BYTES = 256 * 1024;
export const MAX_TOTAL_VARIABLE_BYTES = 10 * 1024 * 1024;

/** The bytes the variables occupy, as counted against the 10 MiB execution limit. */
export function variablesByteSize(variables: Readonly<Record<string, Json>>): number {
  let total = 0;
  for (const value of Object.values(variables)) total += jsonByteLength(value);
  return total;
}

/**
 * Checks one Assign's results. `previous` holds the values the assigned names had (they are replaced, so their
 * bytes leave the total); `currentTotalBytes` is what the execution's variables occupy before this Assign.
 */
export function checkAssignSizes(
  assigned: Readonly<Record<string, Json>>,
  previous: Readonly<Record<string, Json>>,
  currentTotalBytes: number,
): void {
  let assignBytes = 0;
  let replacedBytes = 0;
  for (const [name, value] of Object.entries(assigned)) {
    const size = jsonByteLength(value);
    if (size > MAX_VARIABLE_BYTES) {
      throw new StatesError(
        'States.DataLimitExceeded',
        `The value assigned to the variable '${name}' is ${size} bytes, which exceeds the maximum variable size of ${MAX_VARIABLE_BYTES} bytes.`,
      );
    }
    assignBytes += size;
    if (Object.hasOwn(previous, name)) replacedBytes += jsonByteLength(previous[name] as Json);
  }
  if (assignBytes > MAX_ASSIGN_BYTES) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The variables assigned by this state are ${assignBytes} bytes together, which exceeds the maximum of ${MAX_ASSIGN_BYTES} bytes for a single Assign field.`,
    );
  }
  const total = currentTotalBytes - replacedBytes + assignBytes;
  if (total > MAX_TOTAL_VARIABLE_BYTES) {
    throw new StatesError(
      'States.DataLimitExceeded',
      `The variables of this execution would take ${total} bytes, which exceeds the maximum of ${MAX_TOTAL_VARIABLE_BYTES} bytes for all variables of an execution.`,
    );
  }
}
