/**
 * A poison execution on `npm start` (issue 18: one definition killed the process, and again after every restart,
 * so the embedded data folder was unusable). The server runs with a test-only crash hook,
 * test/support/fatal-on-magic.cjs, preloaded with `--require` (through NODE_OPTIONS, so the evaluation processes
 * have it too; threads inherit it anyway): evaluating `$abs(-987654321)` makes V8 abort the process it runs in with
 * "Fatal JavaScript invalid size error", the failure Baton's JSONata bounds otherwise keep out of reach.
 *
 * With evaluation processes (the default) that process is an evaluation host: the server never dies, the state
 * fails, and StartSyncExecution answers. With evaluation threads (BATON_EVALUATION_ISOLATION=thread) the whole
 * server aborts: the execution is resumed at each restart and kills the process again, until the durable count of
 * crashed attempts has it failed with States.Runtime; the server then stays up on the same data folder, runs new
 * executions, and an execution parked before the crashes finishes. Needs the build (`npm test` runs `tsc -b` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { poisonCause } from '@baton/engine';
import { BUILT, ROLE, ROOT, client, freePort, killServers, listening, startServer, types, until, type Server } from './support/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'baton-poison-'));
const HOOK = { NODE_OPTIONS: `--require ${join(ROOT, 'test/support/fatal-on-magic.cjs')}` };
// The in-process queue is empty after a restart: the reconciler resumes the execution, soon.
// Three crashes, not the default five, keep the test short (and show the variable at work).
const ENV = { ...HOOK, BATON_RECONCILE_GRACE_MS: '300', BATON_RECONCILE_INTERVAL_MS: '200', BATON_MAX_CRASHED_ATTEMPTS: '3', BATON_EVALUATION_ISOLATION: 'thread' };
const BOMB = { QueryLanguage: 'JSONata', StartAt: 'Boom', States: { Boom: { Type: 'Pass', Output: '{% $abs(-987654321) %}', End: true } } };

afterAll(() => {
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server; resolves with it once it listens, or undefined if it died first (a crash during boot's resumption). */
async function boot(port: number): Promise<Server | undefined> {
  const server = startServer(dataDir, port, ENV);
  try {
    await listening(server, `http://127.0.0.1:${port}`);
    return server;
  } catch {
    await server.exited;
    return undefined;
  }
}

describe.skipIf(!BUILT && process.env.CI !== 'true')('a poison execution on npm start', () => {
  it('with evaluation processes (the default), aborts only its evaluation process: the server stays up, the state fails, StartSyncExecution answers', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = startServer(mkdtempSync(join(tmpdir(), 'baton-poison-process-')), port, HOOK);
    await listening(server, url);
    const sfn = client(url);
    const create = (name: string, definition: object, type?: S.StateMachineType) =>
      sfn.send(new S.CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition), ...(type ? { type } : {}) }));
    const bomb = await create('bomb', BOMB);
    const poison = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: bomb.stateMachineArn, name: 'poison' }));
    const failed = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: poison.executionArn })), (d) => d.status !== 'RUNNING', 'the poison execution to end');
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(failed.cause).toContain("the evaluation exceeded Baton's memory budget");
    expect(await types(sfn, poison.executionArn!)).toEqual(['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed']);

    const express = await create('bomb-express', BOMB, 'EXPRESS');
    const sync = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: express.stateMachineArn }));
    expect(sync).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });

    const hello = await create('hello', { StartAt: 'Greet', States: { Greet: { Type: 'Pass', Result: 'hi', End: true } } });
    const after = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: hello.stateMachineArn }));
    const done = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: after.executionArn })), (d) => d.status !== 'RUNNING', 'a new execution');
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"hi"' });
    // Both evaluation processes aborted as the thread did (V8's words reach their stderr), the server never did.
    expect(server.child.exitCode).toBeNull();
    sfn.destroy();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('with evaluation threads, crashes the process a few times, is then failed, and the data folder serves on', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let server = await boot(port);
    if (!server) throw new Error('the first server did not start');
    let sfn = client(url);
    const create = (name: string, definition: object) =>
      sfn.send(new S.CreateStateMachineCommand({ name, roleArn: ROLE, definition: JSON.stringify(definition) }));
    const napper = await create('napper', { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 2, Next: 'Up' }, Up: { Type: 'Pass', Result: 'awake', End: true } } });
    const parked = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: napper.stateMachineArn, name: 'nap' }));
    await until(() => types(sfn, parked.executionArn!), (t) => t.includes('WaitStateEntered'), 'the Wait state');
    const bomb = await create('bomb', BOMB);
    const poison = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: bomb.stateMachineArn, name: 'poison' }));

    let crashes = 0;
    for (;;) {
      const died = await Promise.race([server!.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 8_000))]);
      if (!died) break; // up for 8 s with the poison execution resumed: it no longer crashes anything
      crashes++;
      expect(server!.child.signalCode ?? server!.child.exitCode).not.toBe(0);
      expect(server!.stderr()).toContain('Fatal JavaScript invalid size error');
      if (crashes > 6) throw new Error('the poison execution kept crashing the server');
      sfn.destroy();
      do server = await boot(port); while (!server && ++crashes <= 6);
      sfn = client(url);
    }
    expect(crashes).toBe(3);

    const failed = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: poison.executionArn })), (d) => d.status !== 'RUNNING', 'the poison execution to end');
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: poisonCause(3) });
    expect(await types(sfn, poison.executionArn!)).toEqual(['ExecutionStarted', 'ExecutionFailed']);

    // The data folder is usable: the parked execution finished, and new ones run.
    const napped = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: parked.executionArn })), (d) => d.status !== 'RUNNING', 'the parked execution');
    expect(napped).toMatchObject({ status: 'SUCCEEDED', output: '"awake"' });
    const hello = await create('hello', { StartAt: 'Greet', States: { Greet: { Type: 'Pass', Result: 'hi', End: true } } });
    const after = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: hello.stateMachineArn }));
    const done = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: after.executionArn })), (d) => d.status !== 'RUNNING', 'a new execution');
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '"hi"' });
    sfn.destroy();
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
  });
});
