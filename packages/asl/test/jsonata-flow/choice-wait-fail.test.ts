import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject } from '@baton/asl';
import { START, assignedBy, eventOf, jsonata, types } from './helpers.js';

function choiceMachine(choice: JsonObject): JsonObject {
  return jsonata({
    C: { Type: 'Choice', ...choice },
    Yes: { Type: 'Pass', End: true },
    No: { Type: 'Pass', End: true },
  });
}

describe('JSONata Choice', () => {
  const rules = [
    { Condition: '{% $states.input.n < 0 %}', Next: 'No' },
    { Condition: '{% $states.input.n > 10 %}', Next: 'Yes' },
    { Condition: '{% $states.input.n > 5 %}', Next: 'No' },
  ];

  it('takes the first rule whose Condition is true, in order', async () => {
    const r = await runLocal(choiceMachine({ Choices: rules, Default: 'No' }), { input: { n: 20 } });
    expect(r.events.filter((e) => e.type === 'PassStateEntered').map((e) => (e.stateEnteredEventDetails as { name: string }).name)).toEqual(['Yes']);
  });

  it('goes to Default when no rule matches, and fails with States.NoChoiceMatched without one', async () => {
    const withDefault = await runLocal(choiceMachine({ Choices: rules, Default: 'Yes' }), { input: { n: 3 } });
    expect(eventOf(withDefault.events, 'PassStateEntered').stateEnteredEventDetails).toMatchObject({ name: 'Yes' });
    const without = await runLocal(choiceMachine({ Choices: rules }), { input: { n: 3 } });
    expect(without).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });

  it('accepts a literal boolean Condition', async () => {
    const r = await runLocal(choiceMachine({ Choices: [{ Condition: true, Next: 'Yes' }], Default: 'No' }), { input: {} });
    expect(eventOf(r.events, 'PassStateEntered').stateEnteredEventDetails).toMatchObject({ name: 'Yes' });
  });

  it('fails when a Condition is not a boolean', async () => {
    const r = await runLocal(choiceMachine({ Choices: [{ Condition: '{% $states.input.n %}', Next: 'Yes' }], Default: 'No' }), { input: { n: 1 } });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain("The JSONata expression '$states.input.n' specified for the field 'Choices[0]/Condition' returned an unexpected result type. Expected 'boolean', but was 'number' for value: 1");
    expect(types(r.events)).toEqual(['ExecutionStarted', 'ChoiceStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
  });

  const withBlocks: JsonObject = {
    Choices: [{ Condition: '{% $states.input.ok %}', Next: 'Yes', Assign: { picked: 'rule' }, Output: { from: 'rule' } }],
    Default: 'No',
    Assign: { picked: 'state', always: '{% $states.input.ok %}' },
    Output: { from: 'state' },
  };

  it("applies a matching rule's Output and Assign (over the state-level Assign)", async () => {
    const r = await runLocal(choiceMachine(withBlocks), { input: { ok: true } });
    expect(assignedBy(r.events, 'C')).toEqual({ picked: 'rule', always: true });
    expect(r.output).toEqual({ from: 'rule' });
  });

  it('applies the state-level Output and Assign on the Default path', async () => {
    const r = await runLocal(choiceMachine(withBlocks), { input: { ok: false } });
    expect(assignedBy(r.events, 'C')).toEqual({ picked: 'state', always: false });
    expect(r.output).toEqual({ from: 'state' });
  });

  it('outputs its input when neither the rule nor the state has Output', async () => {
    const r = await runLocal(choiceMachine({ Choices: [{ Condition: true, Next: 'Yes' }] }), { input: { k: 'v' } });
    expect(r.output).toEqual({ k: 'v' });
  });
});

describe('JSONata Wait', () => {
  it('waits the number of seconds an expression gives, then applies Output and Assign', async () => {
    const def = jsonata({
      W: { Type: 'Wait', Seconds: '{% $states.input.delay * 2 %}', Output: { waited: true }, Assign: { d: '{% $states.input.delay %}' }, End: true },
    });
    const r = await runLocal(def, { input: { delay: 5 }, startTime: START });
    expect(r.endTime - START).toBe(10_000);
    expect(r.output).toEqual({ waited: true });
    expect(assignedBy(r.events, 'W')).toEqual({ d: 5 });
  });

  it('waits until a Timestamp from an expression', async () => {
    const def = jsonata({ W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } });
    const r = await runLocal(def, { input: { at: '2024-01-01T00:01:00.123456789Z' }, startTime: START });
    expect(r.endTime).toBe(START + 60_123);
  });

  it('fails on an unparsable Timestamp with location Timestamp, pointing the event at WaitStateEntered', async () => {
    const def = jsonata({ W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } });
    const r = await runLocal(def, { input: { at: '2024-01-01T00:01:00' } });
    const cause =
      "An error occurred while executing the state 'W' (entered at the event id #2). " +
      'The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2024-01-01T00:01:00';
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError', cause });
    const failed = eventOf(r.events, 'EvaluationFailed');
    expect(failed.evaluationFailedEventDetails).toEqual({ error: 'States.QueryEvaluationError', cause, location: 'Timestamp', state: 'W' });
    expect(failed.previousEventId).toBe(2);
  });

  it.each([['"5"', '{% "5" %}'], ['1.5', '{% 1.5 %}']])('rejects Seconds that are not an integer (%s)', async (_label, seconds) => {
    const r = await runLocal(jsonata({ W: { Type: 'Wait', Seconds: seconds, End: true } }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain("specified for the field 'Seconds' returned an unexpected result type. Expected 'integer'");
  });

  it('rejects negative Seconds', async () => {
    const r = await runLocal(jsonata({ W: { Type: 'Wait', Seconds: '{% -1 %}', End: true } }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'Seconds' });
  });
});

describe('JSONata Fail', () => {
  it('evaluates Error and Cause', async () => {
    const def = jsonata({ F: { Type: 'Fail', Error: '{% "E." & $states.input.kind %}', Cause: '{% $string($states.input.n) %}' } });
    const r = await runLocal(def, { input: { kind: 'Bad', n: 3 } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'E.Bad', cause: '3' });
  });

  it('leaves out what is not given', async () => {
    const r = await runLocal(jsonata({ F: { Type: 'Fail', Cause: '{% $states.input.c %}' } }), { input: { c: 'why' } });
    expect(r.status).toBe('FAILED');
    expect(r.cause).toBe('why');
    expect(r.error ?? '').toBe('');
  });

  it('requires a string', async () => {
    const r = await runLocal(jsonata({ F: { Type: 'Fail', Error: '{% 42 %}' } }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain("specified for the field 'Error' returned an unexpected result type. Expected 'string', but was 'number' for value: 42");
  });
});
