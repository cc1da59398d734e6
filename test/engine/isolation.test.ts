/**
 * Issue 18 through the durable engine (Postgres + BullMQ, the default evaluator: a pool of evaluation threads):
 * each attack of the issue, reproduced as an execution, fails the state it attacked with AWS's error and a cause
 * naming the budget, while the process (which here also runs the test) keeps serving other executions; inputs and
 * outputs too deep for a document are refused at the API with AWS's errors; an execution that keeps crashing its
 * process is failed (the crash itself is simulated here by its durable trace; test/embedded/poison-execution.test.ts
 * kills a real process).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '@baton/api-contract';
import { PoolEvaluator, poisonCause } from '@baton/engine';
import { Harness } from './support/harness.js';

let h: Harness;
let db: pg.Pool;
// Wide enough that, in the first budget test, the quick execution ends while the slow one is still within it: the
// quick one's step waits for the pool's second host to start (the first is busy with the slow one), which on a
// loaded machine takes a good part of a second.
const TIMEOUT_MS = 3_000;
const query = async (text: string): Promise<unknown[]> => (await db.query(text)).rows;

beforeAll(async () => {
  h = await Harness.start({ label: 'isolation', workers: 1, timers: 1, engine: { evaluation: { timeoutMs: TIMEOUT_MS, threads: 2 }, maxCrashedAttempts: 3 } });
  db = new pg.Pool({ connectionString: h.db.url, max: 2 });
});
afterAll(async () => {
  await db?.end();
  await h?.stop();
});

const jsonataPass = (output: string) => ({ QueryLanguage: 'JSONata', StartAt: 'Bad', States: { Bad: { Type: 'Pass', Output: output, End: true } } });
/** The same Pass as the only branch of a Parallel that has Retry / Catch (Pass states have neither). */
const guarded = (output: string, handling: object) => ({
  QueryLanguage: 'JSONata', StartAt: 'Guard',
  States: {
    Guard: { Type: 'Parallel', Branches: [{ StartAt: 'Bad', States: { Bad: { Type: 'Pass', Output: output, End: true } } }], ...handling, Next: 'Caught' },
    Caught: { Type: 'Pass', End: true },
  },
});
const chain = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Succeed' } } };

async function run(name: string, definition: object, input: unknown = {}) {
  const arn = await h.start(await h.createStateMachine(name, definition), input);
  return { arn, d: await h.finished(arn, 60_000) };
}

describe('evaluation budgets', () => {
  it('a worker starts an evaluation host when it starts, so that its first step does not wait for one', () => {
    // No execution has run yet (this is the file's first test): the host was started by the worker itself.
    const evaluator = h.replicas.find((r) => r.worker)!.engine.rt.evaluator;
    expect(evaluator).toBeInstanceOf(PoolEvaluator);
    expect((evaluator as PoolEvaluator).startedHosts).toBe(1);
  });

  it('a JSONata evaluation over the time budget fails its state, and other executions run meanwhile', async () => {
    // $distinct is quadratic inside jsonata (not counted as evaluation steps): minutes of CPU on the event loop before.
    const sm = await h.createStateMachine('slow-jsonata', jsonataPass('{% $count($distinct([1..300000])) %}'));
    const slow = await h.start(sm);
    const quick = await run('quick-chain', chain);
    expect(quick.d.status).toBe('SUCCEEDED');
    expect((await h.api.describeExecution({ executionArn: slow })).status).toBe('RUNNING');
    const d = await h.finished(slow, 60_000);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(d.cause).toContain("The JSONata expression '$count($distinct([1..300000]))' specified for the field 'Output' threw an error during evaluation. Expression evaluation timeout");
    expect(d.cause).toContain(`time budget of ${TIMEOUT_MS} ms (BATON_EVALUATION_TIMEOUT_MS)`);
    expect(await h.types(slow)).toEqual(['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
  });

  it('Retry and Catch apply to a JSONata state that went over budget', async () => {
    const { d, arn } = await run('slow-caught', guarded('{% $count($distinct([1..300000])) %}', {
      Retry: [{ ErrorEquals: ['States.QueryEvaluationError'], IntervalSeconds: 1, MaxAttempts: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught', Output: '{% $states.errorOutput.Error %}' }],
    }));
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '"States.QueryEvaluationError"' });
    expect((await h.types(arn)).filter((t) => t === 'EvaluationFailed')).toHaveLength(2); // the try and its retry
  });

  it('a JSONPath evaluation over the time budget ($..*..* over a 999-deep input) fails with States.Runtime, which Catch does not take', async () => {
    let input: unknown = 'leaf';
    for (let i = 0; i < 999; i++) input = { a: input, b: [1, 2] };
    const { d } = await run('deep-scan', {
      StartAt: 'Scan',
      States: {
        Scan: {
          Type: 'Parallel', Branches: [{ StartAt: 'Deep', States: { Deep: { Type: 'Pass', Parameters: { 'x.$': '$..*..*' }, End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], Next: 'Caught',
        },
        Caught: { Type: 'Pass', End: true },
      },
    }, input);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(d.cause).toMatch(/^An error occurred while executing the state 'Deep' \(entered at the event id #\d+\)\. Expression evaluation timeout: .*BATON_EVALUATION_TIMEOUT_MS/);
  });

  it('the one-line definition that aborted the process fails its state instead ($pad past the memory bound)', async () => {
    const { d } = await run('pad-bomb', jsonataPass('{% $length($pad("", 200000000)) %}'));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(d.cause).toContain('Expression evaluation memory limit exceeded');
  });

  it('StartSyncExecution (EXPRESS) runs under the same budgets', async () => {
    const sm = await h.createStateMachine('express-slow', jsonataPass('{% $count($distinct([1..300000])) %}'), 'EXPRESS');
    const r = await h.api.startSyncExecution({ stateMachineArn: sm, input: '{}' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.cause).toContain('BATON_EVALUATION_TIMEOUT_MS');
  });
});

describe('every execution can end: nesting limits at the API', () => {
  const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const jackson = (depth: number) => `Document nesting depth (${depth}) exceeds the maximum allowed (1000, from \`StreamReadConstraints.getMaxNestingDepth()\`)`;

  it('StartExecution and StartSyncExecution refuse input past 1,000 levels with InvalidExecutionInput', async () => {
    const sm = await h.createStateMachine('nest-std', chain);
    for (const input of [nested(1001), nested(100_000)]) {
      const e = await h.api.startExecution({ stateMachineArn: sm, input }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ApiError);
      expect(e).toMatchObject({ code: 'InvalidExecutionInput', message: `Invalid State Machine Execution Input: '${jackson(1001)}'` });
    }
    const ok = await h.api.startExecution({ stateMachineArn: sm, input: nested(1000) });
    expect((await h.finished(ok.executionArn)).status).toBe('SUCCEEDED');
    const express = await h.createStateMachine('nest-express', chain, 'EXPRESS');
    await expect(h.api.startSyncExecution({ stateMachineArn: express, input: nested(5000) })).rejects.toMatchObject({ code: 'InvalidExecutionInput' });
  });

  it('SendTaskSuccess refuses output past 1,000 levels with InvalidOutput; StopExecution still ends the execution', async () => {
    const { activityArn } = await h.api.createActivity({ name: 'nest-activity' });
    const sm = await h.createStateMachine('nest-callback', { StartAt: 'T', States: { T: { Type: 'Task', Resource: activityArn, End: true } } });
    const arn = await h.start(sm);
    const { taskToken: token } = await h.api.getActivityTask({ activityArn, workerName: 'test' });
    if (!token) throw new Error('no activity task');
    await expect(h.api.sendTaskSuccess({ taskToken: token, output: nested(1001) })).rejects.toMatchObject({
      code: 'InvalidOutput', message: `Invalid Output: '${jackson(1001)}'`,
    });
    await h.api.stopExecution({ executionArn: arn, error: 'Stopped', cause: 'by the test' });
    expect(await h.api.describeExecution({ executionArn: arn })).toMatchObject({ status: 'ABORTED', error: 'Stopped' });
  });
});

describe('poison executions', () => {
  async function poisoned(name: string) {
    // A waiting execution whose next step "crashed the process" `attempts` times: the durable count says so.
    const sm = await h.createStateMachine(name, { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
    const arn = await h.start(sm);
    await h.waitFor('the wait', async () => ((await h.types(arn)).includes('WaitStateEntered') ? true : undefined));
    const exec = await h.store.executions.getByArn(arn);
    await h.store.transaction(async (tx) => {
      await tx.signals.insert(exec!.id, { kind: 'timerFired', timerId: 'nope' }); // something to step
    });
    return { arn, id: exec!.id };
  }

  it.each([
    ['after three crashed attempts, by a step that runs none of its states', 3],
    ['after five, without stepping at all', 5],
  ])('fails the execution with States.Runtime %s', async (_what, attempts) => {
    const { arn, id } = await poisoned(`poison-${attempts}`);
    // The attempts recorded by processes that died (each begun, none committed).
    await query(`UPDATE executions SET step_attempts = ${attempts}, step_owner = 'a-process-that-died' WHERE id = ${id}`);
    await h.api.handleJob({ kind: 'transition', executionId: id });
    const d = await h.finished(arn);
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: poisonCause(attempts) });
    expect((await h.types(arn)).at(-1)).toBe('ExecutionFailed');
    expect(await query(`SELECT count(*)::int AS n FROM timers WHERE execution_id = ${id}`)).toEqual([{ n: 0 }]);
  });

  it('a commit resets the count: attempts that did commit never add up', async () => {
    const { arn, id } = await poisoned('poison-reset');
    await query(`UPDATE executions SET step_attempts = 2, step_owner = 'a-process-that-died' WHERE id = ${id}`);
    await h.api.handleJob({ kind: 'transition', executionId: id });
    expect(await query(`SELECT step_attempts AS n, step_owner AS owner FROM executions WHERE id = ${id}`)).toEqual([{ n: 0, owner: null }]);
    expect((await h.api.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await h.api.stopExecution({ executionArn: arn });
  });
});
