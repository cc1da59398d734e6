import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject } from '@baton/asl';
import { START, assignedBy, eventOf, jsonata, types } from './helpers.js';

describe('JSONata Pass: Output and Assign', () => {
  it('outputs its input when there is no Output', async () => {
    const r = await runLocal(jsonata({ P: { Type: 'Pass', End: true } }), { input: { a: [1, 2] } });
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: { a: [1, 2] } });
  });

  it('evaluates every {% %} string inside Output and keeps everything else literal', async () => {
    const output = {
      sum: '{% $sum($states.input.xs) %}',
      list: [1, '{% $states.input.name & "!" %}', ' {% not.an.expression %} ', '$.path'],
      nested: { flag: '{% $count($states.input.xs) > 2 %}', 'key.$': '$' },
    };
    const r = await runLocal(jsonata({ P: { Type: 'Pass', Output: output, End: true } }), { input: { xs: [1, 2, 3], name: 'ann' } });
    expect(r.output).toEqual({
      sum: 6,
      list: [1, 'ann!', ' {% not.an.expression %} ', '$.path'],
      nested: { flag: true, 'key.$': '$' },
    });
  });

  it.each([[7], ['text'], [null], [false], [[]]])('takes a literal non-object Output (%j)', async (value) => {
    const r = await runLocal(jsonata({ P: { Type: 'Pass', Output: value, End: true } }), { input: { x: 1 } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual(value);
  });

  it('binds $states.input and $states.context (no result, no errorOutput)', async () => {
    const def = jsonata({ P: { Type: 'Pass', Output: { states: '{% $keys($states) %}', name: '{% $states.context.State.Name %}' }, End: true } });
    const r = await runLocal(def, { input: {}, context: { executionName: 'e1' } });
    expect(r.output).toEqual({ states: ['input', 'context'], name: 'P' });
  });

  it('answers $now() and $millis() from the step clock, not the wall clock', async () => {
    const def = jsonata({ P: { Type: 'Pass', Output: { now: '{% $now() %}', ms: '{% $millis() %}' }, End: true } });
    const r = await runLocal(def, { input: {}, startTime: START + 1234 });
    expect(r.output).toEqual({ now: new Date(START + 1234).toISOString(), ms: START + 1234 });
  });

  it('assigns variables that the next states read, and records them on StateExited', async () => {
    const def = jsonata({
      A: { Type: 'Pass', Assign: { total: '{% $sum($states.input.xs) %}', label: 'fixed' }, Next: 'B' },
      B: { Type: 'Pass', Output: '{% $label & ":" & $string($total) %}', End: true },
    });
    const r = await runLocal(def, { input: { xs: [2, 3] } });
    expect(r.output).toBe('fixed:5');
    expect(assignedBy(r.events, 'A')).toEqual({ total: 5, label: 'fixed' });
    expect(assignedBy(r.events, 'B')).toBeUndefined();
  });

  it('evaluates every Assign value and the Output against the variables from before the state', async () => {
    const def = jsonata({
      A: { Type: 'Pass', Assign: { x: 1, y: 10 }, Next: 'B' },
      B: { Type: 'Pass', Assign: { x: '{% $y %}', y: '{% $x %}' }, Output: { x: '{% $x %}', y: '{% $y %}' }, Next: 'C' },
      C: { Type: 'Pass', Output: { x: '{% $x %}', y: '{% $y %}' }, End: true },
    });
    const r = await runLocal(def, { input: {} });
    expect(assignedBy(r.events, 'B')).toEqual({ x: 10, y: 1 });
    expect(eventOf(r.events, 'PassStateExited', 1).stateExitedEventDetails).toMatchObject({ output: '{"x":1,"y":10}' });
    expect(r.output).toEqual({ x: 10, y: 1 });
  });

  it('reads variables assigned by a JSONPath state and vice versa', async () => {
    const def = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { 'v.$': '$.n' }, Next: 'B' },
        B: { Type: 'Pass', QueryLanguage: 'JSONata', Assign: { w: '{% $v * 2 %}' }, Next: 'C' },
        C: { Type: 'Pass', Parameters: { 'v.$': '$v', 'w.$': '$w' }, End: true },
      },
    };
    const r = await runLocal(def, { input: { n: 4 } });
    expect(r.output).toEqual({ v: 4, w: 8 });
  });
});

describe('JSONata evaluation failures', () => {
  it('fails with States.QueryEvaluationError and records EvaluationFailed before ExecutionFailed', async () => {
    const def = jsonata({
      A: { Type: 'Pass', Next: 'B' },
      B: { Type: 'Pass', Output: { result: '{% $missing %}' }, End: true },
    });
    const r = await runLocal(def, { input: {} });
    const cause =
      "An error occurred while executing the state 'B' (entered at the event id #4). " +
      "The JSONata expression '$missing' specified for the field 'Output/result' returned nothing (undefined).";
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError', cause });
    expect(types(r.events)).toEqual([
      'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed',
    ]);
    const failed = eventOf(r.events, 'EvaluationFailed');
    expect(failed.evaluationFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause, location: 'Output/result', state: 'B' });
    // AWS points the event at the one before StateEntered; ExecutionFailed follows it.
    expect(failed.previousEventId).toBe(3);
    expect(eventOf(r.events, 'ExecutionFailed').previousEventId).toBe(failed.id);
  });

  it('names the Assign variable as the location', async () => {
    const r = await runLocal(jsonata({ P: { Type: 'Pass', Assign: { v: '{% $nope %}' }, End: true } }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'Assign/v' });
  });

  it('reports a JSONata runtime error with its code, and $eval is not available', async () => {
    const r = await runLocal(jsonata({ P: { Type: 'Pass', Output: '{% $eval("1") %}', End: true } }), { input: {} });
    expect(r.cause).toMatch(/specified for the field 'Output' threw an error during evaluation\. T1006: Attempted to invoke a non-function$/);
  });

  it('rejects an invalid variable name with States.Runtime and no EvaluationFailed event', async () => {
    const r = await runLocal(jsonata({ P: { Type: 'Pass', Assign: { states: 1 }, End: true } }), { input: {} });
    expect(r.error).toBe('States.Runtime');
    expect(types(r.events)).not.toContain('EvaluationFailed');
  });
});

describe('JSONata Succeed', () => {
  it('applies Output and otherwise passes the input through', async () => {
    const withOutput = await runLocal(jsonata({ S: { Type: 'Succeed', Output: { v: '{% $states.input.v + 1 %}' } } }), { input: { v: 1 } });
    expect(withOutput.output).toEqual({ v: 2 });
    const plain = await runLocal(jsonata({ S: { Type: 'Succeed' } }), { input: { v: 1 } });
    expect(plain.output).toEqual({ v: 1 });
  });
});

describe('variable size limits', () => {
  const padded = (n: number) => `{% $pad("", ${n}, "x") %}`;

  it('accepts a 200 KiB variable and rejects one over 256 KiB with States.DataLimitExceeded', async () => {
    const ok = await runLocal(jsonata({ P: { Type: 'Pass', Assign: { big: padded(200 * 1024) }, Output: {}, End: true } }), { input: {} });
    expect(ok.status).toBe('SUCCEEDED');
    const over = await runLocal(jsonata({ P: { Type: 'Pass', Assign: { big: padded(257 * 1024) }, Output: {}, End: true } }), { input: {} });
    expect(over).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(over.cause).toContain("'big'");
  });

  it('counts the variables already held towards the 10 MiB total', async () => {
    const states: Record<string, JsonObject> = {};
    for (let i = 0; i < 41; i++) states[`S${i}`] = { Type: 'Pass', Assign: { [`v${i}`]: padded(250 * 1024) }, Output: {}, Next: `S${i + 1}` };
    states.S41 = { Type: 'Succeed' };
    const r = await runLocal(jsonata(states), { input: {} });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(r.events.filter((e) => e.type === 'PassStateExited')).toHaveLength(40);
  });
});
