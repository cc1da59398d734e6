/**
 * Distributed Map through the durable engine (Postgres + BullMQ, two workers): children are executions of a Map
 * Run, listed by ListExecutions(mapRunArn), with their own history; the parent's history holds only the Map Run
 * events; DescribeMapRun counts items and children; tolerance, batching, ItemSelector, StopExecution, UpdateMapRun.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../engine/support/harness.js';

const distributed = (states: object, extra: object = {}) => ({
  StartAt: 'Map',
  States: {
    Map: {
      Type: 'Map', End: true, ItemsPath: '$.items',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: states },
      ...extra,
    },
  },
});

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ label: 'maprun', workers: 2, timers: 1, concurrency: 16, engine: { mapRunPollMs: 20 } });
});
afterAll(async () => {
  await h?.stop();
});

async function mapRunOf(executionArn: string): Promise<string> {
  const runs = await h.api.listMapRuns({ executionArn });
  expect(runs.mapRuns).toHaveLength(1);
  return runs.mapRuns[0]!.mapRunArn;
}

describe('Distributed Map on the engine', () => {
  it('runs each item as a child execution and keeps the children out of the parent history', async () => {
    const sm = await h.createStateMachine('dm-basic', distributed({ P: { Type: 'Pass', Parameters: { 'v.$': '$.v', 'i.$': '$.i' }, End: true } }, {
      ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' }, Label: 'Rows',
    }));
    const arn = await h.start(sm, { items: ['a', 'b', 'c', 'd', 'e'] }, 'e1');
    const d = await h.finished(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual([{ v: 'a', i: 0 }, { v: 'b', i: 1 }, { v: 'c', i: 2 }, { v: 'd', i: 3 }, { v: 'e', i: 4 }]);
    expect(await h.types(arn)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
    ]);
    const mapRunArn = await mapRunOf(arn);
    expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:dm-basic\/Rows:[0-9a-f-]{36}$/);
    const children = await h.api.listExecutions({ mapRunArn });
    expect(children.executions).toHaveLength(5);
    for (const c of children.executions) {
      expect(c.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:dm-basic\/Rows:[0-9a-f-]{36}$/);
      expect(c).toMatchObject({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:dm-basic/Rows', status: 'SUCCEEDED', mapRunArn, itemCount: 1 });
      const described = await h.api.describeExecution({ executionArn: c.executionArn });
      expect(described.mapRunArn).toBe(mapRunArn);
      expect(await h.types(c.executionArn)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    }
    const mr = await h.api.describeMapRun({ mapRunArn });
    expect(mr).toMatchObject({ status: 'SUCCEEDED', executionArn: arn, maxConcurrency: 10_000 });
    expect(mr.itemCounts).toMatchObject({ total: 5, succeeded: 5, failed: 0, running: 0, pending: 0 });
    expect(mr.executionCounts).toMatchObject({ total: 5, succeeded: 5 });
  });

  it('batches items: each child receives {BatchInput, Items}', async () => {
    const sm = await h.createStateMachine('dm-batch', {
      StartAt: 'Map',
      States: {
        Map: {
          Type: 'Map', End: true, ItemsPath: '$.items', MaxConcurrency: 2,
          ItemBatcher: { MaxItemsPerBatch: 3, BatchInput: { 'tag.$': '$.tag' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    });
    const arn = await h.start(sm, { tag: 't', items: [1, 2, 3, 4, 5, 6, 7] });
    const d = await h.finished(arn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual([
      { BatchInput: { tag: 't' }, Items: [1, 2, 3] }, { BatchInput: { tag: 't' }, Items: [4, 5, 6] }, { BatchInput: { tag: 't' }, Items: [7] },
    ]);
    const mapRunArn = await mapRunOf(arn);
    const mr = await h.api.describeMapRun({ mapRunArn });
    expect(mr.itemCounts).toMatchObject({ total: 7, succeeded: 7 });
    expect(mr.executionCounts).toMatchObject({ total: 3, succeeded: 3 });
    const children = await h.api.listExecutions({ mapRunArn });
    expect(children.executions.map((c) => c.itemCount).sort()).toEqual([1, 3, 3]);
    expect(children.executions[0]!.executionArn).toMatch(/:express:dm-batch\/Map:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
  });

  it('shapes the state output with WriterConfig alone (FLATTEN splices the children\'s arrays)', async () => {
    const sm = await h.createStateMachine('dm-flatten', distributed({ P: { Type: 'Pass', Parameters: { 'pair.$': 'States.Array($, $)' }, OutputPath: '$.pair', End: true } }, {
      ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSON' } },
    }));
    const d = await h.finished(await h.start(sm, { items: [1, 2] }));
    expect(JSON.parse(d.output!)).toEqual([1, 1, 2, 2]);
  });

  it('fails the Map Run when failures exceed the tolerance, and tolerates them within it', async () => {
    const states = { P: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 0, Next: 'Bad' }], Default: 'Ok' }, Bad: { Type: 'Fail', Error: 'Boom', Cause: 'zero' }, Ok: { Type: 'Pass', End: true } };
    const strict = await h.createStateMachine('dm-strict', distributed(states));
    const failed = await h.finished(await h.start(strict, { items: [1, 0, 2] }));
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' });
    const lenient = await h.createStateMachine('dm-lenient', distributed(states, { ToleratedFailureCount: 1 }));
    const ok = await h.finished(await h.start(lenient, { items: [1, 0, 2] }));
    expect(ok.status).toBe('SUCCEEDED');
    const out = JSON.parse(ok.output!) as unknown[];
    expect(out[0]).toBe(1);
    expect(out[1]).toMatchObject({ Error: 'Boom', Cause: 'zero', Status: 'FAILED' });
    expect(out[2]).toBe(2);
  });

  it('a failing JSONata ItemSelector fails the Map Run with EvaluationFailed at its location, as an inline Map records it', async () => {
    const sm = await h.createStateMachine('dm-selector', {
      QueryLanguage: 'JSONata', StartAt: 'Map',
      States: {
        Map: {
          Type: 'Map', End: true, Items: '{% $states.input.items %}', ItemSelector: { a: '{% $states.context.Map.Item.Value.missing %}' },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        },
      },
    });
    const arn = await h.start(sm, { items: [{ x: 1 }] });
    const d = await h.finished(arn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(d.cause).toMatch(/^An error occurred while executing the state 'Map' \(entered at the event id #2\)\. The JSONata expression .* specified for the field 'ItemSelector\/a' returned nothing \(undefined\)\.$/);
    expect(await h.types(arn)).toEqual([
      'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'EvaluationFailed', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed',
    ]);
    const events = (await h.api.getExecutionHistory({ executionArn: arn })).events!;
    expect(events.find((e) => e.type === 'EvaluationFailed')!.evaluationFailedEventDetails).toMatchObject({ location: 'ItemSelector/a', state: 'Map', cause: d.cause });
  });

  it('stops the children when the parent is stopped, and applies UpdateMapRun to the running Map Run', async () => {
    const sm = await h.createStateMachine('dm-stop', distributed({ P: { Type: 'Wait', Seconds: 600, End: true } }, { MaxConcurrency: 2 }));
    const arn = await h.start(sm, { items: [1, 2, 3, 4, 5, 6] });
    const mapRunArn = await h.waitFor('map run', async () => (await h.api.listMapRuns({ executionArn: arn })).mapRuns[0]?.mapRunArn);
    await h.waitFor('two children', async () => ((await h.api.listExecutions({ mapRunArn })).executions.length === 2 ? true : undefined));
    await h.api.updateMapRun({ mapRunArn, maxConcurrency: 4 });
    await h.waitFor('four children', async () => ((await h.api.listExecutions({ mapRunArn })).executions.length === 4 ? true : undefined));
    expect((await h.api.describeMapRun({ mapRunArn })).maxConcurrency).toBe(4);
    await h.api.stopExecution({ executionArn: arn });
    expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('ABORTED');
    expect(await h.types(arn)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'ExecutionAborted']);
    await h.waitFor('children aborted', async () => {
      const kids = (await h.api.listExecutions({ mapRunArn })).executions;
      return kids.every((k) => k.status === 'ABORTED') ? true : undefined;
    });
    const mr = await h.waitFor('map run aborted', async () => {
      const m = await h.api.describeMapRun({ mapRunArn });
      return m.status === 'ABORTED' ? m : undefined;
    });
    expect(mr.executionCounts).toMatchObject({ total: 4, aborted: 4, running: 0 });
  });
});
