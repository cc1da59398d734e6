/**
 * A Map Run survives the SIGKILL of the worker process that drives it: real `baton worker` processes, the driver
 * (the lease holder) killed midway and replaced. Every item still runs in exactly one child, DescribeMapRun counts
 * each once, and the result array holds every item in order. Needs the build (`npm test` runs `tsc -b` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Harness } from '../engine/support/harness.js';
import { REDIS_URL } from '../support/database.js';
import { repoRoot } from '../support/conformance.js';

let h: Harness;
const workers = new Map<string, ChildProcess>();

beforeAll(async () => {
  h = await Harness.start({ label: 'maprun_kill', workers: 0, timers: 1 });
});
afterAll(async () => {
  for (const c of workers.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await h?.stop();
});

function spawnWorker(id: string): ChildProcess {
  const child = spawn(process.execPath, [resolve(repoRoot, 'apps/cli/bin/baton.js'), 'worker'], {
    env: {
      PATH: process.env.PATH, DATABASE_URL: h.db.url, REDIS_URL, BATON_QUEUE_PREFIX: h.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_MAP_RUN_LEASE_MS: '1500', BATON_RECONCILE_GRACE_MS: '1000', BATON_RECONCILE_INTERVAL_MS: '300',
      BATON_WORKER_CONCURRENCY: '8', BATON_WORKER_ID: id, AWS_REGION: 'us-east-1',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  workers.set(id, child);
  return child;
}

it('a Map Run resumes on another worker after its driver is SIGKILLed, creating and counting each child once', async () => {
  const sm = await h.createStateMachine('killed-driver', {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map', End: true, ItemsPath: '$.items', MaxConcurrency: 10,
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Slow',
          States: { Slow: { Type: 'Wait', Seconds: 1, Next: 'Done' }, Done: { Type: 'Pass', End: true } },
        },
      },
    },
  });
  for (const id of ['w-a', 'w-b']) spawnWorker(id);
  const items = Array.from({ length: 60 }, (_, i) => i);
  const arn = await h.start(sm, { items });
  const mapRunArn = await h.waitFor('map run', async () => (await h.api.listMapRuns({ executionArn: arn })).mapRuns[0]?.mapRunArn, 30_000);
  await h.waitFor('a third done', async () => ((await h.api.describeMapRun({ mapRunArn })).itemCounts.succeeded >= 20 ? true : undefined), 60_000);
  const owner = await leaseOwner(mapRunArn);
  expect(owner === 'w-a' || owner === 'w-b', `driver is a worker process (${owner})`).toBe(true);
  workers.get(owner!)!.kill('SIGKILL');
  spawnWorker('w-c');
  const d = await h.finished(arn, 120_000);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual(items);
  const m = await h.api.describeMapRun({ mapRunArn });
  expect(m.itemCounts).toMatchObject({ total: 60, succeeded: 60, failed: 0, running: 0 });
  expect(m.executionCounts).toMatchObject({ total: 60, succeeded: 60 });
  const children = await h.api.listExecutions({ mapRunArn, maxResults: 1000 });
  expect(children.executions).toHaveLength(60);
  expect(new Set(children.executions.map((c) => c.name)).size).toBe(60);
  expect(await leaseOwner(mapRunArn)).toBeNull();
}, 180_000);

async function leaseOwner(mapRunArn: string): Promise<string | null | undefined> {
  const { Client } = await import('pg');
  const c = new Client({ connectionString: h.db.url });
  await c.connect();
  try {
    return (await c.query<{ lease_owner: string | null }>('SELECT lease_owner FROM map_runs WHERE arn = $1', [mapRunArn])).rows[0]?.lease_owner;
  } finally {
    await c.end();
  }
}
