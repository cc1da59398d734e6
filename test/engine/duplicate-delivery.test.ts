/**
 * Every queue job delivered twice, concurrently (a second copy under another job id): the histories are
 * identical to a clean run and contain no duplicate event.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkQueue } from '@baton/engine';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { TestInvoker } from './support/test-invoker.js';
import { comparable, MIXED } from './support/definitions.js';

let clean: Harness;
let doubled: Harness;
let duplicates = 0;

const twice = (q: WorkQueue): WorkQueue => ({
  async enqueue(job, options) {
    duplicates++;
    await Promise.all([q.enqueue(job, options), q.enqueue(job, { ...options, jobId: `${options.jobId}-dup` })]);
  },
  process: (handler, options) => q.process(handler, options),
  close: () => q.close(),
});

beforeAll(async () => {
  [clean, doubled] = await Promise.all([
    Harness.start({ label: 'clean', invoker: new TestInvoker(), workers: 1, timers: 1 }),
    Harness.start({ label: 'dup', invoker: new TestInvoker(), workers: 2, timers: 1, wrapQueue: twice, concurrency: 16 }),
  ]);
});
afterAll(async () => {
  await clean?.stop();
  await doubled?.stop();
});

it('duplicated jobs change nothing', async () => {
  const inputs = [[1, 2, 3], [4, 5]];
  const runs: { name: string; input: unknown; arnClean: string; arnDup: string }[] = [];
  for (const [name, def] of Object.entries(MIXED)) {
    const a = await clean.createStateMachine(name, def);
    const b = await doubled.createStateMachine(name, def);
    for (const [i, input] of inputs.entries()) {
      runs.push({ name, input, arnClean: await clean.start(a, input, `e${i}`), arnDup: await doubled.start(b, input, `e${i}`) });
    }
  }
  for (const r of runs) {
    const [dc, dd] = [await clean.finished(r.arnClean), await doubled.finished(r.arnDup)];
    expect(dd.status, r.name).toBe(dc.status);
    expect(dd.output, r.name).toBe(dc.output);
    const [hc, hd] = [await clean.history(r.arnClean), await doubled.history(r.arnDup)];
    expect(assertWellFormedHistory(hd)).toEqual([]);
    expect(comparable(hd), r.name).toEqual(comparable(hc));
  }
  expect(duplicates).toBeGreaterThan(runs.length);
  // No signal left behind, no event written twice (the primary key would have refused it; the count proves it).
  const { rows } = await doubled.store.pool.query('SELECT count(*)::int AS n FROM signals WHERE consumed_at IS NULL');
  expect(rows[0].n).toBe(0);
});
