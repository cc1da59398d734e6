/**
 * `node apps/cli/bin/baton.js api` as a real process (needs the build, as `npm test` does first): refuses to
 * start without access keys, serves the SDK when configured, never logs the secret, and exits 0 on SIGTERM.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateActivityCommand, GetActivityTaskCommand, ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearRedisPrefix, createTestDatabase, REDIS_URL, testPrefix, type TestDatabase } from '../support/database.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}apps/cli/bin/baton.js`;
const BUILT = existsSync(`${ROOT}apps/cli/dist/api-role.js`);
if (!BUILT) console.warn('api-role.test: skipped, the CLI is not built (run `npx tsc -b` or `npm test`)');
let db: TestDatabase | undefined;
const prefix = testPrefix('api-role');
const SECRET = `role-secret-${randomBytes(8).toString('hex')}`;

function startRole(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'api'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe.skipIf(!BUILT && process.env.CI !== 'true')('baton api', () => {
  beforeAll(async () => {
    db = await createTestDatabase('api_role');
  });
  afterAll(async () => {
    await db?.drop();
    await clearRedisPrefix(prefix);
  });

  it('refuses to start without access keys outside developer mode', async () => {
    const role = startRole({ DATABASE_URL: db!.url, REDIS_URL });
    expect(await role.exited).toBe(2);
    expect(role.stderr()).toContain('BATON_ACCESS_KEYS is required');
  });

  it('serves signed SDK calls and stops cleanly on SIGTERM', async () => {
    const role = startRole({
      DATABASE_URL: db!.url,
      REDIS_URL,
      BATON_QUEUE_PREFIX: prefix,
      BATON_ACCESS_KEYS: `AKIDROLE:${SECRET}`,
      BATON_API_HOST: '127.0.0.1',
      BATON_API_PORT: '0',
    });
    let url: string | undefined;
    for (let i = 0; i < 400 && !url; i++) {
      url = listeningUrl(role.stderr());
      if (!url) await new Promise((r) => setTimeout(r, 25));
    }
    expect(url, role.stderr()).toBeTruthy();
    const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDROLE', secretAccessKey: SECRET } });
    const out = await sfn.send(new ListStateMachinesCommand({}));
    expect(out.stateMachines).toEqual([]);
    sfn.destroy();
    // The image's HEALTHCHECK: GET /healthz on the role's port.
    const port = new URL(url!).port;
    const health = spawnSync(process.execPath, [BIN, 'healthcheck', 'api'], {
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: db!.url, REDIS_URL, BATON_ACCESS_KEYS: `AKIDROLE:${SECRET}`, BATON_API_PORT: port },
      encoding: 'utf8',
    });
    expect(health.status, health.stderr).toBe(0);
    role.child.kill('SIGTERM');
    expect(await role.exited).toBe(0);
    expect(role.stderr()).not.toContain(SECRET);
  });

  it('on SIGTERM answers the request in progress (a long poll: no task), exits 0, and its port is closed then', async () => {
    const role = startRole({
      DATABASE_URL: db!.url, REDIS_URL, BATON_QUEUE_PREFIX: prefix, BATON_ACCESS_KEYS: `AKIDROLE:${SECRET}`,
      BATON_API_HOST: '127.0.0.1', BATON_API_PORT: '0', BATON_SHUTDOWN_GRACE_MS: '10000',
    });
    await expect.poll(() => listeningUrl(role.stderr()), { timeout: 20_000 }).toBeTruthy();
    const url = listeningUrl(role.stderr())!;
    const sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDROLE', secretAccessKey: SECRET } });
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'drain' }));
    const poll = sfn.send(new GetActivityTaskCommand({ activityArn: activityArn! })); // waits up to 60 s for a task
    await new Promise((r) => setTimeout(r, 500));
    role.child.kill('SIGTERM');
    const answered = await poll;
    expect(answered.taskToken).toBeUndefined();
    expect(await role.exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    sfn.destroy();
  }, 60_000);
});

/** The API's URL from its listening line; the process log is one JSON object per line (@baton/observability's logger). */
function listeningUrl(stderr: string): string | undefined {
  return stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { message?: string; url?: string })
    .find((l) => l.message === 'listening')?.url;
}
