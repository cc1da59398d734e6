/**
 * Every queue job delivered twice, concurrently (a second copy under another job id): the histories are
 * identical to a clean run and contain no duplicate event. Also with one state per step (maxTransitionsPerStep 1):
 * each job's loop then carries its `continue` from step to step (transition-runner.ts) while the copies load the
 * same executions in the other worker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WorkQueue } from '@baton/engine';
import { Harness, assertWellFormedHistory } from './support/harness.js';
import { TestInvoker } from './support/test-invoker.js';
import { comparable, MIXED } from './support/definitions.js';

let clean: Harness;
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
  clean = await Harness.start({ label: 'clean', invoker: new TestInvoker(), workers: 1, timers: 1 });
});
afterAll(async () => {
  await clean?.stop();
});

// One doubled harness at a time (each replica's pool may open ten connections).
it.each([['every step', {}], ['one state per step', { maxTransitionsPerStep: 1 }]] as const)('duplicated jobs change nothing (%s)', async (label, engine) => {
  const doubled = await Harness.start({ label: 'dup', invoker: new TestInvoker(), workers: 2, timers: 1, wrapQueue: twice, concurrency: 16, engine });
  try {
    const inputs = [[1, 2, 3], [4, 5]];
    const runs: { name: string; input: unknown; arnClean: string; arnDup: string }[] = [];
    const before = duplicates;
    for (const [name, def] of Object.entries(MIXED)) {
      const a = await clean.createStateMachine(`${name}-${label.replace(/ /g, '-')}`, def);
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
    expect(duplicates - before).toBeGreaterThan(runs.length);
    // No signal left behind, no event written twice (the primary key would have refused it; the count proves it).
    const { rows } = await doubled.store.pool.query('SELECT count(*)::int AS n FROM signals WHERE consumed_at IS NULL');
    expect(rows[0].n).toBe(0);
  } finally {
    await doubled.stop();
  }
});
