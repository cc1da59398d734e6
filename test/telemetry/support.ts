/** The small execution every telemetry test runs: a Pass, a one-second Wait (a durable timer), a Task. */
import { fn } from '../engine/support/test-invoker.js';

export const PASS_WAIT_TASK = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.prepared', Next: 'Nap' },
    Nap: { Type: 'Wait', Seconds: 1, Next: 'Call' },
    Call: { Type: 'Task', Resource: fn('echo'), Parameters: { 'n.$': '$.prepared.n' }, End: true },
  },
};
