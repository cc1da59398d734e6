/**
 * The chaos workflow: Pass, Choice, Wait, Parallel, Map, Retry/Catch and activity tasks answered through the API,
 * with an output that depends only on the input, so every execution can be checked exactly afterwards.
 * Activity tasks carry a TimeoutSeconds and retry on States.Timeout: a GetActivityTask answer lost with a killed
 * API process leaves a task nobody holds the token of, which AWS (and Baton) time out.
 */

const timeoutRetry = { ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 20, BackoffRate: 1 };

export function chaosDefinition(activityArn: string, taskTimeoutSeconds: number): object {
  const task = (kind: string, extra: object, rest: object) => ({
    Type: 'Task', Resource: activityArn, TimeoutSeconds: taskTimeoutSeconds, Parameters: { kind, ...extra }, ...rest,
  });
  return {
    Comment: 'Baton chaos run',
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Parameters: { 'n.$': '$.n', 'even.$': '$.even', 'items.$': '$.items' }, Next: 'Parity' },
      Parity: { Type: 'Choice', Choices: [{ Variable: '$.even', BooleanEquals: true, Next: 'Even' }], Default: 'Odd' },
      Even: { Type: 'Pass', Result: 'even', ResultPath: '$.parity', Next: 'Nap' },
      Odd: { Type: 'Pass', Result: 'odd', ResultPath: '$.parity', Next: 'Nap' },
      Nap: { Type: 'Wait', Seconds: 1, Next: 'Fan' },
      Fan: {
        Type: 'Parallel', ResultPath: '$.fan', Next: 'Each',
        Branches: [
          { StartAt: 'Work', States: { Work: task('work', { 'n.$': '$.n' }, { Retry: [timeoutRetry], End: true }) } },
          { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Mark' }, Mark: { Type: 'Pass', Result: 'b2', End: true } } },
        ],
      },
      Each: {
        Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ResultPath: '$.doubled', Next: 'Flaky',
        ItemProcessor: { StartAt: 'Double', States: { Double: task('double', { 'x.$': '$' }, { Retry: [timeoutRetry], End: true }) } },
      },
      Flaky: task('flaky', { 'name.$': '$$.Execution.Name' }, {
        Retry: [{ ErrorEquals: ['Custom.Flaky'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }, timeoutRetry],
        ResultPath: '$.flaky', Next: 'Doomed',
      }),
      Doomed: task('doomed', {}, {
        Retry: [timeoutRetry], Catch: [{ ErrorEquals: ['Custom.Doom'], ResultPath: '$.caught', Next: 'Done' }], Next: 'Done',
      }),
      Done: {
        Type: 'Pass', End: true,
        Parameters: {
          'n.$': '$.n', 'parity.$': '$.parity', 'work.$': '$.fan[0].done', 'mark.$': '$.fan[1]', 'doubled.$': '$.doubled',
          'flaky.$': '$.flaky.ok', 'caught.$': '$.caught.Error', 'cause.$': '$.caught.Cause',
        },
      },
    },
  };
}

export const chaosInput = (n: number) => ({ n, even: n % 2 === 0, items: [n, n + 1] });

export const chaosExpected = (n: number) => ({
  n, parity: n % 2 === 0 ? 'even' : 'odd', work: n + 1, mark: 'b2', doubled: [{ v: 2 * n }, { v: 2 * (n + 1) }],
  flaky: true, caught: 'Custom.Doom', cause: 'doomed on purpose',
});

/** What the in-run activity workers answer, by the task's `kind` (and `failedOnce` for the flaky one). */
export function answer(input: Record<string, unknown>, failedOnce: Set<string>): { output: unknown } | { error: string; cause: string } {
  switch (input.kind) {
    case 'work':
      return { output: { done: Number(input.n) + 1 } };
    case 'double':
      return { output: { v: 2 * Number(input.x) } };
    case 'flaky': {
      const name = String(input.name);
      if (failedOnce.has(name)) return { output: { ok: true } };
      failedOnce.add(name);
      return { error: 'Custom.Flaky', cause: 'first attempt fails' };
    }
    case 'doomed':
      return { error: 'Custom.Doom', cause: 'doomed on purpose' };
    default:
      return { error: 'Custom.Unknown', cause: `unknown kind ${String(input.kind)}` };
  }
}

/** How many times each state is entered in a correct run (retries do not enter a state again). */
export const chaosEnteredCounts = (n: number): Record<string, number> => ({
  Init: 1, Parity: 1, [n % 2 === 0 ? 'Even' : 'Odd']: 1, Nap: 1, Fan: 1, Work: 1, Pause: 1, Mark: 1, Each: 1, Double: 2,
  Flaky: 1, Doomed: 1, Done: 1,
});
