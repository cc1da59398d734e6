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

it('a start naming a missing machine fails alone in its batch; versions, deletions and error order as for a lone start', async () => {
  const sm = await h.createStateMachine('mixed', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const gone = await h.createStateMachine('gone', { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
  const { stateMachineVersionArn } = await h.api.publishStateMachineVersion({ stateMachineArn: sm });
  await h.api.deleteStateMachine({ stateMachineArn: gone });
  const missing = sm.replace(/:mixed$/, ':never-created');
  const calls = [
    ...Array.from({ length: 30 }, (_, i) => h.api.startExecution({ stateMachineArn: sm, name: `ok${i}` })),
    h.api.startExecution({ stateMachineArn: missing, name: 'm1' }),
    h.api.startExecution({ stateMachineArn: gone, name: 'g1' }),
    h.api.startExecution({ stateMachineArn: stateMachineVersionArn!, name: 'v1' }),
    // Both wrong: the missing machine is the error named, as it always was; then the name, then the input.
    h.api.startExecution({ stateMachineArn: missing, name: 'bad name' }),
    h.api.startExecution({ stateMachineArn: sm, name: 'bad name' }),
    h.api.startExecution({ stateMachineArn: sm, name: 'bad-input', input: '{' }),
    // A NUL escape is legal in a JSON document (and in a json column), though not in text: kept as given.
    h.api.startExecution({ stateMachineArn: sm, name: 'nul', input: '{"k":"\\u0000 é"}' }),
  ];
  const settled = await Promise.allSettled(calls);
  const code = (s: PromiseSettledResult<unknown>): string => (s.status === 'fulfilled' ? 'ok' : s.reason instanceof ApiError ? s.reason.code : String(s.reason));
  expect(settled.slice(0, 30).map(code)).toEqual(Array(30).fill('ok'));
  expect(settled.slice(30).map(code)).toEqual([
    'StateMachineDoesNotExist', 'StateMachineDoesNotExist', 'ok', 'StateMachineDoesNotExist', 'InvalidName', 'InvalidExecutionInput', 'ok',
  ]);
  const nul = await h.api.describeExecution({ executionArn: (settled[36] as PromiseFulfilledResult<{ executionArn: string }>).value.executionArn });
  expect(nul.input).toBe('{"k":"\\u0000 é"}');
  expect(JSON.parse((await h.finished(nul.executionArn, 30_000)).output!)).toEqual({ k: '\u0000 é' });
  const missingError = (settled[30] as PromiseRejectedResult).reason as ApiError;
  expect(missingError.message).toBe(`State Machine Does Not Exist: '${missing}'`);
  const v = await h.api.describeExecution({ executionArn: (settled[32] as PromiseFulfilledResult<{ executionArn: string }>).value.executionArn });
  expect(v.stateMachineVersionArn).toBe(stateMachineVersionArn);
  const { rows } = await h.store.pool.query(`SELECT count(*)::int AS n FROM executions WHERE state_machine_arn = $1`, [sm]);
  expect(rows[0].n).toBe(32);
}, 60_000);
