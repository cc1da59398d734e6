import { describe, expect, it } from 'vitest';
import type { StatesError } from '../../src/errors.js';
import {
  MAX_ASSIGN_BYTES, MAX_TOTAL_VARIABLE_BYTES, MAX_VARIABLE_BYTES, checkAssignSizes, variablesByteSize,
} from '../../src/variables/limits.js';

/** A string whose JSON text is exactly `bytes` bytes long. */
const ofBytes = (bytes: number) => 'a'.repeat(bytes - 2);

function error(f: () => void): StatesError {
  try {
    f();
  } catch (e) {
    return e as StatesError;
  }
  throw new Error('expected a failure');
}

describe('variable size limits', () => {
  it('measures variables as UTF-8 JSON text', () => {
    expect(variablesByteSize({ a: 'é', b: [1, 2] })).toBe(4 + 5);
  });

  it('allows a variable of exactly 256 KiB and refuses one byte more', () => {
    expect(() => checkAssignSizes({ x: ofBytes(MAX_VARIABLE_BYTES) }, {}, 0)).not.toThrow();
    const e = error(() => checkAssignSizes({ x: ofBytes(MAX_VARIABLE_BYTES + 1) }, {}, 0));
    expect(e.error).toBe('States.DataLimitExceeded');
    expect(e.cause).toContain("'x'");
  });

  it('refuses one Assign whose variables together pass 256 KiB', () => {
    const half = ofBytes(MAX_ASSIGN_BYTES / 2);
    expect(() => checkAssignSizes({ x: half, y: half }, {}, 0)).not.toThrow();
    const e = error(() => checkAssignSizes({ x: half, y: half, z: 1 }, {}, 0));
    expect(e.error).toBe('States.DataLimitExceeded');
    expect(e.cause).toContain('single Assign');
  });

  it('refuses to pass 10 MiB for the execution, counting replaced values out', () => {
    const big = ofBytes(1000);
    expect(() => checkAssignSizes({ x: big }, {}, MAX_TOTAL_VARIABLE_BYTES - 1000)).not.toThrow();
    expect(error(() => checkAssignSizes({ x: big }, {}, MAX_TOTAL_VARIABLE_BYTES - 999)).error).toBe('States.DataLimitExceeded');
    expect(() => checkAssignSizes({ x: big }, { x: ofBytes(1000) }, MAX_TOTAL_VARIABLE_BYTES)).not.toThrow();
  });
});
