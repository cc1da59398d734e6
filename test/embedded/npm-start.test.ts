/**
 * `npm start` as users run it: `node apps/cli/bin/baton.js server` with no DATABASE_URL or REDIS_URL, a fresh
 * BATON_DATA_DIR and a free PORT. An SDK client creates, starts, waits for and reads executions; a web page's
 * cross-site and DNS-rebound requests start nothing (authentication is off there); the process is
 * killed (SIGKILL: no chance to clean up) and started again on the same folder: the finished execution is still
 * there with its history, and one that was parked in a Wait state resumes and finishes. A second server on the
 * same folder is refused while the first runs; SIGTERM stops it with exit code 0.
 * Needs the build (`npm test` runs `tsc -b` first).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, ROLE, client, freePort, killServers, listening, startServer as startIn, types, until } from './support/server.js';
import { rawHttp } from '../../apps/api/test/support/harness.js';

if (!BUILT) console.warn('npm-start.test: skipped, the CLI is not built (run `npx tsc -b` or `npm test`)');

const dataDir = mkdtempSync(join(tmpdir(), 'baton-npm-start-'));
const startServer = (port: number) => startIn(dataDir, port);

afterAll(() => {
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!BUILT && process.env.CI !== 'true')('npm start (baton server on the embedded default)', () => {
  it('serves the SDK, keeps executions across a kill and a restart, and resumes a parked one', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const first = startServer(port);
    await listening(first, url);
    expect(first.stdout()).toContain(`aws stepfunctions --endpoint-url ${url}`);
    // The banner links the web console (built at install), and GET / leads there in developer mode.
    expect(first.stdout()).toContain(`Console: ${url}/console/`);
    const home = await fetch(`${url}/`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/console/']);
    expect(await (await fetch(`${url}/console/`)).text()).toContain('<div id="root">');

    let sfn = client(url);
    const hello = await sfn.send(new S.CreateStateMachineCommand({
      name: 'hello', roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Parameters: { 'greeting.$': "States.Format('Hello, {}!', $.name)" }, End: true } } }),
    }));
    const napper = await sfn.send(new S.CreateStateMachineCommand({
      name: 'napper', roleArn: ROLE,
      definition: JSON.stringify({ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 6, Next: 'Up' }, Up: { Type: 'Pass', Result: 'awake', End: true } } }),
    }));
    const done = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: hello.stateMachineArn, name: 'ada', input: '{"name":"Ada"}' }));
    const finished = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: done.executionArn })), (d) => d.status !== 'RUNNING', 'hello to finish');
    expect(finished).toMatchObject({ status: 'SUCCEEDED', output: '{"greeting":"Hello, Ada!"}' });

    // Authentication is off, yet a web page cannot drive it: the text/plain POST another site (or a DNS-rebound
    // name) sends is refused, and so is a JSON one from a foreign Origin.
    const startBody = (name: string) => JSON.stringify({ stateMachineArn: hello.stateMachineArn, name, input: '{"name":"Mallory"}' });
    const target = { 'x-amz-target': 'AWSStepFunctions.StartExecution' };
    const rebound = await rawHttp(port, 'POST', '/', { host: 'attacker.example', origin: 'http://attacker.example', 'content-type': 'text/plain', ...target }, startBody('rebound'));
    expect(rebound).toMatchObject({ status: 400, body: { __type: 'AccessDeniedException' } });
    const crossSite = await rawHttp(port, 'POST', '/', { host: `127.0.0.1:${port}`, origin: 'http://attacker.example', 'content-type': 'application/json', ...target }, startBody('cross-site'));
    expect(crossSite).toMatchObject({ status: 400, body: { __type: 'AccessDeniedException' } });
    const simple = await rawHttp(port, 'POST', '/', { host: `localhost:${port}`, 'content-type': 'text/plain', ...target }, startBody('simple'));
    expect(simple).toMatchObject({ status: 415, body: { __type: 'UnsupportedMediaTypeException' } });
    const runs = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: hello.stateMachineArn }));
    expect(runs.executions!.map((e) => e.name)).toEqual(['ada']);

    // A second server on the same data folder is refused while the first one holds it.
    const intruder = startServer(await freePort());
    expect(await intruder.exited).not.toBe(0);
    expect(intruder.stderr()).toContain('in use by process');

    const parked = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: napper.stateMachineArn, name: 'nap-1' }));
    await until(() => types(sfn, parked.executionArn!), (t) => t.includes('WaitStateEntered'), 'the Wait state');

    expect((await sfn.send(new S.DescribeExecutionCommand({ executionArn: parked.executionArn }))).status).toBe('RUNNING');
    first.child.kill('SIGKILL');
    await first.exited;
    const killedAt = Date.now();
    sfn.destroy();

    const second = startServer(port);
    await listening(second, url);
    sfn = client(url);
    const kept = await sfn.send(new S.DescribeExecutionCommand({ executionArn: done.executionArn }));
    expect(kept).toMatchObject({ status: 'SUCCEEDED', name: 'ada', input: '{"name":"Ada"}', output: '{"greeting":"Hello, Ada!"}' });
    expect(await types(sfn, done.executionArn!)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    const listed = await sfn.send(new S.ListStateMachinesCommand({}));
    expect(listed.stateMachines!.map((m) => m.name).sort()).toEqual(['hello', 'napper']);

    const resumed = await until(() => sfn.send(new S.DescribeExecutionCommand({ executionArn: parked.executionArn })), (d) => d.status !== 'RUNNING', 'the parked execution to resume');
    expect(resumed).toMatchObject({ status: 'SUCCEEDED', output: '"awake"' });
    const history = (await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: parked.executionArn }))).events!;
    expect(history.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    // The Wait ended in the second process: its timer outlived the first one.
    expect(history[2]!.timestamp!.getTime()).toBeGreaterThanOrEqual(killedAt);
    sfn.destroy();

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dataDir, 'baton.lock'))).toBe(false);
  });
});
