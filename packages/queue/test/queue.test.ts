/** Both drivers: job ids are idempotent while a job is pending, reusable once it finished; payloads validated. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BullmqQueue, InProcessQueue, parseJob, type Job, type WorkQueue } from '@baton/queue';

const REDIS_URL = process.env.BATON_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

const drivers: [string, () => WorkQueue][] = [
  ['in-process', () => new InProcessQueue()],
  ['bullmq', () => new BullmqQueue({ redisUrl: REDIS_URL, prefix: `baton-test-queue-${randomBytes(4).toString('hex')}` })],
];

describe.each(drivers)('%s driver', (_name, make) => {
  it('runs each job id once while pending, again after it finished, and retries failures', async () => {
    const q = make();
    const seen: Job[] = [];
    let failOnce = true;
    await q.enqueue({ kind: 'transition', executionId: '1' }, { jobId: 'a' });
    await q.enqueue({ kind: 'transition', executionId: '1' }, { jobId: 'a' });
    await q.enqueue({ kind: 'task', executionId: '2', taskId: 'k1' }, { jobId: 'b', delayMs: 100 });
    await q.process(async (job) => {
      if (job.kind === 'task' && failOnce) {
        failOnce = false;
        throw new Error('first attempt fails');
      }
      seen.push(job);
    }, { concurrency: 4 });
    const until = async (n: number) => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 25));
    };
    await until(2);
    expect(seen).toEqual(expect.arrayContaining([{ kind: 'transition', executionId: '1' }, { kind: 'task', executionId: '2', taskId: 'k1' }]));
    expect(seen).toHaveLength(2);
    await q.enqueue({ kind: 'transition', executionId: '1' }, { jobId: 'a' });
    await until(3);
    expect(seen).toHaveLength(3);
    await q.close();
  });

  it('enqueueMany takes several jobs at once, each id once while pending', async () => {
    const q = make();
    const seen: Job[] = [];
    await q.enqueue({ kind: 'transition', executionId: 'p' }, { jobId: 'pending' });
    await q.enqueueMany!([
      { job: { kind: 'transition', executionId: '1' }, options: { jobId: 'm1' } },
      { job: { kind: 'transition', executionId: '1' }, options: { jobId: 'm1' } },
      { job: { kind: 'transition', executionId: 'p' }, options: { jobId: 'pending' } },
      { job: { kind: 'mapRun', mapRunId: '7' }, options: { jobId: 'm2' } },
    ]);
    await q.process(async (job) => void seen.push(job), { concurrency: 4 });
    for (let i = 0; i < 200 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100)); // a duplicate would show by now
    expect(seen).toHaveLength(3);
    expect(seen).toEqual(expect.arrayContaining([
      { kind: 'transition', executionId: 'p' }, { kind: 'transition', executionId: '1' }, { kind: 'mapRun', mapRunId: '7' },
    ]));
    await q.close();
  });
});

it('parseJob validates kinds and members', () => {
  expect(parseJob('task', { executionId: '1', taskId: 'k' })).toEqual({ kind: 'task', executionId: '1', taskId: 'k' });
  expect(() => parseJob('task', { executionId: '1' })).toThrow(/taskId/);
  expect(() => parseJob('nope', {})).toThrow(/unknown job kind/);
});
