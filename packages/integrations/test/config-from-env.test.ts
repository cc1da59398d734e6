import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, InvokerConfigError } from '../src/index.js';

function file(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'baton-connections-')), 'connections.json');
  writeFileSync(path, content);
  return path;
}
const ARN = 'arn:aws:events:us-east-1:123456789012:connection/stripe/81210c42-8af1-456b-9c4a-6ff02fc664ac';

describe('configFromEnv', () => {
  it('reads the SDK variables: region, global and per-service endpoints', () => {
    expect(configFromEnv({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://localhost:4566', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' })).toEqual({
      region: 'eu-west-1',
      endpoints: { default: 'http://localhost:4566', dynamodb: 'http://127.0.0.1:8000' },
    });
  });
  it('falls back to AWS_DEFAULT_REGION, then the given default; no endpoints means none', () => {
    expect(configFromEnv({ AWS_DEFAULT_REGION: 'ap-south-1' })).toEqual({ region: 'ap-south-1' });
    expect(configFromEnv({}, 'us-west-2')).toEqual({ region: 'us-west-2' });
  });
  it('honours AWS_IGNORE_CONFIGURED_ENDPOINT_URLS and rejects a malformed URL', () => {
    expect(configFromEnv({ AWS_ENDPOINT_URL_SQS: 'http://x', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' })).toEqual({ region: 'us-east-1' });
    expect(() => configFromEnv({ AWS_ENDPOINT_URL_SNS: 'not a url' })).toThrow(InvokerConfigError);
  });
  it('reads the endpoints of the new clients by their SDK service ids', () => {
    const env = {
      AWS_ENDPOINT_URL_S3: 'http://s3:1', AWS_ENDPOINT_URL_EVENTBRIDGE: 'http://eb:2', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://sm:3', AWS_ENDPOINT_URL_STS: 'http://sts:4',
    };
    expect(configFromEnv(env).endpoints).toEqual({ s3: 'http://s3:1', eventbridge: 'http://eb:2', secretsmanager: 'http://sm:3', sts: 'http://sts:4' });
  });
  it('reads BATON_CONNECTIONS_FILE and BATON_CONNECTIONS_FROM_EVENTBRIDGE', () => {
    const connection = { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'hunter2' } } };
    expect(configFromEnv({ BATON_CONNECTIONS_FILE: file(JSON.stringify({ [ARN]: connection })), BATON_CONNECTIONS_FROM_EVENTBRIDGE: 'true' })).toEqual({
      region: 'us-east-1', connections: { [ARN]: connection }, connectionLookup: true,
    });
    expect(() => configFromEnv({ BATON_CONNECTIONS_FROM_EVENTBRIDGE: 'yes' })).toThrow(InvokerConfigError);
  });
  it('refuses a connections file it cannot use, naming the field and never a value', () => {
    const bad = (content: unknown) => () => configFromEnv({ BATON_CONNECTIONS_FILE: file(typeof content === 'string' ? content : JSON.stringify(content)) });
    expect(() => configFromEnv({ BATON_CONNECTIONS_FILE: '/no/such/file.json' })).toThrow(/cannot read \/no\/such\/file\.json \(ENOENT\)/);
    expect(bad('{not json')).toThrow(/is not valid JSON/);
    expect(bad({ 'not-an-arn': {} })).toThrow(/'not-an-arn' is not an EventBridge connection ARN/);
    expect(bad({ [ARN]: { AuthorizationType: 'DIGEST', AuthParameters: {} } })).toThrow(/AuthorizationType: must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS/);
    expect(bad({ [ARN]: { AuthorizationType: 'API_KEY', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'hunter2' } } } }))
      .toThrow(/AuthParameters: 'BasicAuthParameters' is not supported/);
    expect(bad({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u' } } } })).toThrow(/BasicAuthParameters\.Password: is required/);
    expect(bad({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } }, ConnectivityParameters: {} } }))
      .toThrow(/'ConnectivityParameters' is not supported/);
    const message = (() => {
      try {
        bad({ [ARN]: { AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: ['hunter2'] } } } })();
      } catch (e) {
        return String(e);
      }
      return 'no error';
    })();
    expect(message).toContain('BasicAuthParameters.Password: is required and must be a non-empty string');
    expect(message).not.toContain('hunter2');
  });
});
