/**
 * The pure Map Run rules shared by the engine and the in-memory runner, and a Distributed Map through `runLocal`:
 * the parent history holds only the Map Run events, children see ItemSelector and batches, and what this runner
 * cannot do (read S3) fails clearly instead of mapping over the input.
 */
import { describe, expect, it } from 'vitest';
import { ItemBatches, resultEntries, runLocal, selectItem, seededRandom, toleranceExceeded, type ChildRecord, type Json } from '../../src/index.js';

const env = { random: seededRandom(1), now: 0 };

describe('ItemBatches', () => {
  it('closes a batch when the next item would exceed MaxItemsPerBatch or MaxInputBytesPerBatch', () => {
    const count = new ItemBatches({ maxItemsPerBatch: 2, maxInputBytesPerBatch: 0, batchInput: { b: 1 } }, 262_144);
    const out = [count.add(1, 0), count.add(2, 1), count.add(3, 2), count.flush()];
    expect(out).toEqual([undefined, undefined, { input: { BatchInput: { b: 1 }, Items: [1, 2] }, firstItem: 0, itemCount: 2 }, { input: { BatchInput: { b: 1 }, Items: [3] }, firstItem: 2, itemCount: 1 }]);
    const bytes = new ItemBatches({ maxItemsPerBatch: 0, maxInputBytesPerBatch: 30 }, 262_144);
    const closed = ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((s, i) => bytes.add(s, i)).filter(Boolean);
    expect(closed).toEqual([{ input: { Items: ['aaaaaaaa'] }, firstItem: 0, itemCount: 1 }, { input: { Items: ['bbbbbbbb'] }, firstItem: 1, itemCount: 1 }]);
    expect(() => bytes.add('x'.repeat(40), 3)).toThrow(/does not fit in a batch of 30 bytes/);
  });

  it('gives each item to its own child without a batcher', () => {
    expect(new ItemBatches(undefined, 262_144).add({ a: 1 }, 7)).toEqual({ input: { a: 1 }, firstItem: 7, itemCount: 1 });
  });
});

describe('ItemSelector per item', () => {
  it('sees $$.Map.Item (JSONPath) and $states.context.Map.Item (JSONata)', async () => {
    const context = { Execution: { Id: 'e' } };
    expect(await selectItem({ queryLanguage: 'JSONPath', template: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'k.$': '$.k' }, input: { k: 'K' }, context, variables: {} }, 'x', 3, env))
      .toEqual({ v: 'x', i: 3, k: 'K' });
    expect(await selectItem({ queryLanguage: 'JSONata', template: { v: '{% $states.context.Map.Item.Value & $suffix %}' }, input: {}, context, variables: { suffix: '!' } }, 'x', 0, env))
      .toEqual({ v: 'x!' });
  });
});

describe('tolerance and results', () => {
  it('tolerates nothing without thresholds; either threshold not exceeded is enough; a percentage waits for the total', () => {
    expect(toleranceExceeded({}, 1, undefined)).toBe(true);
    expect(toleranceExceeded({ toleratedFailureCount: 2 }, 2, undefined)).toBe(false);
    expect(toleranceExceeded({ toleratedFailureCount: 2 }, 3, undefined)).toBe(true);
    expect(toleranceExceeded({ toleratedFailurePercentage: 10 }, 5, undefined)).toBe(false);
    expect(toleranceExceeded({ toleratedFailurePercentage: 10 }, 5, 100)).toBe(false);
    expect(toleranceExceeded({ toleratedFailurePercentage: 10 }, 11, 100)).toBe(true);
    expect(toleranceExceeded({ toleratedFailurePercentage: 0 }, 1, undefined)).toBe(true);
  });

  it('COMPACT gives outputs, FLATTEN splices arrays, NONE and failures give the metadata', () => {
    const ok: ChildRecord = {
      executionArn: 'arn:x', name: 'n', stateMachineArn: 'sm', status: 'SUCCEEDED', input: '{}', output: '[1,2]', error: null, cause: null,
      startDate: 'date', stopDate: 'date',
    };
    expect(resultEntries(ok, 'COMPACT')).toEqual([[1, 2]]);
    expect(resultEntries(ok, 'FLATTEN')).toEqual([1, 2]);
    expect(resultEntries(ok, 'NONE')[0]).toMatchObject({ ExecutionArn: 'arn:x', Output: '[1,2]', Status: 'SUCCEEDED' });
    const failed = { ...ok, status: 'FAILED' as const, output: null, error: 'E', cause: 'C' };
    expect(resultEntries(failed, 'COMPACT')).toEqual([expect.objectContaining({ Error: 'E', Cause: 'C', Status: 'FAILED' })]);
  });
});

describe('a Distributed Map in runLocal', () => {
  const def = (extra: Record<string, Json>) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', End: true, ...extra,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      },
    },
  });

  it('runs the children as executions and records only the Map Run in the parent history', async () => {
    const r = await runLocal(def({ ItemsPath: '$.items', ItemBatcher: { MaxItemsPerBatch: 2 } }), { input: { items: [1, 2, 3] } });
    expect(r.output).toEqual([{ Items: [1, 2] }, { Items: [3] }]);
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('fails an S3 ItemReader with States.ItemReaderFailed instead of mapping over the input', async () => {
    const r = await runLocal(def({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV' }, Parameters: { Bucket: 'b', Key: 'k.csv' } },
    }), { input: [1, 2] });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(r.events.map((e) => e.type).slice(-3)).toEqual(['MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
  });

  it('reports a negative MaxItems as States.ItemReaderFailed after MapRunStarted, as AWS records', async () => {
    const r = await runLocal(def({
      ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', MaxItemsPath: '$.max' }, Parameters: { Bucket: 'b', Key: 'k.csv' } },
    }), { input: { max: -1 } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'field MaxItems must be positive' });
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
  });
});
