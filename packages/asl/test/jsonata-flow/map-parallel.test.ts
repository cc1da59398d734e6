import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject } from '@baton/asl';
import { assignedBy, eventOf, jsonata, types } from './helpers.js';

const echo = (states?: Record<string, JsonObject>): JsonObject => ({
  StartAt: 'Item',
  States: states ?? { Item: { Type: 'Pass', End: true } },
});

function mapMachine(map: JsonObject, before?: JsonObject): JsonObject {
  const states: Record<string, JsonObject> = {};
  if (before) states.Before = { ...before, Next: 'M' };
  states.M = { Type: 'Map', ItemProcessor: echo(), End: true, ...map };
  return jsonata(states);
}

describe('JSONata Map', () => {
  it('iterates over the array an Items expression gives', async () => {
    const r = await runLocal(mapMachine({ Items: '{% $states.input.xs[$ > 1] %}' }), { input: { xs: [1, 2, 3] } });
    expect(r.output).toEqual([2, 3]);
  });

  it('evaluates expressions inside a literal Items array', async () => {
    const r = await runLocal(mapMachine({ Items: [1, '{% $states.input.n %}', { k: '{% $states.input.n * 2 %}' }] }), { input: { n: 5 } });
    expect(r.output).toEqual([1, 5, { k: 10 }]);
  });

  it('iterates over its input when there is no Items', async () => {
    const r = await runLocal(mapMachine({}), { input: ['a', 'b'] });
    expect(r.output).toEqual(['a', 'b']);
  });

  it.each([
    ['object', "{'a': 1}", 'object', '{"a":1}'],
    ['string', "'s'", 'string', '"s"'],
    ['null', 'null', 'null', 'null'],
  ])('fails when Items gives %s, recording EvaluationFailed and MapStateFailed', async (_label, expr, type, text) => {
    const r = await runLocal(mapMachine({ Items: `{% ${expr} %}` }), { input: {} });
    expect(r.cause).toBe(
      "An error occurred while executing the state 'M' (entered at the event id #2). " +
        `The JSONata expression '${expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${type}' for value: ${text}`,
    );
    expect(types(r.events)).toEqual(['ExecutionStarted', 'MapStateEntered', 'EvaluationFailed', 'MapStateFailed', 'ExecutionFailed']);
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'Items', state: 'M' });
  });

  it('reads the variables assigned before it in Items', async () => {
    const r = await runLocal(mapMachine({ Items: '{% $list %}' }, { Type: 'Pass', Assign: { list: [7, 8] } }), { input: {} });
    expect(r.output).toEqual([7, 8]);
  });

  it('builds each iteration input with ItemSelector, which sees $states.context.Map.Item and $states.input', async () => {
    const def = mapMachine({
      Items: '{% $states.input.xs %}',
      ItemSelector: { value: '{% $states.context.Map.Item.Value %}', index: '{% $states.context.Map.Item.Index %}', tag: '{% $states.input.tag %}' },
    });
    const r = await runLocal(def, { input: { xs: ['a', 'b'], tag: 't' } });
    expect(r.output).toEqual([{ value: 'a', index: 0, tag: 't' }, { value: 'b', index: 1, tag: 't' }]);
  });

  it('takes MaxConcurrency from an expression', async () => {
    const r = await runLocal(mapMachine({ Items: [1, 2, 3], MaxConcurrency: '{% $states.input.c %}' }), { input: { c: 1 } });
    expect(r.status).toBe('SUCCEEDED');
    const iterationOrder = types(r.events).filter((t) => t.startsWith('MapIteration'));
    expect(iterationOrder).toEqual([
      'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationStarted', 'MapIterationSucceeded',
    ]);
  });

  it('rejects a ToleratedFailurePercentage over 100', async () => {
    const r = await runLocal(mapMachine({ Items: [1], ToleratedFailurePercentage: '{% 101 %}' }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'ToleratedFailurePercentage' });
  });

  it('gives Output and Assign the result array as $states.result', async () => {
    const r = await runLocal(mapMachine({ Items: [1, 2], Output: { n: '{% $count($states.result) %}' }, Assign: { all: '{% $states.result %}' } }), { input: {} });
    expect(r.output).toEqual({ n: 2 });
    expect(assignedBy(r.events, 'M')).toEqual({ all: [1, 2] });
  });

  it('lets iterations read outer variables while their own assignments stay inside', async () => {
    const processor = echo({
      Item: { Type: 'Pass', Assign: { outer: '{% $outer + $states.input %}' }, Next: 'Read' },
      Read: { Type: 'Pass', Output: '{% $outer %}', End: true },
    });
    const def = jsonata({
      Init: { Type: 'Pass', Assign: { outer: 100 }, Next: 'M' },
      M: { Type: 'Map', Items: [1, 2], ItemProcessor: processor, Next: 'After' },
      After: { Type: 'Pass', Output: { results: '{% $states.input %}', outer: '{% $outer %}' }, End: true },
    });
    const r = await runLocal(def, { input: {} });
    expect(r.output).toEqual({ results: [101, 102], outer: 100 });
  });

  it('records EvaluationFailed inside the iteration when an inner state fails', async () => {
    const processor = echo({ Item: { Type: 'Pass', Output: '{% $nothing %}', End: true } });
    const r = await runLocal(jsonata({ M: { Type: 'Map', Items: [1], ItemProcessor: processor, End: true } }), { input: {} });
    expect(types(r.events)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'PassStateEntered', 'EvaluationFailed',
      'MapIterationFailed', 'MapStateFailed', 'ExecutionFailed',
    ]);
  });
});

describe('JSONata Parallel', () => {
  it('gives every branch the evaluated Arguments and outputs the branch results', async () => {
    const branch = (output: string): JsonObject => ({ StartAt: 'B', States: { B: { Type: 'Pass', Output: output, End: true } } });
    const def = jsonata({
      P: {
        Type: 'Parallel',
        Arguments: { n: '{% $states.input.n * 10 %}' },
        Branches: [branch('{% $states.input.n + 1 %}'), branch('{% $states.input.n + 2 %}')],
        Output: { sum: '{% $sum($states.result) %}' },
        End: true,
      },
    });
    const r = await runLocal(def, { input: { n: 1 } });
    expect(r.output).toEqual({ sum: 23 });
  });

  it('keeps branch assignments inside the branch', async () => {
    const def = jsonata({
      Init: { Type: 'Pass', Assign: { v: 'outer' }, Next: 'P' },
      P: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Assign: { v: 'inner' }, Next: 'C' }, C: { Type: 'Pass', Output: '{% $v %}', End: true } } }],
        Next: 'After',
      },
      After: { Type: 'Pass', Output: { branch: '{% $states.input[0] %}', v: '{% $v %}' }, End: true },
    });
    const r = await runLocal(def, { input: {} });
    expect(r.output).toEqual({ branch: 'inner', v: 'outer' });
  });
});
