/** How `baton <role>` reads its environment: the embedded default, Postgres + BullMQ, and clear refusals. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRoleConfig } from '../src/role-config.js';

const PG = 'postgres://postgres@127.0.0.1:5432/baton';
const REDIS = 'redis://127.0.0.1:6379';
/** Access-key secrets are at least 16 characters. */
const S1 = 'secret-one-0123456789';
const S2 = 'secret-two-0123456789';

describe('baton server', () => {
  it('runs on the embedded default without DATABASE_URL: PGlite in ./.baton/data, in-process queue, auth off on loopback:8080', () => {
    const c = parseRoleConfig('server', {});
    expect(c.backend.store).toEqual({ kind: 'embedded', dataDir: resolve('.baton/data') });
    expect(c.backend.queue).toEqual({ kind: 'in-process' });
    expect(c.api).toMatchObject({ host: '127.0.0.1', port: 8080, auth: { mode: 'off' }, developerMode: true });
    expect(c.worker).toBeDefined();
    expect(c.timer).toBeDefined();
  });

  it('takes BATON_DATA_DIR and PORT', () => {
    const c = parseRoleConfig('server', { BATON_DATA_DIR: '/tmp/baton-x', PORT: '9090' });
    expect(c.backend.store).toEqual({ kind: 'embedded', dataDir: '/tmp/baton-x' });
    expect(c.api?.port).toBe(9090);
  });

  it('uses Postgres and BullMQ when both URLs are set, with the API authenticated as `baton api` is', () => {
    expect(() => parseRoleConfig('server', { DATABASE_URL: PG, REDIS_URL: REDIS })).toThrow(/BATON_ACCESS_KEYS is required/);
    const c = parseRoleConfig('server', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_ACCESS_KEYS: `AKID:${S1}`, BATON_QUEUE_PREFIX: 'p' });
    expect(c.backend.store).toEqual({ kind: 'postgres', url: PG, poolSize: 10, preparedStatements: true });
    expect(c.backend.queue).toEqual({ kind: 'bullmq', url: REDIS, prefix: 'p' });
    expect(c.api).toMatchObject({ host: '0.0.0.0', auth: { mode: 'sigv4' }, developerMode: false });
  });

  it('turns prepared statements off for a pooler that cannot keep them, and refuses the switch without Postgres', () => {
    const c = parseRoleConfig('worker', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_DATABASE_PREPARED_STATEMENTS: 'false' });
    expect(c.backend.store).toEqual({ kind: 'postgres', url: PG, poolSize: 10, preparedStatements: false });
    expect(() => parseRoleConfig('server', { BATON_DATABASE_PREPARED_STATEMENTS: 'false' })).toThrow(/BATON_DATABASE_PREPARED_STATEMENTS applies to Postgres/);
  });

  it('refuses REDIS_URL without DATABASE_URL, and runs Postgres with the in-process queue without REDIS_URL', () => {
    expect(() => parseRoleConfig('server', { REDIS_URL: REDIS })).toThrow(/REDIS_URL is set but DATABASE_URL is not/);
    const c = parseRoleConfig('server', { DATABASE_URL: PG, BATON_DEV_MODE: 'true' });
    expect(c.backend.queue).toEqual({ kind: 'in-process' });
  });
});

describe('baton worker | timer | api | migrate', () => {
  it('need Postgres and Redis for the roles that share work between processes, and say so at once', () => {
    for (const role of ['worker', 'timer', 'api'] as const) {
      expect(() => parseRoleConfig(role, { BATON_ACCESS_KEYS: `AKID:${S1}` })).toThrow(/DATABASE_URL is required[\s\S]*REDIS_URL is required/);
    }
  });

  it("parse each role's own settings and report them by variable name", () => {
    const w = parseRoleConfig('worker', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_WORKER_CONCURRENCY: '3' });
    expect(w.worker).toEqual({ concurrency: 3, reconcileIntervalMs: 2000 });
    expect(w.api).toBeUndefined();
    expect(w.timer).toBeUndefined();
    expect(() => parseRoleConfig('worker', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_WORKER_CONCURRENCY: '0' })).toThrow(/BATON_WORKER_CONCURRENCY/);
    expect(() => parseRoleConfig('timer', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_TIMER_MAX_SLEEP_MS: 'soon' })).toThrow(/BATON_TIMER_MAX_SLEEP_MS/);
    expect(() => parseRoleConfig('worker', { DATABASE_URL: 'mysql://x', REDIS_URL: REDIS })).toThrow(/DATABASE_URL must start with postgres:/);
  });

  it('migrates the embedded data folder without DATABASE_URL', () => {
    expect(parseRoleConfig('migrate', { BATON_DATA_DIR: '/tmp/d' }).backend.store).toEqual({ kind: 'embedded', dataDir: '/tmp/d' });
  });
});

describe('limits and nested executions', () => {
  it("defaults to AWS's limits and lets them be raised; refuses nonsense", () => {
    expect(parseRoleConfig('server', {}).backend.limits).toEqual({ payloadBytes: 262_144, historyEvents: 25_000 });
    const raised = parseRoleConfig('server', { BATON_MAX_HISTORY_EVENTS: '100000', BATON_MAX_PAYLOAD_BYTES: '1048576' });
    expect(raised.backend.limits).toEqual({ payloadBytes: 1_048_576, historyEvents: 100_000 });
    expect(() => parseRoleConfig('server', { BATON_MAX_HISTORY_EVENTS: 'lots' })).toThrow(/BATON_MAX_HISTORY_EVENTS must be an integer/);
  });

  it("points nested executions at Baton's own API, signed with the first access key", () => {
    expect(parseRoleConfig('server', { PORT: '9191' }).backend.self).toEqual({ url: 'http://127.0.0.1:9191' });
    const c = parseRoleConfig('worker', { DATABASE_URL: PG, REDIS_URL: REDIS, BATON_SELF_URL: 'http://api:8080', BATON_ACCESS_KEYS: `AK1:${S1},AK2:${S2}` });
    expect(c.backend.self).toEqual({ url: 'http://api:8080', accessKey: { accessKeyId: 'AK1', secretAccessKey: S1 } });
  });
});

describe('evaluation budgets', () => {
  it('default to 5 s per evaluation and 256 MB per evaluation process, and can be changed', () => {
    expect(parseRoleConfig('server', {}).backend.evaluation).toMatchObject({ timeoutMs: 5_000, memoryMb: 256, isolation: 'process' });
    expect(parseRoleConfig('server', {}).backend.evaluation.threads).toBeGreaterThanOrEqual(1);
    const c = parseRoleConfig('server', { BATON_EVALUATION_TIMEOUT_MS: '800', BATON_EVALUATION_MEMORY_MB: '512', BATON_EVALUATION_THREADS: '2' });
    expect(c.backend.evaluation).toEqual({ threads: 2, timeoutMs: 800, memoryMb: 512, isolation: 'process' });
    expect(parseRoleConfig('server', { BATON_EVALUATION_ISOLATION: 'thread' }).backend.evaluation.isolation).toBe('thread');
    expect(() => parseRoleConfig('server', { BATON_EVALUATION_ISOLATION: 'fiber' })).toThrow(/BATON_EVALUATION_ISOLATION/);
    expect(parseRoleConfig('server', {}).backend.maxCrashedAttempts).toBe(5);
    expect(parseRoleConfig('server', { BATON_MAX_CRASHED_ATTEMPTS: '2' }).backend.maxCrashedAttempts).toBe(2);
  });

  it('refuse budgets on the main thread, and budgets too small to run anything', () => {
    expect(parseRoleConfig('server', { BATON_EVALUATION_THREADS: '0' }).backend.evaluation.threads).toBe(0);
    expect(() => parseRoleConfig('server', { BATON_EVALUATION_THREADS: '0', BATON_EVALUATION_TIMEOUT_MS: '100' }))
      .toThrow(/BATON_EVALUATION_TIMEOUT_MS cannot apply with BATON_EVALUATION_THREADS=0/);
    expect(() => parseRoleConfig('server', { BATON_EVALUATION_THREADS: '0', BATON_EVALUATION_ISOLATION: 'thread' }))
      .toThrow(/BATON_EVALUATION_ISOLATION cannot apply with BATON_EVALUATION_THREADS=0/);
    expect(() => parseRoleConfig('server', { BATON_EVALUATION_MEMORY_MB: '8' })).toThrow(/BATON_EVALUATION_MEMORY_MB must be an integer >= 32/);
    expect(() => parseRoleConfig('server', { BATON_EVALUATION_TIMEOUT_MS: '1' })).toThrow(/BATON_EVALUATION_TIMEOUT_MS must be an integer >= 10/);
  });
});
