/** Two workers and two timer services on one database and queue: every timer fires exactly once. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { fn, TestInvoker } from './support/test-invoker.js';

let h: Harness;

beforeAll(async () => {
  h = await Harness.start({ label: 'replicas', invoker: new TestInvoker(), workers: 2, timers: 2 });
});
afterAll(async () => {
  await h?.stop();
});

it('nothing fires twice', async () => {
  const sm = await h.createStateMachine('replicated', {
    StartAt: 'W1', States: {
      W1: { Type: 'Wait', Seconds: 1, Next: 'T' },
      T: { Type: 'Task', Resource: fn('flaky'), Parameters: { failures: 1 }, Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1 }], Next: 'W2' },
      W2: { Type: 'Wait', Seconds: 1, End: true },
    },
  });
  const arns = await Promise.all(Array.from({ length: 60 }, (_, i) => h.start(sm, { i })));
  for (const arn of arns) {
    const d = await h.finished(arn, 60_000);
    expect(d.status).toBe('SUCCEEDED');
    const events = await h.history(arn);
    expect(assertWellFormedHistory(events)).toEqual([]);
    expect(events.filter((e) => e.type === 'WaitStateExited')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'LambdaFunctionScheduled')).toHaveLength(2);
  }
  const { rows } = await h.store.pool.query(`
    SELECT execution_id, body->>'timerId' AS timer, count(*)::int AS n FROM signals
    WHERE body->>'kind' = 'timerFired' GROUP BY 1, 2 HAVING count(*) > 1`);
  expect(rows).toEqual([]);
  const fired = h.replicas.map((r) => r.timer?.fired ?? 0).filter((_, i) => h.replicas[i]!.timer);
  expect(fired.reduce((a, b) => a + b, 0)).toBe(60 * 3); // two Waits and one retry backoff each
  expect(fired.every((n) => n > 0), `both timer replicas fired some timers: ${fired.join(', ')}`).toBe(true);
}, 90_000);

// Revisions are kept after a delete (executions keep what they ran), and each worker caches compiled programs by
// (state machine, revision). A name deleted and created again reused revision 1, so it ran the old definition.
it('a state machine deleted and created again runs its new definition on every worker', async () => {
  const definition = (result: string) => ({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
  const run = async (sm: string, n: number) => {
    const arns = await Promise.all(Array.from({ length: n }, () => h.start(sm)));
    return Promise.all(arns.map(async (arn) => ({ arn, d: await h.finished(arn, 30_000) })));
  };
  const sm = await h.createStateMachine('recreated', definition('old'));
  // Enough executions that both workers compile and cache the first definition.
  expect((await run(sm, 20)).map((r) => r.d.output)).toEqual(Array(20).fill('"old"'));
  await h.api.deleteStateMachine({ stateMachineArn: sm });
  expect(await h.createStateMachine('recreated', definition('new'))).toBe(sm);
  const after = await run(sm, 20);
  expect(after.map((r) => r.d.output)).toEqual(Array(20).fill('"new"'));
  const shown = await h.api.describeStateMachineForExecution({ executionArn: after[0]!.arn });
  expect(JSON.parse(shown.definition).States.P.Result).toBe('new');
}, 90_000);
