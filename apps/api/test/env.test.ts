import { describe, expect, it } from 'vitest';
import { parseApiEnv } from '../src/index.js';

describe('parseApiEnv', () => {
  it('parses access keys, API keys and the ARN scope', () => {
    const c = parseApiEnv({
      BATON_ACCESS_KEYS: 'AK1:secret/one, AK2:two:with:colons',
      BATON_API_KEYS: 'aaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbb',
      BATON_REGION: 'eu-west-1',
      BATON_ACCOUNT: '111122223333',
      BATON_API_PORT: '9000',
    });
    expect(c.auth.mode).toBe('sigv4');
    expect(c.auth.mode === 'sigv4' && [...c.auth.accessKeys]).toEqual([
      ['AK1', 'secret/one'],
      ['AK2', 'two:with:colons'],
    ]);
    expect(c.apiKeys).toHaveLength(2);
    expect(c.arnScope).toEqual({ partition: 'aws', region: 'eu-west-1', account: '111122223333' });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', developerMode: false, maxBodyBytes: 1048576 });
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
      parseApiEnv({ BATON_ACCESS_KEYS: 'good:s3cr3t,badpairwithoutcolon-TOPSECRET' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^BATON_ACCESS_KEYS: access key pair #2/);
    expect(message).not.toContain('TOPSECRET');
    expect(message).not.toContain('s3cr3t');
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: 'a:b', BATON_API_KEYS: 'short' })).toThrow(/^BATON_API_KEYS: API key #1/);
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: 'a:b', BATON_API_PORT: 'x' })).toThrow(/BATON_API_PORT/);
    expect(() => parseApiEnv({ BATON_ACCESS_KEYS: 'a:b', BATON_ACCOUNT: '12' })).toThrow(/BATON_ACCOUNT/);
  });
});
