/**
 * The evaluators on their own (no database): the pool's budgets (time, memory) and what it reports when a step
 * throws or cannot be copied to a host, the host replaced after each, with processes (the default) and with
 * threads; a process host that dies or is killed from outside; safeStep turning those into a failed state or, when
 * no evaluation is to blame, an ended execution; the in-thread evaluator.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compileDefinition, defaultContext, newExecution, type ExecutionDoc, type JsonObject, type Signal,
} from '@baton/asl';
import { InThreadEvaluator, PoolEvaluator, safeStep, type Isolation, type ProgramSource } from '@baton/engine';

const NOW = Date.UTC(2024, 0, 1);
const pools: PoolEvaluator[] = [];
const poolOf = (isolation: Isolation, timeoutMs: number, memoryMb: number): PoolEvaluator => {
  const p = new PoolEvaluator({ threads: 1, timeoutMs, memoryMb, isolation });
  pools.push(p);
  return p;
};
afterAll(async () => {
  for (const p of pools) await p.close();
});

let keys = 0;
function source(definition: object): ProgramSource {
  const text = JSON.stringify(definition);
  return { key: `test-${++keys}`, definition: text, program: compileDefinition(JSON.parse(text) as JsonObject) };
}
const jsonataPass = (output: string) => source({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: output, End: true } } });
const fresh = (input: unknown = {}): ExecutionDoc => newExecution(defaultContext(NOW), input as never);
const start = (input: unknown = {}): Signal[] => [{ kind: 'start', input: input as never }];
/** A document whose input is nested too deep to be copied to a host. */
function uncopyable(): ExecutionDoc {
  let deep: unknown = 'leaf';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const doc = fresh();
  doc.input = deep as never;
  return doc;
}
const request = (program: ProgramSource, doc = fresh(), signals = start()) => ({ program, doc, signals, now: NOW, seed: new Uint8Array(32) });

describe.each(['process', 'thread'] as const)('the pool of evaluation hosts (%s)', (isolation) => {
  const pool = (timeoutMs: number, memoryMb: number) => poolOf(isolation, timeoutMs, memoryMb);

  it('stops an evaluation over the time budget, names it, and replaces the host', async () => {
    const p = pool(300, 128);
    const outcome = await p.step(request(jsonataPass('{% $count($distinct([1..300000])) %}')));
    // Evaluation 1 is the Pass state's data flow, 2 its Output expression.
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'time', ordinal: 2 });
    expect(p.replacedThreads).toBe(1);
    expect(await p.step(request(jsonataPass('{% 1 + 1 %}')))).toMatchObject({ kind: 'stepped', result: { doc: { status: 'SUCCEEDED', output: 2 } } });
  });

  it('ends a host that runs out of its memory budget, names the evaluation, and replaces the host', async () => {
    const p = pool(120_000, 64);
    const outcome = await p.step(request(jsonataPass('{% $count([1..200] ~> $map(function($i) { [1..1000000] })) %}')));
    expect(outcome).toMatchObject({ kind: 'failed', reason: 'memory', ordinal: 2 });
    expect(p.replacedThreads).toBe(1);
    const r = await safeStep(p, { ...request(jsonataPass('{% $count([1..200] ~> $map(function($i) { [1..1000000] })) %}')) });
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(r.doc.cause).toContain("Expression evaluation memory limit exceeded: the evaluation exceeded Baton's memory budget of 64 MB (BATON_EVALUATION_MEMORY_MB)");
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed']);
  });

  it('reports a document it cannot copy to a host as a failure before any evaluation; safeStep ends the execution', async () => {
    const p = pool(5_000, 128);
    const program = jsonataPass('{% 1 %}');
    const doc = uncopyable();
    expect(await p.step(request(program, doc))).toMatchObject({ kind: 'failed', reason: 'error', ordinal: 0 });
    const r = await safeStep(p, request(program, doc));
    expect(r.doc).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.doc.cause).toMatch(/^Baton could not advance this execution within its evaluation budgets: The evaluation failed: .*call stack/);
    // Never started: its history still begins with ExecutionStarted, the input that cannot be serialised left out.
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
    expect(r.events[0]).toMatchObject({ executionStartedEventDetails: { input: 'null' } });
    expect(JSON.stringify(r.doc)).toContain('"input":null');
    const stopped = await safeStep(p, request(program, doc, [{ kind: 'stop', error: 'E', cause: 'C' }]));
    expect(stopped.doc).toMatchObject({ status: 'ABORTED', error: 'E', cause: 'C' });
  });

  it('sends steps that wait together in one batch; one over a budget fails alone, the others before and after it are answered', async () => {
    const p = pool(300, 128);
    const double = jsonataPass('{% $states.input.n * 2 %}');
    const ok = (n: number) => p.step(request(double, fresh({ n }), start({ n })));
    // The first takes the one host; the five behind it wait and go together.
    const first = ok(0);
    const batch = [ok(1), ok(2), p.step(request(jsonataPass('{% $count($distinct([1..300000])) %}'))), ok(4), ok(5)];
    expect(await first).toMatchObject({ kind: 'stepped', result: { doc: { output: 0 } } });
    const outcomes = await Promise.all(batch);
    expect(p.batchedSteps).toBe(5);
    expect(outcomes[2]).toMatchObject({ kind: 'failed', reason: 'time', ordinal: 2 });
    for (const i of [0, 1, 3, 4]) expect(outcomes[i]).toMatchObject({ kind: 'stepped', result: { doc: { status: 'SUCCEEDED', output: 2 * (i + 1) } } });
    expect(p.replacedThreads).toBe(1);
  });

  it('a document in a batch that cannot be copied to the host fails its step only', async () => {
    const p = pool(5_000, 128);
    const program = jsonataPass('{% 7 %}');
    const doc = uncopyable();
    const first = p.step(request(program));
    const batch = [p.step(request(program)), p.step(request(program, doc)), p.step(request(program))];
    await first;
    const outcomes = await Promise.all(batch);
    expect(p.batchedSteps).toBe(3);
    expect(outcomes[1]).toMatchObject({ kind: 'failed', reason: 'error', ordinal: 0 });
    for (const i of [0, 2]) expect(outcomes[i]).toMatchObject({ kind: 'stepped', result: { doc: { output: 7 } } });
    expect(p.replacedThreads).toBe(0);
  });

  it('compiles each program once per host, and again for a host that replaced one', async () => {
    const p = pool(300, 128);
    const program = jsonataPass('{% $states.input.n * 2 %}');
    for (const n of [1, 2]) {
      expect(await p.step(request(program, fresh({ n }), start({ n })))).toMatchObject({ kind: 'stepped', result: { doc: { output: n * 2 } } });
    }
    await p.step(request(jsonataPass('{% $count($distinct([1..300000])) %}')));
    expect(await p.step(request(program, fresh({ n: 5 }), start({ n: 5 })))).toMatchObject({ kind: 'stepped', result: { doc: { output: 10 } } });
  });
});

describe('evaluation processes', () => {
  /** This test process's evaluation hosts (their command line names the host script). */
  const hostPids = (): number[] => {
    try {
      return execFileSync('pgrep', ['-P', String(process.pid), '-f', 'step-process'], { encoding: 'utf8' }).trim().split('\n').map(Number);
    } catch {
      return []; // pgrep exits 1 when none matches
    }
  };

  /** Starts a step of `output` on a new pool and resolves, with the host's pid, once it is in evaluation 2. */
  const inOutputExpression = async (output: string) => {
    const p = poolOf('process', 120_000, 128);
    const before = new Set(hostPids());
    const step = p.step(request(jsonataPass(output)));
    let pid: number | undefined;
    while (pid === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      pid = hostPids().find((x) => !before.has(x));
    }
    // The host's marker (its descriptor 4, an unlinked file) says when it is in the Output expression (evaluation 2).
    while (readFileSync(`/proc/${pid}/fd/4`).readInt32LE(0) !== 2) await new Promise((r) => setTimeout(r, 5));
    return { p, step, pid };
  };

  it('a process that dies while it evaluates (any signal, as V8 aborting it would) fails that evaluation; this process goes on', async () => {
    const { p, step: slow, pid } = await inOutputExpression('{% $count($distinct([1..300000])) %}'); // seconds at least
    process.kill(pid, 'SIGSEGV');
    expect(await slow).toMatchObject({ kind: 'failed', reason: 'crash', ordinal: 2, message: expect.stringContaining('SIGSEGV') });
    expect(p.replacedThreads).toBe(1);
    expect(await p.step(request(jsonataPass('{% 6 * 7 %}')))).toMatchObject({ kind: 'stepped', result: { doc: { output: 42 } } });
  });

  it('a process ignores SIGINT and SIGTERM (Ctrl-C reaches the whole process group): its step still answers', async () => {
    const { p, step: slow, pid } = await inOutputExpression('{% $count($distinct([1..30000])) %}');
    process.kill(pid, 'SIGINT');
    process.kill(pid, 'SIGTERM');
    expect(await slow).toMatchObject({ kind: 'stepped', result: { doc: { status: 'SUCCEEDED', output: 30000 } } });
    expect(hostPids()).toContain(pid);
    expect(p.replacedThreads).toBe(0);
  });

  it('warm() starts one host ahead of the first step, which that step then takes; the others start when needed', async () => {
    const p = new PoolEvaluator({ threads: 2, timeoutMs: 5_000, memoryMb: 128 });
    pools.push(p);
    const before = new Set(hostPids());
    p.warm();
    expect(p.startedHosts).toBe(1);
    let warmed: number[] = [];
    while (warmed.length === 0) {
      await new Promise((r) => setTimeout(r, 20));
      warmed = hostPids().filter((x) => !before.has(x));
    }
    p.warm(); // it has its host: nothing more starts
    expect(await p.step(request(jsonataPass('{% 3 * 3 %}')))).toMatchObject({ kind: 'stepped', result: { doc: { output: 9 } } });
    expect(p.startedHosts).toBe(1);
    expect(hostPids().filter((x) => !before.has(x))).toEqual(warmed);
    // Two steps at once: the second host starts for the one the first host is not taking.
    const both = await Promise.all([p.step(request(jsonataPass('{% $count($distinct([1..3000])) %}'))), p.step(request(jsonataPass('{% 4 %}')))]);
    expect(both.map((o) => o.kind)).toEqual(['stepped', 'stepped']);
    expect(p.startedHosts).toBe(2);
  });

  it('a process killed from outside between steps is replaced by the next step', async () => {
    const p = poolOf('process', 5_000, 128);
    const before = new Set(hostPids());
    expect(await p.step(request(jsonataPass('{% 1 %}')))).toMatchObject({ kind: 'stepped' });
    const pid = hostPids().find((x) => !before.has(x))!;
    process.kill(pid, 'SIGKILL');
    while (hostPids().includes(pid)) await new Promise((r) => setTimeout(r, 20));
    expect(await p.step(request(jsonataPass('{% 2 %}')))).toMatchObject({ kind: 'stepped', result: { doc: { output: 2 } } });
    const after = hostPids().filter((x) => !before.has(x));
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(pid);
    await p.close();
    expect(hostPids().filter((x) => !before.has(x))).toEqual([]);
  });
});

describe('the in-thread evaluator', () => {
  it('reports a throw from step as a failure naming the evaluation in progress, and steps the same way otherwise', async () => {
    const e = new InThreadEvaluator();
    const ok = await e.step(request(jsonataPass('{% "x" %}')));
    expect(ok).toMatchObject({ kind: 'stepped', result: { doc: { status: 'SUCCEEDED', output: 'x' } } });
    const broken = fresh();
    broken.runs['0'] = { id: '0', machine: 'no-such-machine', lastEventId: 0, variables: {}, state: 'P', phase: { kind: 'ready' }, stateInput: {}, enteredEventId: 0, enteredTime: '', retryCounts: [] };
    broken.eventSeq = 1;
    expect(await e.step(request(jsonataPass('{% 1 %}'), broken, [{ kind: 'continue' }]))).toMatchObject({ kind: 'failed', reason: 'error', ordinal: 0 });
  });
});
