// Where `npm test` finds Postgres and Redis, for each in order: BATON_TEST_PG_URL / BATON_TEST_REDIS_URL;
// DATABASE_URL / REDIS_URL; the default address (127.0.0.1:5432, 127.0.0.1:6379) when something answers there;
// else a container started with testcontainers when a Docker engine is reachable; else npm test stops at once,
// saying both ways to fix it. The decision is pure (planTestServices, noServicesMessage) and tested in
// test/infra/test-services.test.ts; starting containers is the small part that needs Docker.
import { connect } from 'node:net';

export const DEFAULTS = {
  postgres: { host: '127.0.0.1', port: 5432, url: 'postgres://postgres@127.0.0.1:5432/postgres' },
  redis: { host: '127.0.0.1', port: 6379, url: 'redis://127.0.0.1:6379' },
};

const SOURCES = { postgres: ['BATON_TEST_PG_URL', 'DATABASE_URL'], redis: ['BATON_TEST_REDIS_URL', 'REDIS_URL'] };

/** For each service: a URL and where it came from, or the need for a container. */
export function planTestServices(env, answering, defaults = DEFAULTS) {
  const plan = (service) => {
    for (const name of SOURCES[service]) {
      const url = env[name]?.trim();
      if (url) return { kind: 'url', url, from: name };
    }
    const { host, port, url } = defaults[service];
    return answering[service] ? { kind: 'url', url, from: `${host}:${port}` } : { kind: 'container' };
  };
  return { postgres: plan('postgres'), redis: plan('redis') };
}

/** What npm test says when a service is missing and no Docker engine can start it. */
export function noServicesMessage(plan, defaults = DEFAULTS) {
  const missing = ['postgres', 'redis'].filter((s) => plan[s].kind === 'container');
  const label = { postgres: 'Postgres', redis: 'Redis' };
  const what = missing.map((s) => `${label[s]} (nothing answers on ${defaults[s].host}:${defaults[s].port}; ${SOURCES[s].join(' and ')} are unset)`);
  return [
    `npm test needs ${missing.map((s) => label[s]).join(' and ')} and found none: ${what.join('; ')}.`,
    'No Docker engine is reachable to start them either. Fix it one of two ways:',
    `  1. run ${missing.map((s) => label[s]).join(' and ')} yourself, on the default port${missing.length > 1 ? 's' : ''} (DEVELOPERS.md says how; .ci/run starts them)` +
      ` or anywhere else with ${missing.map((s) => `${SOURCES[s][0]}=${s === 'postgres' ? 'postgres://user@host:5432/postgres' : 'redis://host:6379'}`).join(' ')};`,
    '  2. or start Docker (or set DOCKER_HOST), and npm test starts them in containers with testcontainers.',
  ].join('\n');
}

/** Whether something accepts a TCP connection at host:port. */
export function portAnswers(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function dockerReachable() {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

export class TestServicesError extends Error {}

/**
 * Resolves both services (starting containers when needed) and returns the environment the suite runs with and
 * a `stop()` for the containers. Throws a `TestServicesError` when a service can be had neither way.
 */
export async function provideTestServices({ env = process.env, defaults = DEFAULTS, docker = dockerReachable, log = console.log } = {}) {
  const answering = {
    postgres: await portAnswers(defaults.postgres.host, defaults.postgres.port),
    redis: await portAnswers(defaults.redis.host, defaults.redis.port),
  };
  const plan = planTestServices(env, answering, defaults);
  const needed = ['postgres', 'redis'].filter((s) => plan[s].kind === 'container');
  if (needed.length > 0 && !(await docker())) throw new TestServicesError(noServicesMessage(plan, defaults));
  const started = [];
  const urls = {};
  try {
    for (const service of ['postgres', 'redis']) {
      if (plan[service].kind === 'url') urls[service] = plan[service].url;
      else {
        log(`starting ${service} with testcontainers`);
        const container = await startContainer(service);
        started.push(container.container);
        urls[service] = container.url;
      }
    }
  } catch (e) {
    await Promise.all(started.map((c) => c.stop().catch(() => {})));
    throw e;
  }
  return {
    plan,
    env: {
      BATON_TEST_PG_URL: urls.postgres,
      BATON_TEST_REDIS_URL: urls.redis,
      // The chaos test drives bench/src/chaos, which reads these.
      BENCH_DATABASE_URL: env.BENCH_DATABASE_URL ?? urls.postgres,
      BENCH_REDIS_URL: env.BENCH_REDIS_URL ?? urls.redis,
    },
    stop: () => Promise.all(started.map((c) => c.stop())).then(() => undefined),
  };
}

async function startContainer(service) {
  if (service === 'postgres') {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:16-alpine').withUsername('postgres').withPassword('postgres').withDatabase('postgres').start();
    return { container, url: container.getConnectionUri() };
  }
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine')
    .withCommand(['redis-server', '--save', '', '--appendonly', 'no'])
    .withExposedPorts(6379)
    .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
    .start();
  return { container, url: `redis://${container.getHost()}:${container.getMappedPort(6379)}` };
}
