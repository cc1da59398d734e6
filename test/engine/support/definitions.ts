/** A mix of definitions exercising transitions, tasks, timers, branches and retries, with deterministic histories. */
import type { HistoryEvent } from '@baton/api-contract';
import { fn } from './test-invoker.js';

export const MIXED: Record<string, object> = {
  chain: {
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Result: 1, ResultPath: '$.a', Next: 'B' },
      B: { Type: 'Task', Resource: fn('echo'), Next: 'C' },
      C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'D' }], Default: 'X' },
      D: { Type: 'Succeed' },
      X: { Type: 'Fail' },
    },
  },
  waits: {
    StartAt: 'W',
    States: { W: { Type: 'Wait', Seconds: 1, Next: 'T' }, T: { Type: 'Task', Resource: fn('echo'), End: true } },
  },
  retries: {
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: fn('flaky'), Parameters: { failures: 1 }, Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }], End: true } },
  },
  branches: {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', Next: 'M',
        Branches: [
          { StartAt: 'X', States: { X: { Type: 'Task', Resource: fn('echo'), End: true } } },
          { StartAt: 'Y', States: { Y: { Type: 'Pass', End: true } } },
        ],
      },
      M: { Type: 'Map', ItemsPath: '$', MaxConcurrency: 1, End: true, ItemProcessor: { StartAt: 'E', States: { E: { Type: 'Task', Resource: fn('echo'), End: true } } } },
    },
  },
};

/** History without what differs between two runs of the same execution (times, ARNs of other databases). */
export function comparable(events: readonly HistoryEvent[]): unknown[] {
  return events.map(({ timestamp: _t, ...rest }) => rest);
}
