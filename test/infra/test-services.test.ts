/**
 * How `npm test` finds Postgres and Redis (scripts/test-services.mjs): given URLs first, then the default ports,
 * then testcontainers where Docker is reachable; with none, it stops at once naming both ways to fix it. There is
 * no Docker engine here, so the container path itself is not run; the decision and the message are.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULTS, dockerReachable, noServicesMessage, planTestServices, portAnswers, provideTestServices, TestServicesError, type Defaults } from '../../scripts/test-services.mjs';

let listening: Server;
let open: number;
const closedPorts: number[] = [];

beforeAll(async () => {
  listening = createServer((s) => s.destroy());
  await new Promise<void>((r) => listening.listen(0, '127.0.0.1', r));
  open = (listening.address() as { port: number }).port;
  for (let i = 0; i < 2; i++) {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    closedPorts.push((s.address() as { port: number }).port);
    await new Promise((r) => s.close(r));
  }
});
afterAll(() => new Promise((r) => listening.close(r)));

const both = { postgres: true, redis: true };
const neither = { postgres: false, redis: false };

describe('planTestServices', () => {
  it('takes the suite\'s own URLs first, then DATABASE_URL / REDIS_URL', () => {
    const env = { BATON_TEST_PG_URL: 'postgres://a/postgres', DATABASE_URL: 'postgres://b/x', REDIS_URL: 'redis://c:1' };
    expect(planTestServices(env, neither)).toEqual({
      postgres: { kind: 'url', url: 'postgres://a/postgres', from: 'BATON_TEST_PG_URL' },
      redis: { kind: 'url', url: 'redis://c:1', from: 'REDIS_URL' },
    });
  });

  it('uses the default ports when something answers there, and containers otherwise', () => {
    expect(planTestServices({}, both)).toEqual({
      postgres: { kind: 'url', url: DEFAULTS.postgres.url, from: '127.0.0.1:5432' },
      redis: { kind: 'url', url: DEFAULTS.redis.url, from: '127.0.0.1:6379' },
    });
    expect(planTestServices({ DATABASE_URL: ' ' }, { postgres: false, redis: true })).toEqual({
      postgres: { kind: 'container' },
      redis: { kind: 'url', url: DEFAULTS.redis.url, from: '127.0.0.1:6379' },
    });
  });
});

describe('without the services and without Docker', () => {
  it('says what is missing and both ways to fix it', () => {
    const message = noServicesMessage(planTestServices({}, neither));
    expect(message).toContain('npm test needs Postgres and Redis');
    expect(message).toContain('nothing answers on 127.0.0.1:5432; BATON_TEST_PG_URL and DATABASE_URL are unset');
    expect(message).toContain('nothing answers on 127.0.0.1:6379; BATON_TEST_REDIS_URL and REDIS_URL are unset');
    expect(message).toMatch(/1\. run Postgres and Redis yourself.*BATON_TEST_PG_URL=.*BATON_TEST_REDIS_URL=/);
    expect(message).toMatch(/2\. or start Docker \(or set DOCKER_HOST\).*testcontainers/);
    const onlyRedis = noServicesMessage(planTestServices({}, { postgres: true, redis: false }));
    expect(onlyRedis).toContain('npm test needs Redis and found none');
    expect(onlyRedis).not.toContain('5432');
  });

  it('stops before starting anything when nothing answers on the ports and no Docker engine is reachable', async () => {
    const defaults: Defaults = {
      postgres: { host: '127.0.0.1', port: closedPorts[0]!, url: `postgres://127.0.0.1:${closedPorts[0]}/postgres` },
      redis: { host: '127.0.0.1', port: closedPorts[1]!, url: `redis://127.0.0.1:${closedPorts[1]}` },
    };
    const error = await provideTestServices({ env: {}, defaults, docker: async () => false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TestServicesError);
    expect((error as Error).message).toContain(`nothing answers on 127.0.0.1:${closedPorts[0]}`);
    expect((error as Error).message).toContain('start Docker');
  });

  it('asks for Docker only when a service is missing, and passes the URLs to the suite', async () => {
    let asked = false;
    const defaults: Defaults = {
      postgres: { ...DEFAULTS.postgres, port: open },
      redis: { ...DEFAULTS.redis, port: closedPorts[1]! },
    };
    const services = await provideTestServices({ env: { REDIS_URL: 'redis://elsewhere:6379' }, defaults, docker: async () => (asked = true) });
    expect(asked).toBe(false);
    expect(services.env).toMatchObject({ BATON_TEST_PG_URL: DEFAULTS.postgres.url, BATON_TEST_REDIS_URL: 'redis://elsewhere:6379' });
    await services.stop();
  });
});

describe('the probes', () => {
  it("answers whether a Docker engine is reachable (here: none), without throwing", async () => {
    expect(typeof (await dockerReachable())).toBe('boolean');
  });

  it('tells a listening port from a closed one', async () => {
    expect(await portAnswers('127.0.0.1', open)).toBe(true);
    expect(await portAnswers('127.0.0.1', closedPorts[0]!)).toBe(false);
  });
});
