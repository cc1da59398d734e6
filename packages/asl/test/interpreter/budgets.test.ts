import { describe, expect, it } from 'vitest';
import {
  compileDefinition, defaultContext, newExecution, runLocal, seededRandom, step, terminateExecution, INLINE_MAP_MAX_CONCURRENCY,
  type ExecutionDoc, type JsonObject, type Signal, type StepEnv,
} from '@baton/asl';

const NOW = Date.UTC(2024, 0, 1);
const env = (extra: Partial<StepEnv> = {}): StepEnv => ({ now: NOW, random: seededRandom(7), ...extra });
const start: Signal[] = [{ kind: 'start', input: { n: 1 } }];
const fresh = (): ExecutionDoc => newExecution(defaultContext(NOW), { n: 1 });

describe('evaluation hooks: the host numbers evaluations and fails the ones over its budgets', () => {
  const twoPasses = compileDefinition({
    QueryLanguage: 'JSONata', StartAt: 'A',
    States: {
      A: { Type: 'Pass', Output: '{% $states.input.n + 1 %}', Next: 'B' },
      B: { Type: 'Pass', Output: { twice: '{% $states.input * 2 %}' }, End: true },
    },
  } as JsonObject);

  it('hears each state-level evaluation and each JSONata expression, in order, the same way every time', async () => {
    const heard: number[] = [];
    const r = await step(twoPasses, fresh(), start, env({ evaluation: { onEvaluation: (n) => heard.push(n) } }));
    expect(r.doc.status).toBe('SUCCEEDED');
    expect(heard).toEqual([1, 2, 3, 4]); // A's data flow, A's Output, B's data flow, B's Output/twice
    const again: number[] = [];
    await step(twoPasses, fresh(), start, env({ evaluation: { onEvaluation: (n) => again.push(n) } }));
    expect(again).toEqual(heard);
  });

  it('fails a JSONata expression over budget with States.QueryEvaluationError and an EvaluationFailed event naming its field', async () => {
    const detail = 'Expression evaluation timeout: over the time budget (BATON_EVALUATION_TIMEOUT_MS = 5 ms)';
    const r = await step(twoPasses, fresh(), start, env({ evaluation: { fail: [{ ordinal: 4, detail }] } }));
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.doc.cause).toContain("The JSONata expression '$states.input * 2' specified for the field 'Output/twice' threw an error during evaluation. Expression evaluation timeout");
    expect(r.doc.cause).toMatch(/^An error occurred while executing the state 'B'/);
    const failed = r.events.find((e) => e.type === 'EvaluationFailed');
    expect(failed?.evaluationFailedEventDetails).toMatchObject({ location: 'Output/twice', state: 'B' });
  });

  it('lets Retry and Catch handle a JSONata state that failed its budget', async () => {
    const program = compileDefinition({
      QueryLanguage: 'JSONata', StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', Output: '{% 1 %}', End: true } } }],
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Caught', Output: '{% $states.errorOutput.Error %}' }], End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    } as JsonObject);
    const heard: number[] = [];
    const ok = await step(program, fresh(), start, env({ evaluation: { onEvaluation: (n) => heard.push(n) } }));
    expect(ok.doc.output).toEqual([1]);
    // P's data flow (1), X's data flow (2), X's Output (3), P's result data flow (4).
    expect(heard).toEqual([1, 2, 3, 4]);
    // Fail the branch's Output expression: the branch fails, the Parallel fails with its error, and its Catch takes over.
    const r = await step(program, fresh(), start, env({ evaluation: { fail: [{ ordinal: 3, detail: 'over budget' }] } }));
    expect(r.doc).toMatchObject({ status: 'SUCCEEDED', output: 'States.QueryEvaluationError' });
    expect(r.events.map((e) => e.type)).toEqual(expect.arrayContaining(['EvaluationFailed', 'ParallelStateFailed']));
  });

  it('fails a JSONPath state over budget with States.Runtime, which no Catch takes', async () => {
    const program = compileDefinition({
      StartAt: 'A',
      States: { A: { Type: 'Pass', Parameters: { 'v.$': 'States.Format(\'{}\', $.n)' }, Catch: [], Next: 'B' }, B: { Type: 'Pass', End: true } },
    } as JsonObject);
    const r = await step(program, fresh(), start, env({ evaluation: { fail: [{ ordinal: 1, detail: 'over the memory budget' }] } }));
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.doc.cause).toMatch(/^An error occurred while executing the state 'A' \(entered at the event id #2\)\. over the memory budget$/);
  });
});

describe('the host ends executions it cannot or must not step', () => {
  const waiting = compileDefinition({
    StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 60, End: true } },
  } as JsonObject);

  it('a fail signal ends the execution as FAILED and cancels its work', async () => {
    const started = await step(waiting, fresh(), start, env());
    const r = await step(waiting, started.doc, [{ kind: 'fail', error: 'States.Runtime', cause: 'poison' }], env());
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'poison' });
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionFailed']);
    expect(r.commands.map((c) => c.kind)).toEqual(expect.arrayContaining(['cancelTask', 'cancelTimer', 'finish']));
  });

  it('terminateExecution ends it without stepping: one event, every pending task and timer cancelled', async () => {
    const started = await step(waiting, fresh(), start, env());
    const r = terminateExecution(started.doc, { status: 'FAILED', error: 'States.Runtime', cause: 'too large' }, NOW + 5);
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'too large', runs: {}, tasks: {}, timers: {} });
    expect(r.events).toEqual([{
      id: started.doc.eventSeq + 1, previousEventId: started.doc.eventSeq, timestamp: NOW + 5, type: 'ExecutionFailed',
      executionFailedEventDetails: { error: 'States.Runtime', cause: 'too large' },
    }]);
    expect(r.commands.map((c) => c.kind).sort()).toEqual(['cancelTask', 'cancelTimer', 'finish']);
    expect(terminateExecution(r.doc, { status: 'ABORTED', error: 'x', cause: 'y' }, NOW).ignored).toBe(true);
  });

  it('terminateExecution of an execution that never started records its start first', () => {
    const r = terminateExecution(fresh(), { status: 'ABORTED' }, NOW);
    expect(r.events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([[1, 0, 'ExecutionStarted'], [2, 1, 'ExecutionAborted']]);
    expect(r.events[0]).toMatchObject({ executionStartedEventDetails: { input: '{"n":1}' } });
    expect(r.doc).toMatchObject({ status: 'ABORTED', eventSeq: 2 });
  });
});

describe('big states advance in bounded steps (issue 18: an inline Map over 100,000 items froze npm start)', () => {
  const bigMap = (items: number) => compileDefinition({
    QueryLanguage: 'JSONata', StartAt: 'M',
    States: { M: { Type: 'Map', Items: `{% [1..${items}] %}`, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } },
  } as JsonObject);

  it('runs at most 40 iterations at once and fails at exactly 25,000 events, in steps of bounded size', async () => {
    // Before: all 100,000 iterations were runs of the document at once, and each step was quadratic in them.
    let doc = fresh();
    let signals: Signal[] = start;
    let events = 0;
    let steps = 0;
    let last = '';
    while (doc.status === 'RUNNING') {
      const r = await step(bigMap(100_000), doc, signals, env({ maxTransitions: 1000 }));
      doc = r.doc;
      events += r.events.length;
      last = r.events.at(-1)?.type ?? last;
      expect(Object.keys(doc.runs).length).toBeLessThanOrEqual(INLINE_MAP_MAX_CONCURRENCY + 1);
      expect(r.events.length).toBeLessThanOrEqual(4 * 1000 + 10);
      signals = [{ kind: 'continue' }];
      steps++;
    }
    expect(doc).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
    expect(events).toBe(25_000);
    expect(last).toBe('ExecutionFailed');
    expect(steps).toBeLessThan(10);
  });

  it('keeps the 25,000th event only when it is ExecutionSucceeded', async () => {
    const passes = (n: number): JsonObject => ({
      StartAt: 'S0',
      States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`S${i}`, { Type: 'Pass', ...(i < n - 1 ? { Next: `S${i + 1}` } : { End: true }) }])),
    });
    // 1 ExecutionStarted + 2 events per Pass + 1 ExecutionSucceeded: 49 passes end at event 100 exactly.
    const fits = await runLocal(passes(49), { input: {} });
    expect(fits.events).toHaveLength(100);
    const limited = (def: JsonObject) => step(compileDefinition(def), fresh(), start, env({ limits: { historyEvents: 100 } }));
    const exact = await limited(passes(49));
    expect(exact.doc.status).toBe('SUCCEEDED');
    expect(exact.events.at(-1)).toMatchObject({ id: 100, type: 'ExecutionSucceeded' });
    const over = await limited(passes(50));
    expect(over.doc.status).toBe('FAILED');
    expect(over.events).toHaveLength(100);
    expect(over.events.at(-1)).toMatchObject({ id: 100, type: 'ExecutionFailed' });
  });
});

describe('documents stay within 1,000 levels of nesting (issue 18: deep values overflowed the stack)', () => {
  const deep = (depth: number): unknown => {
    let v: unknown = 'leaf';
    for (let i = 0; i < depth; i++) v = { a: v };
    return v;
  };

  it('fails a task whose result nests deeper than 1,000 levels, cleanly, and accepts 1,000', async () => {
    const def: JsonObject = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } };
    const tooDeep = await runLocal(def, { input: {}, taskHandler: () => ({ ok: true, output: deep(1001) as never }) });
    expect(tooDeep).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(tooDeep.cause).toContain('Document nesting depth (1001) exceeds the maximum allowed (1000');
    expect(tooDeep.events.map((e) => e.type)).toContain('TaskFailed');
    const ok = await runLocal(def, { input: {}, taskHandler: () => ({ ok: true, output: deep(1000) as never }) });
    expect(ok.status).toBe('SUCCEEDED');
  });

  it('fails a state whose output nests too deeply (States.StringToJson of a deep string)', async () => {
    const text = `${'['.repeat(3000)}${']'.repeat(3000)}`;
    const def: JsonObject = { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.s)' }, End: true } } };
    const r = await runLocal(def, { input: { s: text } });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.cause).toContain("The state/task 'P' returned a result nested too deeply. Document nesting depth (1001)");
  });
});
