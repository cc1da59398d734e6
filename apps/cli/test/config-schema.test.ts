/**
 * The one configuration schema: every role's variables declared once, every problem reported at once by name,
 * secrets also from files and never echoed, and the declarations consistent with what each role really reads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvParse, ConfigError } from '@baton/config';
import { describe, expect, it } from 'vitest';
import { parseRoleConfig, readRole, roleVariables, ROLES, unknownSettings } from '../src/role-config.js';

const PG = 'postgres://baton:pg-PASSWORD@127.0.0.1:5432/baton';
const REDIS = 'redis://:redis-PASSWORD@127.0.0.1:6379';
const KEYS = 'AKID:an-access-key-SECRET-0123';

function problemsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('every problem at once', () => {
  it('lists the problems of every fragment of the role in one error, each naming its variable', () => {
    const problems = problemsOf(() =>
      parseRoleConfig('server', {
        DATABASE_URL: 'mysql://x', BATON_ACCOUNT: '12', BATON_WORKER_CONCURRENCY: '0', BATON_TIMER_BATCH_SIZE: 'lots',
        BATON_API_PORT: '70000', AWS_ENDPOINT_URL_SQS: 'not a url', OTEL_METRIC_EXPORT_INTERVAL: 'soon', BATON_DEV_MODE: 'perhaps',
      }),
    );
    const named = problems.map((p) => p.split(' ')[0]);
    expect(named).toEqual(expect.arrayContaining([
      'DATABASE_URL', 'BATON_ACCOUNT', 'BATON_WORKER_CONCURRENCY', 'BATON_TIMER_BATCH_SIZE', 'BATON_API_PORT',
      'AWS_ENDPOINT_URL_SQS', 'OTEL_METRIC_EXPORT_INTERVAL', 'BATON_DEV_MODE',
    ]));
    // A variable read by several fragments (BATON_ACCOUNT: the engine and the API) is reported once.
    expect(named.filter((n) => n === 'BATON_ACCOUNT')).toHaveLength(1);
  });

  it('requires access-key secrets of at least 16 characters, naming the key id and never the secret', () => {
    const problems = problemsOf(() => parseRoleConfig('api', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_ACCESS_KEYS: 'AKGOOD:long-enough-secret-value,AKSHORT:tiny-SECRET' }));
    expect(problems).toEqual(["BATON_ACCESS_KEYS is invalid: the secret of access key 'AKSHORT' is shorter than 16 characters"]);
    expect(problems.join()).not.toContain('tiny-SECRET');
  });

  it('has no default pagination key, and refuses a short one', () => {
    expect(parseRoleConfig('api', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_ACCESS_KEYS: KEYS }).backend.paginationKey).toBeUndefined();
    expect(problemsOf(() => parseRoleConfig('server', { BATON_PAGINATION_KEY: 'short-KEY' }))).toEqual(['BATON_PAGINATION_KEY must be at least 32 characters']);
  });

  it('never prints a secret, whatever is wrong with it', () => {
    const problems = problemsOf(() =>
      parseRoleConfig('api', { DATABASE_URL: 'http://u:pg-PASSWORD@h/db', REDIS_URL: 'redis-PASSWORD', BATON_ACCESS_KEYS: 'bad-SECRET', BATON_API_KEYS: 'api-SECRET' }),
    );
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).not.toMatch(/PASSWORD|SECRET/);
  });
});

describe('secrets from files (*_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
  const secret = (name: string, value: string) => {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`);
    return path;
  };

  it('reads DATABASE_URL, REDIS_URL, BATON_ACCESS_KEYS, BATON_API_KEYS and BATON_PAGINATION_KEY from files', () => {
    const c = parseRoleConfig('api', {
      DATABASE_URL_FILE: secret('db', PG),
      REDIS_URL_FILE: secret('redis', REDIS),
      BATON_ACCESS_KEYS_FILE: secret('access', KEYS),
      BATON_API_KEYS_FILE: secret('api', 'an-api-key-0123456789'),
      BATON_PAGINATION_KEY_FILE: secret('page', 'p'.repeat(40)),
    });
    expect(c.backend.store).toEqual({ kind: 'postgres', url: PG, poolSize: 10, preparedStatements: true });
    expect(c.backend.queue).toMatchObject({ kind: 'bullmq', url: REDIS });
    expect(c.api?.auth.mode === 'sigv4' && [...c.api.auth.accessKeys]).toEqual([['AKID', 'an-access-key-SECRET-0123']]);
    expect(c.api?.apiKeys).toEqual(['an-api-key-0123456789']);
    expect(c.backend.paginationKey).toBe('p'.repeat(40));
  });

  it('declares a file variant for exactly the secrets', () => {
    const secrets = new Set<string>();
    for (const role of ROLES) for (const [name, v] of Object.entries(roleVariables(role))) if (v.secret) secrets.add(name);
    expect([...secrets].sort()).toEqual(['BATON_ACCESS_KEYS', 'BATON_API_KEYS', 'BATON_PAGINATION_KEY', 'DATABASE_URL', 'REDIS_URL']);
  });

  it('a required secret given as a file counts as given, and a missing file is named', () => {
    expect(problemsOf(() => parseRoleConfig('worker', { DATABASE_URL_FILE: join(dir, 'nope'), REDIS_URL: REDIS }))).toEqual([
      `DATABASE_URL_FILE names a file that cannot be read ('${join(dir, 'nope')}': ENOENT)`,
    ]);
  });
});

describe('the declarations', () => {
  it('each role reads exactly the variables its help and the reference list', () => {
    for (const role of ROLES) {
      const parse = new EnvParse({ DATABASE_URL: PG, REDIS_URL: REDIS, BATON_ACCESS_KEYS: KEYS });
      readRole(parse, role);
      expect(parse.names.sort(), role).toEqual(Object.keys(roleVariables(role)).sort());
    }
  });

  it('every variable has a description and an example that parses', () => {
    for (const role of ROLES) {
      for (const [name, v] of Object.entries(roleVariables(role))) {
        expect(v.description.length, name).toBeGreaterThan(10);
        const parse = new EnvParse({ [name]: v.example });
        parse.read({ [name]: v });
        expect(parse.problems, `${name}'s example`).toEqual([]);
      }
    }
  });

  it('names BATON_* variables that no role reads (a misspelling) instead of ignoring them silently', () => {
    expect(unknownSettings({ BATON_WORKER_CONCURENCY: '4', BATON_WORKER_CONCURRENCY: '4', BATON_ACCESS_KEYS_FILE: '/x', BATON_TEST_PG_URL: 'x', PATH: '/bin' })).toEqual(['BATON_WORKER_CONCURENCY']);
  });
});

describe('drain and retention settings', () => {
  const base = { DATABASE_URL: PG, REDIS_URL: REDIS };

  it('BATON_SHUTDOWN_GRACE_MS: 25 s by default, read by every serving role', () => {
    for (const role of ['server', 'api', 'worker', 'timer'] as const) {
      expect(roleVariables(role), role).toHaveProperty('BATON_SHUTDOWN_GRACE_MS');
    }
    expect(roleVariables('migrate')).not.toHaveProperty('BATON_SHUTDOWN_GRACE_MS');
    expect(parseRoleConfig('worker', base).backend.shutdownGraceMs).toBe(25_000);
    expect(parseRoleConfig('worker', { ...base, BATON_SHUTDOWN_GRACE_MS: '1500' }).backend.shutdownGraceMs).toBe(1_500);
    expect(problemsOf(() => parseRoleConfig('worker', { ...base, BATON_SHUTDOWN_GRACE_MS: '-1' }))[0]).toMatch(/^BATON_SHUTDOWN_GRACE_MS /);
  });

  it('BATON_HISTORY_RETENTION_DAYS: 90 days by default, decimals allowed, `off` keeps everything, 0 is refused', () => {
    const timer = (env: Record<string, string>) => parseRoleConfig('timer', { ...base, ...env }).timer!;
    expect(timer({}).retentionMs).toBe(90 * 86_400_000);
    expect(timer({ BATON_HISTORY_RETENTION_DAYS: '0.001' }).retentionMs).toBe(86_400);
    expect(timer({ BATON_HISTORY_RETENTION_DAYS: 'off' }).retentionMs).toBeUndefined();
    expect(timer({ BATON_HISTORY_RETENTION_DAYS: 'OFF' }).retentionMs).toBeUndefined();
    expect(timer({}).retentionSweepIntervalMs).toBe(60_000);
    for (const bad of ['0', '-3', 'forever', '1e3']) {
      const problems = problemsOf(() => timer({ BATON_HISTORY_RETENTION_DAYS: bad }));
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toMatch(/^BATON_HISTORY_RETENTION_DAYS .*or off/);
    }
    // At least every minute.
    expect(problemsOf(() => timer({ BATON_RETENTION_SWEEP_INTERVAL_MS: '120000' }))[0]).toMatch(/^BATON_RETENTION_SWEEP_INTERVAL_MS /);
  });
});
