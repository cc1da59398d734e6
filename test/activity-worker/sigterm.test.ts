/**
 * The `shutdownSignals` option in a real process (fixtures/sigterm-worker.mjs, on the built package) against a
 * real Baton: SIGTERM stops the worker after the task in flight reported, and the process exits 0 by itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { WorkerErrors } from '@baton/activity-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY_ID, SECRET_KEY } from '../api/support/engine-stack.js';
import { activityMachine, finished, historyTypes, sleep, startExecution, startHarness, until, type Harness } from './support.js';

const fixture = resolve(__dirname, 'fixtures/sigterm-worker.mjs');

let h: Harness;
beforeAll(async () => {
  h = await startHarness('postgres');
});
afterAll(async () => {
  await h?.stop();
});

interface Child {
  process: ChildProcess;
  stdout: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A fresh activity served by a worker process in `mode`, and an execution whose task that worker has started. */
async function workerWithTask(mode: 'finish' | 'abort' | 'nosignals', input: unknown = {}): Promise<{ child: Child; executionArn: string }> {
  const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 30 });
  const child = startWorker(activityArn, mode);
  const executionArn = await startExecution(h, stateMachineArn, input);
  await until(() => child.stdout(), (s) => s.includes('started'), 'the handler to start');
  return { child, executionArn };
}

function startWorker(activityArn: string, mode: 'finish' | 'abort' | 'nosignals'): Child {
  const child = spawn(process.execPath, [fixture, h.stack.url, activityArn, ACCESS_KEY_ID, SECRET_KEY, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  void exit.then(({ code }) => {
    if (code !== 0 && code !== null) console.error(`worker exited ${code}: ${err}`);
  });
  return { process: child, stdout: () => out, exit };
}

describe('shutdownSignals', () => {
  it('SIGTERM lets the task in flight finish and report, then the process exits 0', async () => {
    const { child, executionArn } = await workerWithTask('finish', { order: 7 });
    child.process.kill('SIGTERM');
    expect(await child.exit).toEqual({ code: 0, signal: null });
    expect(child.stdout()).toBe('started\nstopped\n');
    const d = await finished(h, executionArn);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ echoed: { order: 7 } });
  });

  it("a second SIGTERM cuts the grace short: the handler's signal aborts and its failure is reported", async () => {
    const { child, executionArn } = await workerWithTask('abort');
    child.process.kill('SIGTERM');
    // The grace is ten minutes: the worker keeps waiting for the handler...
    await sleep(500);
    expect(child.process.exitCode).toBeNull();
    child.process.kill('SIGTERM');
    expect(await child.exit).toEqual({ code: 0, signal: null });
    const d = await finished(h, executionArn);
    expect({ status: d.status, error: d.error }).toEqual({ status: 'FAILED', error: WorkerErrors.workerStopped });
  });

  it('without the option SIGTERM kills the process and the task is left unanswered (the tests above can fail)', async () => {
    const { child, executionArn } = await workerWithTask('nosignals');
    child.process.kill('SIGTERM');
    expect(await child.exit).toEqual({ code: null, signal: 'SIGTERM' });
    await sleep(1_500);
    const types = await historyTypes(h, executionArn);
    expect(types).toContain('ActivityStarted');
    expect(types).not.toContain('ActivitySucceeded');
    await h.sfn.send(new StopExecutionCommand({ executionArn }));
  });
});
