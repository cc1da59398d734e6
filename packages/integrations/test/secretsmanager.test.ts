import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
});
afterAll(async () => {
  await emu?.close();
});

const sdk = (action: string, params: JsonObject): JsonObject => ({
  StartAt: 'T', States: { T: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:secretsmanager:${action}`, Parameters: params, End: true } },
});

describe('aws-sdk:secretsmanager:*', () => {
  it('createSecret, getSecretValue, describeSecret and listSecrets, dates as ISO-8601 text', async () => {
    const created = await runWithInvoker(sdk('createSecret', { Name: 'db/password', SecretString: 's3cr3t' }), emu.invoker());
    expect(created.status).toBe('SUCCEEDED');
    expect(Object.keys(created.output as object).sort()).toEqual(['ARN', 'Name', 'VersionId']);
    const got = await runWithInvoker(sdk('getSecretValue', { SecretId: 'db/password' }), emu.invoker());
    expect(got.output).toMatchObject({ Name: 'db/password', SecretString: 's3cr3t', VersionStages: ['AWSCURRENT'] });
    expect((got.output as JsonObject).CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const byArn = await runWithInvoker(sdk('describeSecret', { SecretId: String((created.output as JsonObject).ARN) }), emu.invoker());
    expect(byArn.output).toMatchObject({ Name: 'db/password' });
    const listed = await runWithInvoker(sdk('listSecrets', {}), emu.invoker());
    expect(((listed.output as JsonObject).SecretList as JsonObject[]).map((s) => s.Name)).toContain('db/password');
  });

  it('names declared errors SecretsManager.<Name>Exception and undeclared ones SecretsManager.SecretsManagerException', async () => {
    const missing = await runWithInvoker(sdk('getSecretValue', { SecretId: 'nope' }), emu.invoker());
    expect(missing).toMatchObject({ status: 'FAILED', error: 'SecretsManager.ResourceNotFoundException' });
    expect(missing.cause).toMatch(/^Secrets Manager can't find the specified secret\. \(Service: SecretsManager, Status Code: 400, Request ID: [\w-]+\)$/);
    const invalid = await runWithInvoker(sdk('createSecret', { Name: 'Invalid Name', SecretString: 'x' }), emu.invoker());
    expect(invalid).toMatchObject({ status: 'FAILED', error: 'SecretsManager.SecretsManagerException' });
    expect(invalid.cause).toContain('Invalid name. Must be a valid name containing alphanumeric characters');
  });
});
