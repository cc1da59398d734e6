/**
 * A job's loop carries a `continue` from one step to the next (transition-runner.ts `attempt`, the store's
 * `commitStep` with `continuedBy`): a chain of local states cut into steps (maxTransitionsPerStep) is stepped from
 * the document each commit wrote, without loading the execution again, and the commit records the next step's
 * attempt (the poison guard counts it as a load would). A signal that arrives meanwhile (a stop) ends the carrying:
 * the next step loads, and takes it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness, assertWellFormedHistory } from './support/harness.js';

let h: Harness;
let loads = 0;

beforeAll(async () => {
  h = await Harness.start({ label: 'carried', workers: 1, timers: 1, engine: { maxTransitionsPerStep: 1 } });
  const executions = h.replicas[0]!.store.executions;
  const load = executions.loadForStep.bind(executions);
  executions.loadForStep = (id, owner) => {
    loads++;
    return load(id, owner);
  };
});
afterAll(async () => {
  await h?.stop();
});

const chain = (n: number, extra: Record<string, unknown> = {}) => {
  const states: Record<string, object> = {};
  for (let i = 0; i < n; i++) states[`S${i}`] = { Type: 'Pass', Result: i, ResultPath: `$.s${i}`, ...(i < n - 1 ? { Next: `S${i + 1}` } : { End: true }), ...extra };
  return { StartAt: 'S0', States: states };
};

it('a chain of local states, one step each, loads the execution once for the chain and once to find nothing left', async () => {
  const sm = await h.createStateMachine('chain', chain(10));
  loads = 0;
  const arn = await h.start(sm, { x: 1 });
  const d = await h.finished(arn);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual({ x: 1, ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`s${i}`, i])) });
  const events = await h.history(arn);
  expect(assertWellFormedHistory(events)).toEqual([]);
  expect(events.filter((e) => e.type === 'PassStateExited')).toHaveLength(10);
  // Eleven steps (the start, then one per state): loaded one by one, that was twelve loads.
  expect(loads).toBeLessThanOrEqual(3);
  const { rows } = await h.store.pool.query('SELECT step_attempts, step_owner FROM executions WHERE arn = $1', [arn]);
  expect(rows).toEqual([{ step_attempts: 0, step_owner: null }]);
});

it('a stop that arrives during a long chain is taken by the next step', async () => {
  const sm = await h.createStateMachine('long', chain(400));
  const arn = await h.start(sm, {});
  // Stopped once the chain is under way.
  for (let i = 0; i < 400 && !(await h.types(arn)).includes('PassStateExited'); i++) await new Promise((r) => setTimeout(r, 10));
  await h.api.stopExecution({ executionArn: arn, error: 'E', cause: 'stopped' });
  const d = await h.finished(arn);
  expect(d.status).toBe('ABORTED');
  const events = await h.history(arn);
  expect(assertWellFormedHistory(events)).toEqual([]);
  const exited = events.filter((e) => e.type === 'PassStateExited').length;
  expect(exited).toBeGreaterThan(0);
  expect(exited).toBeLessThan(400);
}, 60_000);
