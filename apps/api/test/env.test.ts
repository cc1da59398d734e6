import { describe, expect, it } from 'vitest';
import type { ConfigError } from '@baton/config';
import { parseApiEnv } from '../src/index.js';

describe('parseApiEnv', () => {
  it('parses access keys, API keys and the ARN scope', () => {
    const c = parseApiEnv({
      BATON_ACCESS_KEYS: 'AK1:secret/one-0123456789, AK2:two:with:colons:0123456789',
      BATON_API_KEYS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
      BATON_REGION: 'eu-west-1',
      BATON_ACCOUNT: '111122223333',
      BATON_API_PORT: '9000',
    });
    expect(c.auth.mode).toBe('sigv4');
    expect(c.auth.mode === 'sigv4' && [...c.auth.accessKeys]).toEqual([
      ['AK1', 'secret/one-0123456789'],
      ['AK2', 'two:with:colons:0123456789'],
    ]);
    expect(c.apiKeys).toHaveLength(2);
    expect(c.arnScope).toEqual({ partition: 'aws', region: 'eu-west-1', account: '111122223333' });
    expect(c).toMatchObject({ port: 9000, portVariable: 'BATON_API_PORT', host: '0.0.0.0', developerMode: false, maxBodyBytes: 1048576 });
  });

  it('requires access keys outside developer mode', () => {
    expect(() => parseApiEnv({})).toThrow(/BATON_ACCESS_KEYS is required/);
  });

  it('turns authentication off only in developer mode, on loopback', () => {
    const c = parseApiEnv({ BATON_DEV_MODE: 'true' });
    expect(c.auth).toEqual({ mode: 'off' });
    expect(c.host).toBe('127.0.0.1');
  });

  it('names the bad variable without echoing secrets', () => {
    let message = '';
    try {
      parseApiEnv({ BATON_ACCESS_KEYS: 'good:s3cr3t-0123456789,badpairwithoutcolon-TOPSECRET' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/\n {2}BATON_ACCESS_KEYS is invalid: access key pair #2/);
    expect(message).not.toContain('TOPSECRET');
    expect(message).not.toContain('s3cr3t');
    const keys = 'a:0123456789abcdef';
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: keys, BATON_API_KEYS: 'short' })).toThrow(/BATON_API_KEYS is invalid: API key #1/);
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: keys, BATON_API_PORT: 'x' })).toThrow(/BATON_API_PORT/);
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: keys, BATON_ACCOUNT: '12' })).toThrow(/BATON_ACCOUNT/);
  });

  it('reports every problem at once, and wants access-key secrets of at least 16 characters', () => {
    let problems: readonly string[] = [];
    try {
      parseApiEnv({ BATON_ACCESS_KEYS: 'a:short', BATON_API_PORT: 'x', BATON_ACCOUNT: '12' });
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems).toEqual([
      "BATON_ACCOUNT must be 12 digits (got '12')",
      "BATON_API_PORT must be an integer from 0 to 65535 (got 'x')",
      "BATON_ACCESS_KEYS is invalid: the secret of access key 'a' is shorter than 16 characters",
    ]);
  });
});
