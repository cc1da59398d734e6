/**
 * RedriveExecution on the engine over Postgres: the redrive is one transaction (a failure after the execution row
 * was updated, before the signal was written, leaves the execution exactly as it was, and a later redrive works),
 * and a redrive runs the definition the execution started with, not the state machine's latest.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Engine, InThreadEvaluator, type EngineStore, type StoreSession } from '@baton/engine';
import { InProcessQueue } from '@baton/queue';
import { Harness } from './support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ label: 'redrive' });
});
afterAll(async () => {
  await h?.stop();
});

/** The harness's store, whose transactions fail when they insert a `redrive` signal (after updating the row). */
function failingAtTheSignal(store: EngineStore): EngineStore {
  const session = (tx: StoreSession): StoreSession => new Proxy(tx, {
    get(target, key, receiver) {
      if (key !== 'signals') return Reflect.get(target, key, receiver) as unknown;
      return new Proxy(target.signals, {
        get(signals, k, r) {
          if (k !== 'insert') return Reflect.get(signals, k, r) as unknown;
          return async (executionId: string, signal: { kind: string }) => {
            if (signal.kind === 'redrive') throw new Error('the process died here');
            return signals.insert(executionId, signal as never);
          };
        },
      });
    },
  });
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'transaction') return <T>(fn: (tx: StoreSession) => Promise<T>) => target.transaction((tx) => fn(session(tx)));
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

it('is one transaction: a failure before its commit leaves the execution as it was', async () => {
  const sm = await h.createStateMachine('crash', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'E', Cause: 'c' } } });
  const arn = await h.start(sm, {}, 'c1');
  const ended = await h.finished(arn);
  expect(ended).toMatchObject({ status: 'FAILED', redriveStatus: 'REDRIVABLE', redriveCount: 0 });
  const historyBefore = await h.types(arn);

  const queue = new InProcessQueue();
  const replica = new Engine({ store: failingAtTheSignal(h.store), queue, evaluation: new InThreadEvaluator() });
  try {
    await expect(replica.redriveExecution({ executionArn: arn, clientToken: 'crash-1' })).rejects.toThrow('the process died here');
  } finally {
    await replica.close();
    await queue.close();
  }
  const after = await h.api.describeExecution({ executionArn: arn });
  expect(after).toMatchObject({ status: 'FAILED', error: 'E', cause: 'c', redriveCount: 0, redriveStatus: 'REDRIVABLE', stopDate: ended.stopDate });
  expect(after.redriveDate).toBeUndefined();
  expect(await h.types(arn)).toEqual(historyBefore);
  const row = await h.store.executions.getByArn(arn);
  expect(await h.store.signals.pending(row!.id)).toEqual([]);

  // The token was not kept either: the same token redrives now.
  const { redriveDate } = await h.api.redriveExecution({ executionArn: arn, clientToken: 'crash-1' });
  await h.waitFor('the redrive to end', async () => {
    const d = await h.api.describeExecution({ executionArn: arn });
    return d.status !== 'RUNNING' && d.redriveCount === 1 ? d : undefined;
  });
  expect(await h.api.describeExecution({ executionArn: arn })).toMatchObject({ status: 'FAILED', redriveCount: 1, redriveDate });
  expect((await h.types(arn)).slice(historyBefore.length)).toEqual(['ExecutionRedriven', 'FailStateEntered', 'ExecutionFailed']);
});

it('runs the definition the execution started with, not the state machine updated since', async () => {
  const sm = await h.createStateMachine('versioned', { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'F' }, F: { Type: 'Fail', Error: 'Old' } } });
  const arn = await h.start(sm, {}, 'v1');
  expect((await h.finished(arn)).error).toBe('Old');
  await h.api.updateStateMachine({
    stateMachineArn: sm, definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'F' }, F: { Type: 'Pass', End: true } } }),
  });
  await h.api.redriveExecution({ executionArn: arn });
  const d = await h.waitFor('the redrive to end', async () => {
    const x = await h.api.describeExecution({ executionArn: arn });
    return x.status !== 'RUNNING' && x.redriveCount === 1 ? x : undefined;
  });
  expect(d).toMatchObject({ status: 'FAILED', error: 'Old' });
});
