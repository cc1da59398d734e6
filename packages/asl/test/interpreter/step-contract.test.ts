import { describe, expect, it } from 'vitest';
import { compileDefinition, defaultContext, newExecution, seededRandom, step, type JsonObject, type ScheduleTaskCommand } from '@baton/asl';

const NOW = Date.UTC(2024, 0, 1);
const env = (now = NOW) => ({ now, random: seededRandom(3) });

describe('step: the commands-out contract', () => {
  const program = compileDefinition({
    StartAt: 'T',
    States: {
      T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 't.$': '$$.Task.Token' }, TimeoutSeconds: 30, Next: 'W' },
      W: { Type: 'Wait', Seconds: 10, End: true },
    },
  } as JsonObject);
  const fresh = () => newExecution(defaultContext(NOW), { a: 1 });

  it('start schedules the task and its timeout timer, and changes nothing outside the returned document', async () => {
    const doc = fresh();
    const before = JSON.stringify(doc);
    const r = await step(program, doc, [{ kind: 'start', input: { a: 1 } }], env());
    expect(JSON.stringify(doc)).toBe(before);
    expect(r.commands.map((c) => c.kind).sort()).toEqual(['scheduleTask', 'startTimer']);
    const task = r.commands.find((c) => c.kind === 'scheduleTask') as ScheduleTaskCommand;
    expect(task.pattern).toBe('waitForTaskToken');
    expect((task.parameters as JsonObject).t).toBe(task.taskToken);
    const timer = r.commands.find((c) => c.kind === 'startTimer');
    expect(timer).toMatchObject({ purpose: 'taskTimeout', fireAt: NOW + 30_000 });
  });

  it('is deterministic for the same inputs', async () => {
    const a = await step(program, fresh(), [{ kind: 'start', input: { a: 1 } }], env());
    const b = await step(program, fresh(), [{ kind: 'start', input: { a: 1 } }], env());
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('ignores a duplicate start, a stale task answer and an unknown timer', async () => {
    const started = await step(program, fresh(), [{ kind: 'start', input: { a: 1 } }], env());
    const again = await step(program, started.doc, [{ kind: 'start', input: { a: 1 } }], env());
    expect(again.ignored).toBe(true);
    expect(again.events).toEqual([]);
    const task = started.commands.find((c) => c.kind === 'scheduleTask') as ScheduleTaskCommand;
    const done = await step(program, started.doc, [{ kind: 'taskSucceeded', taskId: task.taskId, output: 'x' }], env(NOW + 1000));
    expect(done.ignored).toBe(false);
    expect(done.commands.find((c) => c.kind === 'cancelTimer')).toBeDefined();
    expect(done.commands.find((c) => c.kind === 'startTimer')).toMatchObject({ purpose: 'wait', fireAt: NOW + 11_000 });
    const twice = await step(program, done.doc, [{ kind: 'taskSucceeded', taskId: task.taskId, output: 'x' }], env(NOW + 2000));
    expect(twice.ignored).toBe(true);
    const stray = await step(program, done.doc, [{ kind: 'timerFired', timerId: 'nope' }], env(NOW + 2000));
    expect(stray.ignored).toBe(true);
  });

  it('stop aborts the execution and cancels its task and timers', async () => {
    const started = await step(program, fresh(), [{ kind: 'start', input: { a: 1 } }], env());
    const stopped = await step(program, started.doc, [{ kind: 'stop', error: 'Why', cause: 'because' }], env());
    expect(stopped.doc.status).toBe('ABORTED');
    expect(stopped.events.map((e) => e.type)).toEqual(['ExecutionAborted']);
    expect(stopped.commands.map((c) => c.kind)).toEqual(expect.arrayContaining(['cancelTask', 'cancelTimer', 'finish']));
  });

  it('stops at maxTransitions and continues on a continue signal', async () => {
    const states: JsonObject = {};
    for (let i = 0; i < 10; i++) states[`S${i}`] = i < 9 ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
    const chain = compileDefinition({ StartAt: 'S0', States: states });
    let r = await step(chain, newExecution(defaultContext(NOW), {}), [{ kind: 'start', input: {} }], { ...env(), maxTransitions: 4 });
    expect(r.commands).toEqual([{ kind: 'continue' }]);
    let rounds = 1;
    while (r.doc.status === 'RUNNING') {
      r = await step(chain, r.doc, [{ kind: 'continue' }], { ...env(), maxTransitions: 4 });
      rounds++;
    }
    expect(rounds).toBe(3);
    expect(r.doc.status).toBe('SUCCEEDED');
    expect(r.doc.eventSeq).toBe(1 + 20 + 1);
  });

  it('times the execution out at the definition TimeoutSeconds', async () => {
    const slow = compileDefinition({ StartAt: 'W', TimeoutSeconds: 5, States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const started = await step(slow, newExecution(defaultContext(NOW), {}), [{ kind: 'start', input: {} }], env());
    const timer = started.commands.find((c) => c.kind === 'startTimer' && c.purpose === 'executionTimeout');
    expect(timer).toMatchObject({ fireAt: NOW + 5000 });
    const fired = await step(slow, started.doc, [{ kind: 'timerFired', timerId: (timer as { timerId: string }).timerId }], env(NOW + 5000));
    expect(fired.doc.status).toBe('TIMED_OUT');
    expect(fired.events.map((e) => e.type)).toEqual(['ExecutionTimedOut']);
  });
});

describe('step: heartbeats', () => {
  for (const [language, heartbeat] of [['JSONPath', 10], ['JSONata', '{% $states.input.hb %}']] as const) {
    it(`a heartbeat re-arms the ${language} HeartbeatSeconds timer from the value computed at scheduling`, async () => {
      const program = compileDefinition({
        QueryLanguage: language,
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: heartbeat, End: true } },
      } as JsonObject);
      const started = await step(program, newExecution(defaultContext(NOW), { hb: 10 }), [{ kind: 'start', input: { hb: 10 } }], env());
      const task = started.commands.find((c) => c.kind === 'scheduleTask') as ScheduleTaskCommand;
      const first = started.commands.find((c) => c.kind === 'startTimer' && c.purpose === 'heartbeat') as { timerId: string; fireAt: number };
      expect(first.fireAt).toBe(NOW + 10_000);
      const beat = await step(program, started.doc, [{ kind: 'taskHeartbeat', taskId: task.taskId }], env(NOW + 4_000));
      expect(beat.events).toEqual([]);
      expect(beat.commands).toContainEqual({ kind: 'cancelTimer', timerId: first.timerId });
      const rearmed = beat.commands.find((c) => c.kind === 'startTimer') as { timerId: string; fireAt: number };
      expect(rearmed.fireAt).toBe(NOW + 14_000);
      const stale = await step(program, beat.doc, [{ kind: 'timerFired', timerId: first.timerId }], env(NOW + 10_000));
      expect(stale.ignored).toBe(true);
      const late = await step(program, beat.doc, [{ kind: 'timerFired', timerId: rearmed.timerId }], env(NOW + 14_000));
      expect(late.doc.status).toBe('FAILED');
      expect(late.doc.error).toBe('States.Timeout');
    });
  }
});

describe('step: the history-event limit', () => {
  it('fails an execution that would exceed limits.historyEvents with States.Runtime, and a raised limit lets it finish', async () => {
    const states: JsonObject = {};
    for (let i = 0; i < 40; i++) states[`S${i}`] = i < 39 ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
    const chain = compileDefinition({ StartAt: 'S0', States: states });
    const tight = await step(chain, newExecution(defaultContext(NOW), {}), [{ kind: 'start', input: {} }], { ...env(), limits: { historyEvents: 50 } });
    expect(tight.doc.status).toBe('FAILED');
    expect(tight.doc.error).toBe('States.Runtime');
    expect(tight.doc.cause).toContain('maximum number of history events (50)');
    const roomy = await step(chain, newExecution(defaultContext(NOW), {}), [{ kind: 'start', input: {} }], { ...env(), limits: { historyEvents: 100 } });
    expect(roomy.doc.status).toBe('SUCCEEDED');
  });
});

describe('step: an answer waiting with a fired timer of its task', () => {
  // SendTask* refuses an answer once its task's timer is due or has fired: an answer the engine took arrived in
  // time, and when it waits in one step with that timer's signal (the timer fired while it was being recorded), it
  // goes first whatever their order.
  const program = compileDefinition({
    StartAt: 'T',
    States: { T: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', TimeoutSeconds: 30, HeartbeatSeconds: 10, End: true } },
  } as JsonObject);

  async function scheduled() {
    const started = await step(program, newExecution(defaultContext(NOW), {}), [{ kind: 'start', input: {} }], env());
    const task = started.commands.find((c) => c.kind === 'scheduleTask') as ScheduleTaskCommand;
    const timer = (purpose: string) => (started.commands.find((c) => c.kind === 'startTimer' && c.purpose === purpose) as { timerId: string }).timerId;
    return { doc: started.doc, taskId: task.taskId, timeout: timer('taskTimeout'), heartbeat: timer('heartbeat') };
  }

  it('the answer behind its task\'s fired TimeoutSeconds timer succeeds the task; the timer is then stale', async () => {
    const t = await scheduled();
    const r = await step(program, t.doc, [{ kind: 'timerFired', timerId: t.timeout }, { kind: 'taskSucceeded', taskId: t.taskId, output: { ok: 1 } }], env(NOW + 30_000));
    expect(r.doc).toMatchObject({ status: 'SUCCEEDED', output: { ok: 1 } });
    expect(r.commands.some((c) => c.kind === 'cancelTask')).toBe(false);
  });

  it('a failure behind it fails the task with its own error, not States.Timeout', async () => {
    const t = await scheduled();
    const r = await step(program, t.doc, [{ kind: 'timerFired', timerId: t.heartbeat }, { kind: 'taskFailed', taskId: t.taskId, error: 'Mine' }], env(NOW + 10_000));
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'Mine' });
  });

  it('a heartbeat behind its fired heartbeat timer re-arms it, and the task goes on', async () => {
    const t = await scheduled();
    const r = await step(program, t.doc, [{ kind: 'timerFired', timerId: t.heartbeat }, { kind: 'taskHeartbeat', taskId: t.taskId }], env(NOW + 10_000));
    expect(r.doc.status).toBe('RUNNING');
    expect(r.commands).toContainEqual(expect.objectContaining({ kind: 'startTimer', purpose: 'heartbeat', fireAt: NOW + 20_000 }));
  });

  it('a timer with no answer of its task behind it still times the task out, marked as such for the engine', async () => {
    const t = await scheduled();
    const r = await step(program, t.doc, [{ kind: 'taskHeartbeat', taskId: 'another' }, { kind: 'timerFired', timerId: t.timeout }], env(NOW + 30_000));
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    expect(r.commands).toContainEqual({ kind: 'cancelTask', taskId: t.taskId, timedOut: true });
  });
});
