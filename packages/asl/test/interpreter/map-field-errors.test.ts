/**
 * Issue 14 item 7: every runtime error of a Map's own fields (Items, ItemSelector, MaxConcurrency,
 * ToleratedFailureCount, ToleratedFailurePercentage), inline or distributed, literal or read from a variable, follows
 * the pattern AWS records for JSONata Items (cases.jsonl, test_map_state_items_eval_jsonata_fail and
 * test_map_state_items_variable_sampling): States.QueryEvaluationError, an EvaluationFailed event naming the field
 * (`location`) and the state, then MapStateFailed, the cause prefixed with "An error occurred while executing the
 * state ...". JSONPath `*Path` fields read variables (`$name`, `$name.field`) as they read the input, and their errors
 * are States.Runtime as AWS records them (test_max_concurrency_path, test_map_state_tolerated_failure_percentage_path).
 */
import { describe, expect, it } from 'vitest';
import { runLocal, type HistoryEvent, type Json, type JsonObject } from '@baton/asl';

type Mode = 'INLINE' | 'DISTRIBUTED';

function processor(mode: Mode, states: JsonObject = { Item: { Type: 'Pass', End: true } }): JsonObject {
  return {
    ProcessorConfig: mode === 'DISTRIBUTED' ? { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } : { Mode: 'INLINE' },
    StartAt: Object.keys(states)[0]!,
    States: states,
  };
}

/** A machine whose Map state `M` is preceded by a Pass state `Set` assigning `variables` (when given). */
function machine(language: 'JSONata' | 'JSONPath', mode: Mode, map: JsonObject, variables?: JsonObject, processorStates?: JsonObject): JsonObject {
  const states: JsonObject = {};
  if (variables) states.Set = { Type: 'Pass', Assign: variables, Next: 'M' };
  states.M = { Type: 'Map', ItemProcessor: processor(mode, processorStates), End: true, ...map };
  return { QueryLanguage: language, StartAt: Object.keys(states)[0]!, States: states };
}

function types(events: HistoryEvent[]): string[] {
  return events.map((e) => e.type).filter((t) => !t.startsWith('Pass') && t !== 'ExecutionStarted');
}

function evaluationFailed(events: HistoryEvent[]): { error: string; cause: string; location: string; state: string } {
  const e = events.find((x) => x.type === 'EvaluationFailed');
  if (!e) throw new Error(`no EvaluationFailed in ${events.map((x) => x.type).join(',')}`);
  return e.evaluationFailedEventDetails as { error: string; cause: string; location: string; state: string };
}

const MODES: Mode[] = ['INLINE', 'DISTRIBUTED'];

/** Runs the machine and checks the recorded pattern; returns the cause without its state prefix. */
async function expectQueryEvaluationError(def: JsonObject, location: string, before: string[]): Promise<string> {
  const r = await runLocal(def, { input: { xs: [1, 2] } });
  expect(r.status).toBe('FAILED');
  expect(r.error).toBe('States.QueryEvaluationError');
  const entered = r.events.find((e) => e.type === 'MapStateEntered')!.id;
  const prefix = `An error occurred while executing the state 'M' (entered at the event id #${entered}). `;
  expect(r.cause?.startsWith(prefix)).toBe(true);
  const details = evaluationFailed(r.events);
  expect(details).toMatchObject({ error: 'States.QueryEvaluationError', cause: r.cause, location, state: 'M' });
  expect(types(r.events)).toEqual([...before, 'EvaluationFailed', ...(before.includes('MapRunStarted') ? ['MapRunFailed'] : []), 'MapStateFailed', 'ExecutionFailed']);
  return r.cause!.slice(prefix.length);
}

describe.each(MODES)('JSONata Map field errors (%s)', (mode) => {
  const beforeStart = ['MapStateEntered'];
  const atIteration = mode === 'INLINE' ? ['MapStateEntered', 'MapStateStarted', 'MapIterationStarted'] : ['MapStateEntered', 'MapStateStarted', 'MapRunStarted'];

  it.each<[string, Json, string]>([
    ['a number', '{% 1 %}', "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1"],
    ['nothing', '{% $states.input.missing %}', "The JSONata expression '$states.input.missing' specified for the field 'Items' returned nothing (undefined)."],
    ['an evaluation error', '{% $nope() %}', "The JSONata expression '$nope()' specified for the field 'Items' threw an error during evaluation. T1006: Attempted to invoke a non-function"],
  ])('Items giving %s', async (_label, items, cause) => {
    expect(await expectQueryEvaluationError(machine('JSONata', mode, { Items: items }), 'Items', beforeStart)).toBe(cause);
  });

  it('an expression inside a literal Items array, located at its index', async () => {
    const cause = await expectQueryEvaluationError(machine('JSONata', mode, { Items: [1, '{% $nope() %}'] }), 'Items[1]', beforeStart);
    expect(cause).toContain("specified for the field 'Items[1]' threw an error during evaluation");
  });

  it.each<[string, Json, string]>([
    ['an object', { foo: 'bar' }, `Expected 'array', but was 'object' for value: {"foo":"bar"}`],
    ['a string', 'string', `Expected 'array', but was 'string' for value: "string"`],
  ])('Items read from a variable holding %s', async (_label, value, tail) => {
    const cause = await expectQueryEvaluationError(machine('JSONata', mode, { Items: '{% $v %}' }, { v: value }), 'Items', beforeStart);
    expect(cause).toBe(`The JSONata expression '$v' specified for the field 'Items' returned an unexpected result type. ${tail}`);
  });

  it('Items read from a variable that was never assigned', async () => {
    const cause = await expectQueryEvaluationError(machine('JSONata', mode, { Items: '{% $w %}' }, { v: 1 }), 'Items', beforeStart);
    expect(cause).toBe("The JSONata expression '$w' specified for the field 'Items' returned nothing (undefined).");
  });

  it.each<[string, Json, string]>([
    ['an evaluation error', '{% $nope() %}', 'ItemSelector'],
    ['a member giving nothing', { a: { b: '{% $v.x.y %}' } }, 'ItemSelector/a/b'],
  ])('ItemSelector with %s, once the Map has started', async (_label, selector, location) => {
    // One item: how the siblings of a failed iteration end is the Map's join (branches.ts), not this field's error.
    const def = machine('JSONata', mode, { Items: '{% [$states.input.xs[0]] %}', ItemSelector: selector }, { v: 1 });
    await expectQueryEvaluationError(def, location, atIteration);
  });

  it.each<[string, string, JsonObject | undefined, string]>([
    ['a string', "{% 'a' %}", undefined, `returned an unexpected result type. Expected 'integer', but was 'string' for value: "a"`],
    ['a fraction', '{% 1.5 %}', undefined, `returned an unexpected result type. Expected 'integer', but was 'number' for value: 1.5`],
    ['nothing', '{% $states.input.missing %}', undefined, 'returned nothing (undefined).'],
    ['a string variable', '{% $v %}', { v: '2' }, `returned an unexpected result type. Expected 'integer', but was 'string' for value: "2"`],
  ])('MaxConcurrency giving %s', async (_label, expr, vars, tail) => {
    const cause = await expectQueryEvaluationError(machine('JSONata', mode, { Items: [1], MaxConcurrency: expr }, vars), 'MaxConcurrency', beforeStart);
    expect(cause.endsWith(tail)).toBe(true);
  });

  it('MaxConcurrency read from a negative variable', async () => {
    const cause = await expectQueryEvaluationError(machine('JSONata', mode, { Items: [1], MaxConcurrency: '{% $v %}' }, { v: -1 }), 'MaxConcurrency', beforeStart);
    expect(cause).toBe("The value of the field 'MaxConcurrency' must be at least 0, but was: -1");
  });

  it.each<[string, JsonObject, JsonObject | undefined, string]>([
    ['ToleratedFailureCount a string', { ToleratedFailureCount: "{% 'a' %}" }, undefined, 'ToleratedFailureCount'],
    ['ToleratedFailureCount negative from a variable', { ToleratedFailureCount: '{% $v %}' }, { v: -1 }, 'ToleratedFailureCount'],
    ['ToleratedFailurePercentage over 100', { ToleratedFailurePercentage: '{% 101 %}' }, undefined, 'ToleratedFailurePercentage'],
    ['ToleratedFailurePercentage a string variable', { ToleratedFailurePercentage: '{% $v %}' }, { v: 'x' }, 'ToleratedFailurePercentage'],
  ])('%s', async (_label, fields, vars, location) => {
    await expectQueryEvaluationError(machine('JSONata', mode, { Items: [1], ...fields }, vars), location, beforeStart);
  });

  it('a field error is caught as States.QueryEvaluationError by the Map state\'s Catch', async () => {
    const def = machine('JSONata', mode, { Items: '{% $v %}' }, { v: 3 });
    const states = def.States as Record<string, JsonObject>;
    const { End: _end, ...map } = states.M as JsonObject;
    states.M = { ...map, Next: 'Done', Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Caught' }] };
    states.Done = { Type: 'Succeed' };
    states.Caught = { Type: 'Pass', Output: '{% $states.input.Error %}', End: true };
    const r = await runLocal(def, { input: {} });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe('States.QueryEvaluationError');
    expect(types(r.events)).toContain('EvaluationFailed');
  });

  it('values read from variables that fit are used', async () => {
    const failing = { Item: { Type: 'Choice', Choices: [{ Condition: '{% $states.input = 2 %}', Next: 'Boom' }], Default: 'Ok' }, Ok: { Type: 'Succeed' }, Boom: { Type: 'Fail', Error: 'E' } };
    const def = (tolerated: number) => machine('JSONata', mode, {
      Items: '{% $items %}', MaxConcurrency: '{% $max %}', ToleratedFailureCount: '{% $tolerated %}',
    }, { items: [1, 2, 3], max: 1, tolerated }, failing);
    expect((await runLocal(def(1), { input: {} })).status).toBe('SUCCEEDED');
    const r = await runLocal(def(0), { input: {} });
    expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
  });
});

describe.each(MODES)('JSONPath Map *Path fields read variables (%s)', (mode) => {
  const failing = { Item: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 2, Next: 'Boom' }], Default: 'Ok' }, Ok: { Type: 'Succeed' }, Boom: { Type: 'Fail', Error: 'E' } };

  it.each<[string, string, JsonObject, Json]>([
    ['a variable', '$v', { v: [1, 2, 3] }, [1, 2, 3]],
    ['a field of a variable', '$v.xs', { v: { xs: [4, 5] } }, [4, 5]],
  ])('ItemsPath naming %s', async (_label, path, vars, expected) => {
    const r = await runLocal(machine('JSONPath', mode, { ItemsPath: path }, vars), { input: {} });
    expect(r.output).toEqual(expected);
  });

  it('ItemsPath naming a variable that is not an array', async () => {
    const r = await runLocal(machine('JSONPath', mode, { ItemsPath: '$v' }, { v: 3 }), { input: {} });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe(`An error occurred while executing the state 'M' (entered at the event id #4). Reference path "$v" must point to array.`);
  });

  it('ItemSelector reads variables next to the item', async () => {
    const r = await runLocal(machine('JSONPath', mode, { ItemsPath: '$.xs', ItemSelector: { 'v.$': '$v', 'item.$': '$$.Map.Item.Value' } }, { v: 7 }), { input: { xs: [1] } });
    expect(r.output).toEqual([{ v: 7, item: 1 }]);
  });

  it('ToleratedFailureCountPath and ToleratedFailurePercentagePath read variables', async () => {
    const run = (fields: JsonObject, vars: JsonObject) => runLocal(machine('JSONPath', mode, { ItemsPath: '$.xs', ...fields }, vars, failing), { input: { xs: [1, 2, 3, 4] } });
    expect((await run({ ToleratedFailureCountPath: '$t' }, { t: 1 })).status).toBe('SUCCEEDED');
    expect((await run({ ToleratedFailureCountPath: '$t' }, { t: 0 })).error).toBe('States.ExceedToleratedFailureThreshold');
    expect((await run({ ToleratedFailurePercentagePath: '$t.pct' }, { t: { pct: 25 } })).status).toBe('SUCCEEDED');
    expect((await run({ ToleratedFailurePercentagePath: '$t.pct' }, { t: { pct: 20 } })).error).toBe('States.ExceedToleratedFailureThreshold');
  });

  it.each<[string, JsonObject, JsonObject, string, string[]]>([
    ['MaxConcurrencyPath', { MaxConcurrencyPath: '$m' }, { m: 'x' }, 'The MaxConcurrencyPath field refers to value "x" which is not a valid integer: $m', ['MapStateEntered']],
    ['ToleratedFailureCountPath', { ToleratedFailureCountPath: '$t' }, { t: 'x' }, 'The ToleratedFailureCountPath field refers to value "x" which is not a valid integer: $t', ['MapStateEntered', 'MapStateStarted']],
    ['ToleratedFailurePercentagePath', { ToleratedFailurePercentagePath: '$t' }, { t: 101 }, 'ToleratedFailurePercentage must be between 0 and 100.', ['MapStateEntered', 'MapStateStarted']],
  ])('%s reading a variable that does not fit: States.Runtime, as AWS records for the input', async (_label, fields, vars, cause, before) => {
    const r = await runLocal(machine('JSONPath', mode, { ItemsPath: '$.xs', ...fields }, vars), { input: { xs: [1] } });
    expect(r.error).toBe('States.Runtime');
    expect(r.cause).toBe(`An error occurred while executing the state 'M' (entered at the event id #4). ${cause}`);
    expect(types(r.events)).toEqual([...before, 'ExecutionFailed']);
  });
});
