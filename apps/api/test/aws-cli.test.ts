/**
 * The AWS CLI (Debian's `awscli`, v2) against the API layer: signing, the JSON 1.0 wire format and error
 * reporting as the CLI sees them. The backend is the in-test InMemoryBackend (the engine is exercised through
 * the SDK in test/api/sdk-engine.test.ts). Skipped, with the reason printed, when no `aws` binary is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { KEY_ID, SECRET, startServer, type Harness } from './support/harness.js';

const AWS = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => existsSync(p));
if (!AWS) console.warn('aws-cli.test: skipped, no `aws` binary (apt-get install -y awscli)');

const run = promisify(execFile);
let h: Harness;
const home = mkdtempSync(join(tmpdir(), 'baton-awscli-'));

async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return awsWithin(60_000, ...args);
}

async function awsWithin(timeout: number, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(AWS!, ['stepfunctions', ...args, '--endpoint-url', h.url, '--output', 'json'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        AWS_ACCESS_KEY_ID: KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PAGER: '',
        AWS_MAX_ATTEMPTS: '1',
      },
      timeout,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe.skipIf(!AWS)('AWS CLI against Baton', () => {
  beforeAll(async () => {
    h = await startServer(new InMemoryBackend());
  });
  afterAll(() => h?.close());

  it('creates, describes, starts and reads, and reports AWS errors', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const created = await aws('create-state-machine', '--name', 'cli', '--definition', definition, '--role-arn', 'arn:aws:iam::123456789012:role/r');
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout).stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:cli');

    const described = JSON.parse((await aws('describe-state-machine', '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:cli')).stdout);
    expect(described).toMatchObject({ name: 'cli', definition, type: 'STANDARD' });
    expect(typeof described.creationDate).toBe('string');

    const started = JSON.parse(
      (await aws('start-execution', '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:cli', '--name', 'c1', '--input', '{"v":1}')).stdout,
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:cli:c1');
    const execution = JSON.parse((await aws('describe-execution', '--execution-arn', started.executionArn)).stdout);
    expect(execution).toMatchObject({ status: 'RUNNING', input: '{"v":1}' });

    const missing = await aws('describe-execution', '--execution-arn', 'arn:aws:states:us-east-1:123456789012:execution:cli:none');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(ExecutionDoesNotExist)');
    expect(missing.stderr).toContain("Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:cli:none'");

    const tooMany = await aws('list-executions', '--max-results', '1001');
    expect(tooMany.stderr).toContain('(ValidationException)');
  });

  // botocore signs two identical calls made in the same second identically; a server that refused a repeated
  // signature failed 2 to 7 of 12 polls. Started together, at least two of the 12 share a second (they all run
  // within a few seconds), so this fails on such a server every time.
  it('answers the same command 12 times in quick succession (polling describe-execution)', async () => {
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    await aws('create-state-machine', '--name', 'poll', '--definition', definition, '--role-arn', 'arn:aws:iam::123456789012:role/r');
    const { executionArn } = JSON.parse(
      (await aws('start-execution', '--state-machine-arn', 'arn:aws:states:us-east-1:123456789012:stateMachine:poll', '--name', 'p1')).stdout,
    );
    // Twelve CLI processes at once on a busy machine can each take long to start: a generous per-command limit.
    const polls = await Promise.all(Array.from({ length: 12 }, () => awsWithin(180_000, 'describe-execution', '--execution-arn', executionArn)));
    const failures = polls.filter((p) => p.code !== 0).map((p) => p.stderr.trim());
    expect(failures).toEqual([]);
    for (const p of polls) expect(JSON.parse(p.stdout)).toMatchObject({ executionArn, status: 'RUNNING' });
  }, 300_000);
});
