/**
 * A task invoker for tests only (no fake AWS): legacy Lambda function ARNs name behaviours.
 *   function:echo        succeeds with its parameters
 *   function:fail        fails with parameters.error / parameters.cause
 *   function:flaky       fails (Custom.Flaky) while attempt < parameters.failures, then echoes
 *   function:sleep       waits parameters.ms, then echoes
 *   function:hang        never answers until aborted (timeouts)
 *   states:::lambda:invoke.waitForTaskToken   submitted; the token is kept in `tokens` for the test to answer
 *   states:::states:startExecution.sync       polls parameters.polls times (afterMs 50) then succeeds
 */
import type { Json, JsonObject } from '@baton/asl';
import type { TaskInvoker, TaskRequest, TaskResult } from '@baton/engine';

export const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

export class TestInvoker implements TaskInvoker {
  readonly calls: TaskRequest[] = [];
  readonly tokens: { token: string; request: TaskRequest }[] = [];

  async invoke(req: TaskRequest, signal: AbortSignal): Promise<TaskResult> {
    this.calls.push(req);
    const p = (req.parameters ?? {}) as JsonObject;
    if (req.pattern === 'waitForTaskToken') {
      this.tokens.push({ token: req.taskToken!, request: req });
      return { kind: 'submitted', output: { StatusCode: 200 } };
    }
    if (req.pattern === 'sync') {
      const polls = Number(p.polls ?? 2);
      const count = req.poll?.count ?? 0;
      if (count < polls) return { kind: 'poll', afterMs: 50, state: { count }, ...(count === 0 ? { output: { started: true } } : {}) };
      return { kind: 'succeeded', output: { polled: count } };
    }
    const name = req.resource.split(':').pop();
    switch (name) {
      case 'echo':
        return { kind: 'succeeded', output: req.parameters };
      case 'fail':
        return { kind: 'failed', error: String(p.error ?? 'Custom.Error'), ...(p.cause !== undefined ? { cause: String(p.cause) } : {}) };
      case 'flaky':
        return req.attempt < Number(p.failures ?? 1)
          ? { kind: 'failed', error: 'Custom.Flaky', cause: `attempt ${req.attempt}` }
          : { kind: 'succeeded', output: { attempt: req.attempt, ...(p as object) } as Json };
      case 'sleep':
        await abortable(Number(p.ms ?? 100), signal);
        return { kind: 'succeeded', output: req.parameters };
      case 'hang':
        await abortable(3_600_000, signal);
        return { kind: 'failed', error: 'Custom.Aborted' };
      default:
        return { kind: 'failed', error: 'States.TaskFailed', cause: `test invoker: unknown resource ${req.resource}` };
    }
  }
}

function abortable(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
