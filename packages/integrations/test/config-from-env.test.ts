import { describe, expect, it } from 'vitest';
import { configFromEnv, InvokerConfigError } from '../src/index.js';

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
});
