/**
 * Local task mocks for the in-memory runner, in the shape AWS Step Functions Local uses for mocked responses:
 * a key (a state name, or a Task's Resource ARN) maps to `{ "Return": <result> }`, `{ "Throw": { "Error", "Cause" } }`,
 * or a list of those consumed one per call (the last one repeats). Step Functions Local's own file format, with
 * test cases and invocation numbers, is read by mock-config-file.ts.
 */
import { isJsonObject, type Json } from '../json.js';

export type MockResponse = { Return: Json } | { Throw: { Error: string; Cause?: string } };
export type TaskMocks = Record<string, MockResponse | MockResponse[]>;

export class MockFormatError extends Error {}

export function parseMocks(value: unknown): TaskMocks {
  if (!isJsonObject(value as Json)) throw new MockFormatError('mocks must be a JSON object of state names or resource ARNs');
  const out: TaskMocks = {};
  for (const [key, raw] of Object.entries(value as Record<string, Json>)) {
    const list = Array.isArray(raw) ? raw : [raw];
    for (const item of list) {
      if (!isJsonObject(item) || (!('Return' in item) && !isJsonObject(item.Throw ?? null))) {
        throw new MockFormatError(`mock "${key}" must be {"Return": ...} or {"Throw": {"Error": ..., "Cause": ...}}`);
      }
      if ('Throw' in item && typeof (item.Throw as Record<string, Json>).Error !== 'string') {
        throw new MockFormatError(`mock "${key}": Throw.Error must be a string`);
      }
    }
    out[key] = raw as MockResponse | MockResponse[];
  }
  return out;
}

/** Responses by state name and invocation number: Step Functions Local's test cases (mock-config-file.ts). */
export interface IndexedMocks {
  /** The response to invocation `call` (from 0) of `stateName`; undefined when the state is not mocked. */
  response(stateName: string, call: number): MockResponse | undefined;
}

/**
 * Picks the response for a call: from a test case (by state name and invocation number), or from Baton's own
 * mocks (by state name first, then by resource ARN; a list is consumed one per call and its last one repeats).
 */
export class MockBook {
  private readonly calls = new Map<string, number>();
  constructor(
    private readonly mocks: TaskMocks,
    private readonly testCase?: IndexedMocks,
  ) {}

  take(stateName: string, resource: string): MockResponse | undefined {
    if (this.testCase) return this.testCase.response(stateName, this.count(`state:${stateName}`));
    const key = stateName in this.mocks ? stateName : resource in this.mocks ? resource : undefined;
    if (key === undefined) return undefined;
    const entry = this.mocks[key]!;
    if (!Array.isArray(entry)) return entry;
    return entry[Math.min(this.count(key), entry.length - 1)];
  }

  /** This call's number for `key` (from 0). */
  private count(key: string): number {
    const n = this.calls.get(key) ?? 0;
    this.calls.set(key, n + 1);
    return n;
  }
}
