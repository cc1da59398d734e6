/**
 * StartExecution's group commit (packages/engine/src/start-batcher.ts): many starts at once share commits, and
 * name idempotency is unchanged, also between starts of the same batch: the same name and input returns the same
 * execution, the same name with another input is ExecutionAlreadyExists, and each execution starts exactly once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import { Harness, assertWellFormedHistory } from './support/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'starts', workers: 1, timers: 0, concurrency: 16 });
});
afterAll(async () => {
  await h?.stop();
});

it('concurrent starts, repeated names among them, each execution started once', async () => {
  const sm = await h.createStateMachine('starts', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const start = (name: string, input: unknown) => h.api.startExecution({ stateMachineArn: sm, name, input: JSON.stringify(input) });
  const calls: Promise<unknown>[] = [];
  for (let i = 0; i < 150; i++) calls.push(start(`u${i}`, { i }));
  // Same name and input, at the same moment: one execution, both callers get it.
  for (let i = 0; i < 20; i++) calls.push(start(`same${i}`, { i }), start(`same${i}`, { i }));
  // Same name, another input: exactly one of the two is refused.
  for (let i = 0; i < 20; i++) calls.push(start(`clash${i}`, { a: i }), start(`clash${i}`, { b: i }));
  const settled = await Promise.allSettled(calls);
  const ok = settled.filter((s): s is PromiseFulfilledResult<{ executionArn: string }> => s.status === 'fulfilled').map((s) => s.value.executionArn);
  const refused = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  expect(refused).toHaveLength(20);
  for (const e of refused) expect(e instanceof ApiError && e.code).toBe('ExecutionAlreadyExists');
  expect(ok).toHaveLength(150 + 40 + 20);
  expect(new Set(ok).size).toBe(150 + 20 + 20);

  const { rows } = await h.store.pool.query(
    `SELECT e.name, e.status, (SELECT count(*)::int FROM signals s WHERE s.execution_id = e.id) AS signals
       FROM executions e WHERE e.state_machine_arn = $1`, [sm]);
  expect(rows).toHaveLength(190);
  for (const r of rows) expect(r.signals, r.name).toBe(1);
  for (const arn of new Set(ok)) {
    const d = await h.finished(arn, 30_000);
    expect(d.status).toBe('SUCCEEDED');
    const events = await h.history(arn);
    expect(assertWellFormedHistory(events)).toEqual([]);
    expect(events.filter((e) => e.type === 'ExecutionStarted')).toHaveLength(1);
  }
}, 90_000);
