import { describe, expect, it } from 'vitest';
import { runLocal, type JsonObject, type ScheduleTaskCommand, type TaskMocks } from '@baton/asl';
import { LAMBDA, assignedBy, eventOf, jsonata, types } from './helpers.js';

function taskMachine(task: JsonObject): JsonObject {
  return jsonata({
    T: { Type: 'Task', Resource: LAMBDA, Next: 'Done', ...task },
    Done: { Type: 'Pass', End: true },
    Fallback: { Type: 'Pass', End: true },
  });
}

describe('JSONata Task: Arguments and the timeouts', () => {
  it('sends the evaluated Arguments and records TimeoutSeconds / HeartbeatSeconds on TaskScheduled', async () => {
    const seen: ScheduleTaskCommand[] = [];
    const def = taskMachine({
      Arguments: { FunctionName: '{% $states.input.fn %}', Payload: { n: '{% $states.input.n + 1 %}' } },
      TimeoutSeconds: '{% $states.input.n * 10 %}',
      HeartbeatSeconds: 5,
    });
    const r = await runLocal(def, {
      input: { fn: 'f', n: 2 },
      taskHandler: (task) => {
        seen.push(task);
        return { ok: true, output: { done: true } };
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(seen[0]).toMatchObject({ parameters: { FunctionName: 'f', Payload: { n: 3 } }, timeoutSeconds: 20, heartbeatSeconds: 5 });
    expect(eventOf(r.events, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 20, heartbeatInSeconds: 5 });
  });

  it('sends the state input when there are no Arguments', async () => {
    const seen: unknown[] = [];
    await runLocal(taskMachine({}), { input: { raw: 1 }, taskHandler: (t) => (seen.push(t.parameters), { ok: true, output: 0 }) });
    expect(seen).toEqual([{ raw: 1 }]);
  });

  it('fails before TaskScheduled when Arguments cannot be evaluated', async () => {
    const r = await runLocal(taskMachine({ Arguments: { FunctionName: '{% $nothing %}' } }), { input: {} });
    expect(types(r.events)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
    expect(r.cause).toContain("specified for the field 'Arguments/FunctionName' returned nothing (undefined).");
  });

  it('rejects a TimeoutSeconds that is not a positive integer', async () => {
    const r = await runLocal(taskMachine({ TimeoutSeconds: '{% 0 %}' }), { input: {} });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'TimeoutSeconds' });
  });

  it('offers $states.context.Task.Token to a .waitForTaskToken task', async () => {
    const def = taskMachine({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Arguments: { token: '{% $states.context.Task.Token %}' } });
    const seen: ScheduleTaskCommand[] = [];
    await runLocal(def, { input: {}, taskHandler: (t) => (seen.push(t), { ok: true, output: {} }) });
    expect(seen[0]!.taskToken).toBeDefined();
    expect(seen[0]!.parameters).toEqual({ token: seen[0]!.taskToken });
  });
});

describe('JSONata Task: Output and Assign after the result', () => {
  const mocks: TaskMocks = { T: { Return: { Payload: { total: 9 } } } };

  it('outputs the result by default', async () => {
    const r = await runLocal(taskMachine({}), { input: { a: 1 }, mocks });
    expect(eventOf(r.events, 'TaskStateExited').stateExitedEventDetails).toMatchObject({ output: '{"Payload":{"total":9}}' });
  });

  it('gives Output and Assign both $states.result and $states.input', async () => {
    const def = taskMachine({
      Output: { total: '{% $states.result.Payload.total %}', from: '{% $states.input.a %}' },
      Assign: { kept: '{% $states.result.Payload.total * 2 %}', members: '{% $keys($states) %}' },
    });
    const r = await runLocal(def, { input: { a: 1 }, mocks });
    expect(r.output).toEqual({ total: 9, from: 1 });
    expect(assignedBy(r.events, 'T')).toEqual({ kept: 18, members: ['input', 'context', 'result'] });
  });
});

describe('JSONata Catch', () => {
  const failing: TaskMocks = { T: { Throw: { Error: 'Oops', Cause: 'went wrong' } } };

  it('outputs the error output by default and skips the state Output and Assign', async () => {
    const def = taskMachine({
      Output: { never: true },
      Assign: { never: true },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback' }],
    });
    const r = await runLocal(def, { input: {}, mocks: failing });
    expect(r.output).toEqual({ Error: 'Oops', Cause: 'went wrong' });
    expect(assignedBy(r.events, 'T')).toBeUndefined();
  });

  it("gives the catcher's Output and Assign $states.errorOutput and $states.input", async () => {
    const def = taskMachine({
      Assign: { never: true },
      Catch: [
        { ErrorEquals: ['Other'], Next: 'Done' },
        {
          ErrorEquals: ['States.ALL'],
          Next: 'Fallback',
          Output: { err: '{% $states.errorOutput.Error %}', input: '{% $states.input %}' },
          Assign: { why: '{% $states.errorOutput.Cause %}', members: '{% $keys($states) %}' },
        },
      ],
    });
    const r = await runLocal(def, { input: { x: 1 }, mocks: failing });
    expect(r.output).toEqual({ err: 'Oops', input: { x: 1 } });
    expect(assignedBy(r.events, 'T')).toEqual({ why: 'went wrong', members: ['input', 'context', 'errorOutput'] });
  });

  it("names the catcher in a failing catcher Output's location", async () => {
    const def = taskMachine({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback', Output: { v: '{% $states.result %}' } }] });
    const r = await runLocal(def, { input: {}, mocks: failing });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toContain("The JSONata expression '$states.result' specified for the field 'Catch[0]/Output/v' cannot be evaluated.");
    expect(eventOf(r.events, 'EvaluationFailed').evaluationFailedEventDetails).toMatchObject({ location: 'Catch[0]/Output/v', state: 'T' });
  });

  it('catches its own evaluation failure as States.QueryEvaluationError', async () => {
    const def = taskMachine({
      Output: '{% $states.result.missing %}',
      Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Fallback', Output: '{% $states.errorOutput %}' }],
    });
    const r = await runLocal(def, { input: {}, mocks: { T: { Return: {} } } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toMatchObject({ Error: 'States.QueryEvaluationError' });
    expect((r.output as { Cause: string }).Cause).toMatch(/^An error occurred while executing the state 'T' .*'Output' returned nothing/);
    expect(types(r.events)).toContain('EvaluationFailed');
  });

  it('retries an evaluation failure, recording EvaluationFailed for each attempt', async () => {
    const def = taskMachine({ Arguments: '{% $nothing %}', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 }] });
    const r = await runLocal(def, { input: {} });
    expect(r.events.filter((e) => e.type === 'EvaluationFailed')).toHaveLength(3);
    expect(r.error).toBe('States.QueryEvaluationError');
  });
});
