/**
 * A role that cannot reach Postgres says so at once, naming the role and the setting (and Redis too when it does
 * not answer either) and never printing a password (exit 1), instead of retrying in the logs or failing with a
 * bare socket error. Redis alone down is a warning naming it: the role starts (test/observability/redis-outage.test.ts
 * shows it serving). `baton healthcheck` runs the same checks.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, REDIS_URL, type TestDatabase } from '../../../test/support/database.js';
import { baton, closedPort } from './support/baton.js';

const KEYS = 'AKIDSTART:a-start-secret-0123456789';
let db: TestDatabase;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  db = await createTestDatabase('startup_errors');
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(async () => {
  await db?.drop();
  await new Promise((r) => busy?.close(r));
});

describe('a role whose services do not answer', () => {
  it('names the role, DATABASE_URL and REDIS_URL, without the passwords, and exits 1', async () => {
    const [pg, redis] = [await closedPort(), await closedPort()];
    const r = await baton(['worker'], {
      DATABASE_URL: `postgres://baton:pg-PASSWORD@127.0.0.1:${pg}/baton`,
      REDIS_URL: `redis://:redis-PASSWORD@127.0.0.1:${redis}`,
    });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('baton worker: cannot start');
    expect(r.stderr).toContain(`cannot reach Postgres at DATABASE_URL (postgres://baton:***@127.0.0.1:${pg}/baton): connect ECONNREFUSED`);
    expect(r.stderr).toContain(`cannot reach Redis at REDIS_URL (redis://:***@127.0.0.1:${redis}): connect ECONNREFUSED`);
    expect(r.stderr).not.toContain('PASSWORD');
  });

  it('warns, naming Redis without its password, and starts anyway when only Redis is down', async () => {
    const redis = await closedPort();
    const r = await baton(['timer'], { DATABASE_URL: db.url, REDIS_URL: `redis://:redis-PASSWORD@127.0.0.1:${redis}` }, 8_000);
    expect(r.timedOut).toBe(true); // still running: it was started
    const warning = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, string>)
      .find((l) => l.level === 'warn' && String(l.message).startsWith('Redis does not answer'));
    expect(warning?.error).toContain(`cannot reach Redis at REDIS_URL (redis://:***@127.0.0.1:${redis})`);
    expect(r.stderr).not.toContain('cannot start');
    expect(r.stderr).not.toContain('PASSWORD');
  });

  it('names the port and its setting when the port is taken', async () => {
    const r = await baton(['api'], {
      DATABASE_URL: db.url, REDIS_URL, BATON_ACCESS_KEYS: KEYS, BATON_API_HOST: '127.0.0.1', BATON_API_PORT: String(busyPort),
    });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`baton api: cannot start:\n  port ${busyPort} (BATON_API_PORT) on 127.0.0.1 is already in use`);
  });
});

describe('baton healthcheck', () => {
  it("is healthy for a worker whose Postgres and Redis answer, and says what is not otherwise (exit 1)", async () => {
    expect((await baton(['healthcheck', 'worker'], { DATABASE_URL: db.url, REDIS_URL })).code).toBe(0);
    const down = await baton(['healthcheck', 'worker'], { DATABASE_URL: db.url, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('baton healthcheck worker: unhealthy: cannot reach Redis at REDIS_URL');
  });

  it("probes the API's /healthz on its port", async () => {
    const r = await baton(['healthcheck', 'api'], { DATABASE_URL: db.url, REDIS_URL, BATON_ACCESS_KEYS: KEYS, PORT: String(await closedPort()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('baton healthcheck api: unhealthy');
    expect((await baton(['healthcheck', 'nope'])).code).toBe(2);
  });
});
