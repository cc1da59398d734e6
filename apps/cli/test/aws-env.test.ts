/**
 * The task integrations' settings (src/aws-env.ts): the SDK's own endpoint variables by service id, path-style S3,
 * and the HTTP Task's connections file, read and checked at start, its problems naming the file and the field,
 * never a value (values are credentials).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@baton/config';
import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../src/role-config.js';

const SERVER = { DATABASE_URL: 'postgres://baton@127.0.0.1:5432/baton', REDIS_URL: 'redis://127.0.0.1:6379' };
const ARN = 'arn:aws:events:us-east-1:123456789012:connection/stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac';

const invoker = (env: Record<string, string>) => parseRoleConfig('worker', { ...SERVER, ...env }).invoker;

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-connections-')), 'connections.json');
  writeFileSync(path, content);
  return path;
}

function problemsOf(env: Record<string, string>): string {
  try {
    invoker(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.join('\n');
    throw e;
  }
  return 'no problem';
}

describe('the task integrations settings', () => {
  it('reads region and endpoints, the new clients by their SDK service ids', () => {
    expect(invoker({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' })).toEqual({
      region: 'eu-west-1', endpoints: { default: 'http://localhost:4566', dynamodb: 'http://127.0.0.1:8000' },
    });
    const env = { AWS_ENDPOINT_URL_S3: 'http://s3:1', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eb:2', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm:3', AWS_ENDPOINT_URL_STS: 'http://sts:4' };
    expect(invoker(env).endpoints).toEqual({ s3: 'http://s3:1', eventbridge: 'http://eb:2', secretsmanager: 'http://sm:3', sts: 'http://sts:4' });
    expect(invoker({ AWS_ENDPOINT_URL_SQS: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }).endpoints).toBeUndefined();
    expect(invoker({ BATON_S3_FORCE_PATH_STYLE: 'true' }).s3ForcePathStyle).toBe(true);
  });

  it('reads BATON_CONNECTIONS_FILE and BATON_CONNECTIONS_FROM_EVENTBRIDGE', () => {
    const connection = { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'hunter2' } } };
    expect(invoker({ BATON_CONNECTIONS_FILE: file(JSON.stringify({ [ARN]: connection })), BATON_CONNECTIONS_FROM_EVENTBRIDGE: 'true' })).toMatchObject({
      connections: { [ARN]: connection }, connectionLookup: true,
    });
    expect(problemsOf({ BATON_CONNECTIONS_FROM_EVENTBRIDGE: 'yes' })).toMatch(/^BATON_CONNECTIONS_FROM_EVENTBRIDGE /);
  });

  it('refuses a connections file it cannot use, naming the field and never a value', () => {
    const bad = (content: unknown) => problemsOf({ BATON_CONNECTIONS_FILE: file(typeof content === 'string' ? content : JSON.stringify(content)) });
    expect(problemsOf({ BATON_CONNECTIONS_FILE: '/no/such/file.json' })).toMatch(/BATON_CONNECTIONS_FILE names a file that cannot be read \('\/no\/such\/file\.json': ENOENT\)/);
    expect(bad('{not json')).toMatch(/is not valid JSON/);
    expect(bad({ 'not-an-arn': {} })).toMatch(/'not-an-arn' is not an EventBridge connection ARN/);
    expect(bad({ [ARN]: { AuthorizationType: 'DIGEST', AuthParameters: {} } })).toMatch(/AuthorizationType: must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS/);
    expect(bad({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u' } } } })).toMatch(/BasicAuthParameters\.Password: is required/);
    const message = bad({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: ['hunter2'] } } } });
    expect(message).toContain('BasicAuthParameters.Password: is required and must be a non-empty string');
    expect(message).not.toContain('hunter2');
  });
});
