import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';
import { S3RVER_CREDENTIALS } from './support/s3rver.js';

const ROLE = 'arn:aws:iam::210987654321:role/cross-account';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:billing';
const execution = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:billing:${name}`;

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  emu.sts.allow(ROLE);
});
afterAll(async () => {
  await emu?.close();
});

const listSecrets = (credentials: JsonObject | undefined, extra: JsonObject = {}): JsonObject => ({
  Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:secretsmanager:listSecrets', Parameters: {},
  ...(credentials ? { Credentials: credentials } : {}), ...extra,
});
const lastSecretsCall = () => emu.secretsManager.calls.at(-1)!;

describe('Task Credentials', () => {
  it('assumes the role through STS and signs the task\'s call with the temporary credentials', async () => {
    const before = emu.sts.calls.length;
    const r = await runWithInvoker({ StartAt: 'T', States: { T: listSecrets({ RoleArn: ROLE }, { End: true }) } }, emu.invoker(), { executionArn: execution('run-1') });
    expect(r.status).toBe('SUCCEEDED');
    const assumed = emu.sts.calls.slice(before);
    expect(assumed).toHaveLength(1);
    expect(assumed[0]).toMatchObject({ RoleArn: ROLE, RoleSessionName: 'run-1', ExternalId: MACHINE, DurationSeconds: 3600, accessKeyId: S3RVER_CREDENTIALS.accessKeyId });
    expect(lastSecretsCall().accessKeyId).toBe(assumed[0]!.issued);
    expect(lastSecretsCall().sessionToken).toBeDefined();
  });

  it('takes RoleArn.$ and JSONata forms; reuses the credentials until shortly before they expire', async () => {
    const before = emu.sts.calls.length;
    const twice: JsonObject = {
      StartAt: 'A',
      States: {
        A: listSecrets({ 'RoleArn.$': '$.role' }, { ResultPath: null, Next: 'B' }),
        B: listSecrets({ 'RoleArn.$': '$.role' }, { End: true }),
      },
    };
    expect((await runWithInvoker(twice, emu.invoker(), { input: { role: ROLE }, executionArn: execution('run-2') })).status).toBe('SUCCEEDED');
    expect(emu.sts.calls.length - before).toBe(1);
    const jsonata: JsonObject = {
      QueryLanguage: 'JSONata', StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:secretsmanager:listSecrets', Arguments: {}, Credentials: { RoleArn: '{% $states.input.role %}' }, End: true } },
    };
    expect((await runWithInvoker(jsonata, emu.invoker(), { input: { role: ROLE }, executionArn: execution('run-3') })).status).toBe('SUCCEEDED');
    expect(emu.sts.calls.at(-1)).toMatchObject({ RoleArn: ROLE, RoleSessionName: 'run-3' });
    emu.sts.expiresInSeconds = 60; // inside the five-minute renewal margin: every task assumes again
    try {
      const start = emu.sts.calls.length;
      expect((await runWithInvoker(twice, emu.invoker(), { input: { role: ROLE }, executionArn: execution('run-4') })).status).toBe('SUCCEEDED');
      expect(emu.sts.calls.length - start).toBe(2);
      expect(new Set(emu.sts.calls.slice(start).map((c) => c.issued)).size).toBe(2);
    } finally {
      emu.sts.expiresInSeconds = undefined;
    }
  });

  it('a role STS refuses fails the task with States.TaskFailed, caught like any task failure', async () => {
    const def: JsonObject = {
      StartAt: 'T',
      States: {
        T: listSecrets({ RoleArn: 'arn:aws:iam::210987654321:role/not-trusted' }, { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }], End: true }),
        Caught: { Type: 'Pass', End: true },
      },
    };
    const before = emu.secretsManager.calls.length;
    const r = await runWithInvoker(def, emu.invoker(), { executionArn: execution('run-5') });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as JsonObject).Error).toBe('States.TaskFailed');
    // AccessDenied is not in STS's service model: the SDK integrations' naming makes it Sts.StsException.
    expect((r.output as JsonObject).Cause).toMatch(
      /^Unable to assume the role arn:aws:iam::210987654321:role\/not-trusted given in the Task's Credentials: Sts\.StsException: User: .* is not authorized to perform: sts:AssumeRole on resource: .* \(Service: Sts, Status Code: 403, Request ID: [\w-]+\)$/,
    );
    expect(emu.secretsManager.calls.length).toBe(before);
  });

  it('refuses Credentials it cannot honour with States.Runtime', async () => {
    const bad = await runWithInvoker({ StartAt: 'T', States: { T: listSecrets({ RoleArn: 'not-an-arn' }, { End: true }) } }, emu.invoker());
    expect(bad).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(bad.cause).toContain('must be an IAM role ARN');
    const nested = await runWithInvoker({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: MACHINE }, Credentials: { RoleArn: ROLE }, End: true } },
    }, emu.invoker());
    expect(nested).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(nested.cause).toContain('not supported for Step Functions tasks');
  });

  it('without Credentials the invoker\'s own credentials sign and STS is not called', async () => {
    const before = emu.sts.calls.length;
    expect((await runWithInvoker({ StartAt: 'T', States: { T: listSecrets(undefined, { End: true }) } }, emu.invoker())).status).toBe('SUCCEEDED');
    expect(emu.sts.calls.length).toBe(before);
    expect(lastSecretsCall()).toMatchObject({ accessKeyId: S3RVER_CREDENTIALS.accessKeyId, sessionToken: undefined });
  });
});
