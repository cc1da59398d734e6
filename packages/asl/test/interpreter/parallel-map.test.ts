import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject } from '@baton/asl';

describe('Parallel', () => {
  const parallel = (branches: JsonObject[], extra: JsonObject = {}): JsonObject => ({
    StartAt: 'P',
    States: { P: { Type: 'Parallel', Branches: branches, ...extra, End: true }, Caught: { Type: 'Pass', End: true } },
  });
  const branch = (state: JsonObject): JsonObject => ({ StartAt: 'B', States: { B: { ...state, End: true } } });

  it('gives every branch the same input and joins the outputs in branch order', async () => {
    const def = parallel([branch({ Type: 'Pass', Result: 1 }), branch({ Type: 'Pass', InputPath: '$.x' }), branch({ Type: 'Wait', Seconds: 5 })]);
    const r = await runLocal(def, { input: { x: 'in' } });
    expect(r.output).toEqual([1, 'in', { x: 'in' }]);
    const types = r.events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    expect(types.slice(-3)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
  });

  it('one failed branch fails the state with its error, and aborts the others', async () => {
    const def = parallel([branch({ Type: 'Wait', Seconds: 100 }), branch({ Type: 'Fail', Error: 'Nope', Cause: 'c' })]);
    const r = await runLocal(def, { input: {} });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'c' });
    const types = r.events.map((e) => e.type);
    expect(types).toContain('WaitStateAborted');
    expect(types).toContain('ParallelStateFailed');
    expect(r.endTime).toBe(Date.UTC(2024, 0, 1));
  });

  it('Catch on a Parallel state catches a branch failure', async () => {
    const def: JsonObject = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [branch({ Type: 'Fail', Error: 'Nope' })], Catch: [{ ErrorEquals: ['Nope'], Next: 'Caught', ResultPath: '$.e' }], Next: 'Caught' },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const r = await runLocal(def, { input: { k: 1 } });
    expect(r.output).toEqual({ k: 1, e: { Error: 'Nope' } });
  });
});

describe('Map (inline)', () => {
  const map = (extra: JsonObject, processor: JsonObject = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }): JsonObject => ({
    StartAt: 'M',
    States: { M: { Type: 'Map', ItemProcessor: processor, ...extra, End: true } },
  });

  it('iterates ItemsPath with ItemSelector and $$.Map.Item', async () => {
    const def = map({ ItemsPath: '$.items', ItemSelector: { 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value', 'k.$': '$.k' } });
    const r = await runLocal(def, { input: { items: ['a', 'b'], k: 9 } });
    expect(r.output).toEqual([{ i: 0, v: 'a', k: 9 }, { i: 1, v: 'b', k: 9 }]);
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(2);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(2);
    expect(r.events.find((e) => e.type === 'MapStateStarted')).toMatchObject({ mapStateStartedEventDetails: { length: 2 } });
  });

  it('accepts the legacy Iterator and Parameters fields', async () => {
    const def: JsonObject = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Parameters: { 'x.$': '$$.Map.Item.Value' }, End: true },
      },
    };
    expect((await runLocal(def, { input: [1, 2] })).output).toEqual([{ x: 1 }, { x: 2 }]);
  });

  it('respects MaxConcurrency', async () => {
    const def = map({ MaxConcurrency: 2 }, { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } });
    // The runner answers each task in a later step, so the history shows how many were outstanding at once.
    const r = await runLocal(def, {
      input: [1, 2, 3, 4, 5],
      taskHandler: (task) => ({ ok: true, output: task.parameters }),
    });
    expect(r.output).toEqual([1, 2, 3, 4, 5]);
    const scheduledBeforeFirstSuccess = r.events.slice(0, r.events.findIndex((e) => e.type === 'TaskSucceeded')).filter((e) => e.type === 'TaskScheduled');
    expect(scheduledBeforeFirstSuccess).toHaveLength(2);
    let outstanding = 0;
    for (const e of r.events) {
      if (e.type === 'TaskScheduled') outstanding++;
      if (e.type === 'TaskSucceeded') outstanding--;
      expect(outstanding).toBeLessThanOrEqual(2);
    }
  });

  it('tolerates failures up to ToleratedFailureCount, then fails with States.ExceedToleratedFailureThreshold', async () => {
    const proc = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 2, Next: 'F' }], Default: 'OK' }, OK: { Type: 'Pass', End: true }, F: { Type: 'Fail', Error: 'Big' } } };
    const ok = await runLocal(map({ ToleratedFailureCount: 1 }, proc), { input: [1, 2, 3] });
    expect(ok.status).toBe('SUCCEEDED');
    expect((ok.output as unknown[]).slice(0, 2)).toEqual([1, 2]);
    const bad = await runLocal(map({ ToleratedFailureCount: 1 }, proc), { input: [1, 3, 4] });
    expect(bad).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
  });

  it('an empty array succeeds with []', async () => {
    const r = await runLocal(map({}), { input: [] });
    expect(r.output).toEqual([]);
  });

  it('fails with States.Runtime when the items are not an array', async () => {
    const r = await runLocal(map({ ItemsPath: '$.x' }), { input: { x: 5 } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});

describe('Parallel branch task failure', () => {
  it('records TaskFailed, TaskStateAborted on the failed branch, then ParallelStateFailed', async () => {
    const def: JsonObject = {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } }],
          End: true,
        },
      },
    };
    const r = await runLocal(def, { input: {}, mocks: { T: { Throw: { Error: 'Boom' } } } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'Boom' });
    const types = r.events.map((e) => e.type);
    expect(types.slice(types.indexOf('TaskFailed'))).toEqual(['TaskFailed', 'TaskStateAborted', 'ParallelStateFailed', 'ExecutionFailed']);
  });
});
