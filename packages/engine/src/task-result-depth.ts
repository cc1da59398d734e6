/**
 * A task result nested deeper than a document may be (MAX_NESTING_DEPTH, Jackson's 1,000 levels) fails the task
 * cleanly, before it is stored as a signal: a value that deep cannot be serialised by the host (JSON.stringify
 * and structured clone overflow the stack), so storing it would fail and be retried forever.
 */
import { nestingBeyond, nestingDepthMessage } from '@baton/asl';
import type { TaskResult } from './ports.js';

export function boundTaskResult(result: TaskResult): TaskResult {
  const output = result.kind === 'failed' ? undefined : result.output;
  const depth = output === undefined ? undefined : nestingBeyond(output);
  if (depth === undefined) return result;
  return { kind: 'failed', error: 'States.Runtime', cause: `The task returned a result nested too deeply. ${nestingDepthMessage(depth)}` };
}
