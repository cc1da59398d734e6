/**
 * StartSyncExecution from default clients. The SDKs and the CLI send this action to `sync-<endpoint host>`, so a
 * local endpoint (`http://127.0.0.1:<port>`) becomes `sync-127.0.0.1`, which does not resolve. What works, each
 * against the API with SigV4 on (the in-test backend; the README's own example runs in test/embedded/readme-sync):
 * - the JavaScript SDK with `disableHostPrefix: true`;
 * - Debian's AWS CLI v2 (no switch for it) through `HTTP_PROXY` set to Baton's URL, which sends the request in
 *   absolute form (`POST http://sync-127.0.0.1:<port>/`) without resolving the name: Baton accepts that form;
 * - botocore (boto3, AWS CLI v1) with `AWS_DISABLE_HOST_PREFIX_INJECTION=true`, where this machine has a botocore
 *   that knows the setting.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originForm } from '../src/http/request-target.js';
import { InMemoryBackend } from './support/in-memory-backend.js';
import { KEY_ID, SECRET, startServer, type Harness } from './support/harness.js';

const run = promisify(execFile);
const DEBIAN_AWS = '/usr/bin/aws';
const home = mkdtempSync(join(tmpdir(), 'baton-sync-prefix-'));
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
const EXPRESS = 'arn:aws:states:us-east-1:123456789012:stateMachine:quick';

let h: Harness;
let backend: InMemoryBackend;

beforeAll(async () => {
  backend = new InMemoryBackend();
  h = await startServer(backend);
  await h.client().send(new S.CreateStateMachineCommand({ name: 'quick', definition: PASS, roleArn: 'arn:aws:iam::123456789012:role/r', type: 'EXPRESS' }));
});
afterAll(() => h?.close());

const syncCalls = () => backend.calls.filter((c) => c.method === 'startSyncExecution').length;

/** Runs a command with credentials for the test server and nothing of this machine's AWS configuration. */
async function shell(file: string, args: string[], extraEnv: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(file, args, {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1', ...extraEnv,
      },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

describe('the absolute form of the request target', () => {
  it('is routed on its path and query, whatever the host (even one WHATWG URLs refuse)', () => {
    expect(originForm('http://sync-127.0.0.1:8080/')).toBe('/');
    expect(originForm('HTTP://baton.test/v1/executions/x?y=1')).toBe('/v1/executions/x?y=1');
    expect(originForm('http://sync-127.0.0.1:8080')).toBe('/');
    expect(originForm('/healthz')).toBe('/healthz');
  });
});

describe('the JavaScript SDK', () => {
  /** The host name the SDK sends StartSyncExecution to (captured before anything goes out). */
  async function hostOf(client: S.SFNClient): Promise<string> {
    let hostname = '';
    client.middlewareStack.add(
      () => async (args) => {
        hostname = (args.request as { hostname: string }).hostname;
        throw new Error('captured');
      },
      { step: 'finalizeRequest', priority: 'low', name: 'captureHost' },
    );
    await client.send(new S.StartSyncExecutionCommand({ stateMachineArn: EXPRESS })).catch(() => undefined);
    return hostname;
  }

  it('addresses sync-<host> by default and the endpoint itself with disableHostPrefix', async () => {
    expect(await hostOf(h.client({ disableHostPrefix: false }))).toBe('sync-127.0.0.1');
    expect(await hostOf(h.client({ disableHostPrefix: true }))).toBe('127.0.0.1');
    const out = await h.client({ disableHostPrefix: true }).send(new S.StartSyncExecutionCommand({ stateMachineArn: EXPRESS, input: '{"n":1}' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"n":1}' });
  });
});

describe.skipIf(!existsSync(DEBIAN_AWS))("Debian's AWS CLI v2", () => {
  const syncExecution = (extraEnv: Record<string, string> = {}) =>
    shell(DEBIAN_AWS, ['stepfunctions', 'start-sync-execution', '--endpoint-url', h.url, '--state-machine-arn', EXPRESS, '--input', '{"via":"proxy"}', '--output', 'json'], extraEnv);

  it('cannot reach sync-127.0.0.1 as it is, and reaches Baton with HTTP_PROXY set to it (signed with SigV4)', async () => {
    const before = syncCalls();
    const direct = await syncExecution();
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toContain(`sync-127.0.0.1:${new URL(h.url).port}`);
    expect(syncCalls()).toBe(before);

    const proxied = await syncExecution({ HTTP_PROXY: h.url });
    expect(proxied.stderr).toBe('');
    expect(JSON.parse(proxied.stdout)).toMatchObject({ status: 'SUCCEEDED', output: '{"via":"proxy"}' });
    expect(syncCalls()).toBe(before + 1);
  });

  it('is refused a bad signature through the proxy too', async () => {
    const r = await syncExecution({ HTTP_PROXY: h.url, AWS_SECRET_ACCESS_KEY: 'wrong' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('InvalidSignatureException');
  });
});

/** A python3 whose botocore knows `disable_host_prefix_injection` (botocore 1.3x and later), if there is one. */
const PYTHON = await (async () => {
  const probe = await shell('python3', ['-c', "import botocore.configprovider as c; print('disable_host_prefix_injection' in c.BOTOCORE_DEFAUT_SESSION_VARIABLES)"]);
  if (probe.stdout.trim() === 'True') return 'python3';
  console.warn('sync-host-prefix.test: the botocore case is skipped, no python3 with a botocore that knows disable_host_prefix_injection');
  return undefined;
})();

describe.skipIf(!PYTHON)('botocore (boto3, AWS CLI v1)', () => {
  const script = `
import json, os, botocore.session
client = botocore.session.get_session().create_client('stepfunctions', endpoint_url=os.environ['ENDPOINT'], region_name='us-east-1')
out = client.start_sync_execution(stateMachineArn=os.environ['ARN'], input='{"via":"botocore"}')
print(json.dumps({'status': out['status'], 'output': out['output']}))
`;
  it('goes to the endpoint itself with AWS_DISABLE_HOST_PREFIX_INJECTION=true', async () => {
    const env = { ENDPOINT: h.url, ARN: EXPRESS };
    const before = syncCalls();
    const prefixed = await shell(PYTHON!, ['-c', script], env);
    expect(prefixed.code).not.toBe(0);
    expect(syncCalls()).toBe(before);
    const direct = await shell(PYTHON!, ['-c', script], { ...env, AWS_DISABLE_HOST_PREFIX_INJECTION: 'true' });
    expect(direct.stderr).toBe('');
    expect(JSON.parse(direct.stdout)).toEqual({ status: 'SUCCEEDED', output: '{"via":"botocore"}' });
  });

  it('and with disable_host_prefix_injection = true in the config file', async () => {
    const config = join(home, 'config');
    writeFileSync(config, '[default]\ndisable_host_prefix_injection = true\n');
    const r = await shell(PYTHON!, ['-c', script], { ENDPOINT: h.url, ARN: EXPRESS, AWS_CONFIG_FILE: config });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ status: 'SUCCEEDED', output: '{"via":"botocore"}' });
  });
});
