/**
 * Step Functions Local's mock configuration file (`MockConfigFile.json`, AWS Step Functions Developer Guide,
 * "Configuration file for mocked service integrations"), for the in-memory runner and `baton run --mocks`:
 *
 *   { "StateMachines": { <machine>: { "TestCases": { <test case>: { <state name>: <mocked response name> } } } },
 *     "MockedResponses": { <name>: { "0": {"Return": ...}, "1-2": {"Throw": {"Error", "Cause"}}, ... } } }
 *
 * The rules it enforces, from that page:
 * - a mocked response's keys are invocation numbers of the Task state, from 0: single integers ("3") or
 *   inclusive ranges ("0-2"); each value has a single field, `Return` (the result) or `Throw` (an object with
 *   string `Error` and `Cause`);
 * - "When you mock a Task, you must specify a mocked response for every invocation ... If you do not specify a
 *   mocked response, the state machine execution will fail." A call past the last listed number therefore fails
 *   the state with `States.Runtime`, which `States.ALL` does not catch, so the execution fails; numbers that leave
 *   a gap or overlap are refused when the file is read;
 * - invocations are counted per state over the whole execution (retries, loops and Map iterations alike: the
 *   page's note on Map concurrency is about exactly this shared count).
 * A state the test case does not name is not mocked (Step Functions Local would call the real service; the runner
 * fails it with States.TaskFailed and says how to mock it). Fields the format does not have, and test cases naming
 * states that are not Task states of the definition, are refused rather than ignored.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { compileDefinition } from '../model/compile.js';
import { MockFormatError, parseMocks, type MockResponse, type TaskMocks } from './mocks.js';

/** One inclusive run of invocation numbers and its response. */
interface CallRange {
  readonly from: number;
  readonly to: number;
  readonly response: MockResponse;
}

/** The selected test case: for each mocked state, its mocked response's name and responses by invocation number. */
export class MockTestCase {
  constructor(
    readonly stateMachine: string,
    readonly testCase: string,
    private readonly states: ReadonlyMap<string, { readonly name: string; readonly ranges: readonly CallRange[] }>,
  ) {}

  /** The response to invocation `call` (from 0) of `stateName`; undefined when the test case does not mock it. */
  response(stateName: string, call: number): MockResponse | undefined {
    const mocked = this.states.get(stateName);
    if (!mocked) return undefined;
    const range = mocked.ranges.find((r) => call >= r.from && call <= r.to);
    if (range) return range.response;
    const last = mocked.ranges[mocked.ranges.length - 1]!.to;
    return {
      Throw: {
        Error: 'States.Runtime',
        Cause:
          `No mocked response for invocation ${call} of state '${stateName}': mocked response '${mocked.name}' ` +
          `(test case '${this.testCase}' of state machine '${this.stateMachine}') lists invocations 0 to ${last}, ` +
          'and a mocked Task needs a response for every invocation.',
      },
    };
  }
}

export interface MockFileSelection {
  /** `--state-machine`: the entry of `StateMachines` to use; may be left out when the file has only one. */
  stateMachine?: string | undefined;
  /** `--test-case`: the entry of its `TestCases` to use; may be left out when there is only one. */
  testCase?: string | undefined;
}

/** True when `value` is in Step Functions Local's format rather than Baton's own (state name -> response). */
export function isMockConfigFile(value: unknown): boolean {
  if (!isJsonObject(value as Json)) return false;
  const v = value as JsonObject;
  const looksAws = (key: string) => key in v && isJsonObject(v[key]!) && !('Return' in v[key]!) && !('Throw' in v[key]!);
  return looksAws('StateMachines') || looksAws('MockedResponses');
}

/**
 * Reads a `--mocks` file in either format: Step Functions Local's (see above; `selection` picks the test case) or
 * Baton's own (`parseMocks`). Returns what `runLocal` takes. Throws MockFormatError with a message naming the
 * problem.
 */
export function loadMockFile(value: unknown, definition: JsonObject, selection: MockFileSelection = {}): { mocks: TaskMocks } | { mockTestCase: MockTestCase } {
  if (isMockConfigFile(value)) return { mockTestCase: parseMockConfigFile(value, definition, selection) };
  if (selection.stateMachine !== undefined || selection.testCase !== undefined) {
    throw new MockFormatError('--state-machine and --test-case apply to a Step Functions Local mock file (MockConfigFile.json with StateMachines and MockedResponses); this one is in Baton\'s format');
  }
  return { mocks: parseMocks(value) };
}

/** Checks the whole file, then selects one test case and checks it against the definition's Task states. */
export function parseMockConfigFile(value: unknown, definition: JsonObject, selection: MockFileSelection = {}): MockTestCase {
  const file = objectAt(value, 'the mock file');
  onlyKeys(file, ['StateMachines', 'MockedResponses'], 'the mock file');
  const machines = objectAt(file.StateMachines, 'StateMachines');
  const responses = objectAt(file.MockedResponses, 'MockedResponses');
  const ranges = new Map<string, CallRange[]>();
  for (const [name, raw] of Object.entries(responses)) ranges.set(name, parseMockedResponse(raw, `MockedResponses.${name}`));
  const testCases = new Map<string, Map<string, JsonObject>>();
  for (const [machine, raw] of Object.entries(machines)) {
    const m = objectAt(raw, `StateMachines.${machine}`);
    onlyKeys(m, ['TestCases'], `StateMachines.${machine}`);
    const cases = new Map<string, JsonObject>();
    for (const [name, tc] of Object.entries(objectAt(m.TestCases, `StateMachines.${machine}.TestCases`))) {
      const where = `StateMachines.${machine}.TestCases.${name}`;
      const testCase = objectAt(tc, where);
      for (const [state, ref] of Object.entries(testCase)) {
        if (typeof ref !== 'string') throw new MockFormatError(`${where}.${state} must be the name of a mocked response (a string)`);
        if (!ranges.has(ref)) throw new MockFormatError(`${where}.${state} names mocked response '${ref}', which MockedResponses does not define`);
      }
      cases.set(name, testCase);
    }
    testCases.set(machine, cases);
  }
  const machine = choose([...testCases.keys()], selection.stateMachine, 'state machine', '--state-machine', 'StateMachines');
  const testCase = choose([...testCases.get(machine)!.keys()], selection.testCase, 'test case', '--test-case', `StateMachines.${machine}.TestCases`);
  const taskStates = taskStateNames(definition);
  const states = new Map<string, { name: string; ranges: CallRange[] }>();
  for (const [state, ref] of Object.entries(testCases.get(machine)!.get(testCase)!)) {
    if (!taskStates.has(state)) {
      throw new MockFormatError(`test case '${testCase}' mocks state '${state}', which is not a Task state of the definition`);
    }
    states.set(state, { name: ref as string, ranges: ranges.get(ref as string)! });
  }
  return new MockTestCase(machine, testCase, states);
}

/** `{ "0": {...}, "1-2": {...} }`: invocation numbers from 0, each covered once, in order. */
function parseMockedResponse(raw: Json | undefined, where: string): CallRange[] {
  const entries = Object.entries(objectAt(raw, where));
  if (entries.length === 0) throw new MockFormatError(`${where} has no responses (keys are invocation numbers: "0", "1-2", ...)`);
  const out = entries.map(([key, value]) => ({ ...parseCallKey(key, `${where}`), response: parseResponse(value, `${where}."${key}"`) }));
  out.sort((a, b) => a.from - b.from);
  let next = 0;
  for (const r of out) {
    if (r.from !== next) {
      throw new MockFormatError(
        r.from < next
          ? `${where}: invocation ${r.from} is listed twice`
          : `${where}: invocation ${next} has no response (the numbers must run from 0 without a gap)`,
      );
    }
    next = r.to + 1;
  }
  return out;
}

function parseCallKey(key: string, where: string): { from: number; to: number } {
  const m = /^(\d+)(?:-(\d+))?$/.exec(key);
  const from = m ? Number(m[1]) : NaN;
  const to = m?.[2] !== undefined ? Number(m[2]) : from;
  if (!m || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
    throw new MockFormatError(`${where}: "${key}" is not an invocation number or an inclusive range of them ("0", "1-2")`);
  }
  return { from, to };
}

function parseResponse(value: Json, where: string): MockResponse {
  const r = objectAt(value, where);
  const keys = Object.keys(r);
  if (keys.length !== 1 || (keys[0] !== 'Return' && keys[0] !== 'Throw')) {
    throw new MockFormatError(`${where} must have a single field, Return or Throw (it has ${keys.length ? keys.join(', ') : 'none'})`);
  }
  if ('Return' in r) return { Return: r.Return! };
  const t = objectAt(r.Throw, `${where}.Throw`);
  onlyKeys(t, ['Error', 'Cause'], `${where}.Throw`);
  if (typeof t.Error !== 'string' || typeof t.Cause !== 'string') {
    throw new MockFormatError(`${where}.Throw must have string fields Error and Cause`);
  }
  return { Throw: { Error: t.Error, Cause: t.Cause } };
}

function choose(names: string[], wanted: string | undefined, what: string, option: string, where: string): string {
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted;
    throw new MockFormatError(`${option} '${wanted}': ${where} has no such ${what} (it has ${list(names)})`);
  }
  if (names.length === 1) return names[0]!;
  if (names.length === 0) throw new MockFormatError(`${where} has no ${what}`);
  throw new MockFormatError(`${where} has ${names.length} ${what}s (${list(names)}): choose one with ${option}`);
}

const list = (names: string[]) => (names.length ? names.map((n) => `'${n}'`).join(', ') : 'none');

function objectAt(value: Json | unknown, where: string): JsonObject {
  if (!isJsonObject(value as Json)) throw new MockFormatError(`${where} must be a JSON object`);
  return value as JsonObject;
}

function onlyKeys(o: JsonObject, allowed: readonly string[], where: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new MockFormatError(`${where}: unknown field${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (expected ${allowed.join(', ')})`);
}

/** Names of every Task state, at the top level and inside Parallel branches and Map item processors. */
function taskStateNames(definition: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const machine of compileDefinition(definition).machines.values()) {
    for (const [name, node] of machine.states) if (node.kind === 'Task') names.add(name);
  }
  return names;
}
