/**
 * `@baton/activity-worker` over time, against a real Baton (API server, engine, Postgres, BullMQ): concurrency,
 * heartbeats keeping a task with HeartbeatSeconds alive, TaskTimedOut aborting `signal`, `stop()` letting tasks in
 * flight finish and report (and aborting them past the grace), and polls that fail backing off without crashing.
 */
import { createServer } from 'node:net';
import * as S from '@aws-sdk/client-sfn';
import { ActivityWorker, WorkerErrors } from '@baton/activity-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activityMachine, finished, historyTypes, recordingLogger, sleep, startExecution, startHarness, until, type Harness,
} from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('postgres');
});
afterAll(async () => {
  await h?.stop();
});

describe('concurrency', () => {
  it('runs at most `concurrency` handlers at once, and uses them all', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h);
    let inFlight = 0;
    let most = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const worker = new ActivityWorker({
      sfn: h.sfnConfig, activityArn, concurrency: 2,
      handler: async (input: { i: number }) => {
        most = Math.max(most, ++inFlight);
        await gate;
        inFlight--;
        return input.i;
      },
    });
    const started = worker.start();
    const executions = await Promise.all([1, 2, 3, 4, 5].map((i) => startExecution(h, stateMachineArn, { i })));
    await until(() => inFlight, (n) => n === 2, 'two handlers to run');
    // Three more tasks are waiting; none may start while both slots are busy.
    await sleep(1_000);
    expect(most).toBe(2);
    release();
    const results = await Promise.all(executions.map((e) => finished(h, e)));
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('SUCCEEDED'));
    expect(most).toBe(2);
    await worker.stop();
    await started;
  });
});

describe('heartbeats', () => {
  it('keep a task with HeartbeatSeconds alive well past it', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 2 });
    const worker = new ActivityWorker({
      sfn: h.sfnConfig, activityArn, heartbeatIntervalMs: 500,
      handler: async () => {
        await sleep(5_000);
        return 'slow but alive';
      },
    });
    const started = worker.start();
    const d = await finished(h, await startExecution(h, stateMachineArn, {}));
    await worker.stop();
    await started;
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toBe('slow but alive');
  });

  it('without them the same task times out (the test above can fail), and the late result is dropped', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 2 });
    const logger = recordingLogger();
    let done = false;
    const worker = new ActivityWorker({
      sfn: h.sfnConfig, activityArn, heartbeatIntervalMs: 0, logger,
      handler: async () => {
        await sleep(5_000);
        done = true;
        return 'too late';
      },
    });
    const started = worker.start();
    const d = await finished(h, await startExecution(h, stateMachineArn, {}));
    expect({ status: d.status, error: d.error }).toEqual({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
    await until(() => done, (x) => x, 'the handler to return');
    await worker.stop();
    await started;
    expect(logger.lines.some((l) => l.includes('was gone when its result was reported (TaskTimedOut)'))).toBe(true);
  });

  it('a heartbeat answered TaskTimedOut aborts `signal`, and nothing is reported for the task', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { TimeoutSeconds: 2 });
    const logger = recordingLogger();
    let reason: unknown;
    const worker = new ActivityWorker({
      sfn: h.sfnConfig, activityArn, heartbeatIntervalMs: 300, logger,
      handler: async (_input, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        reason = signal.reason;
        return 'ignored';
      },
    });
    const started = worker.start();
    const executionArn = await startExecution(h, stateMachineArn, {});
    const d = await finished(h, executionArn);
    expect({ status: d.status, error: d.error }).toEqual({ status: 'FAILED', error: 'States.Timeout' });
    await until(() => reason, (r) => r !== undefined, 'the signal to abort');
    expect((reason as Error).name).toBe(WorkerErrors.taskTimedOut);
    expect((reason as Error).message).toContain('TaskTimedOut');
    await worker.stop();
    await started;
    expect(logger.lines).toEqual([expect.stringContaining('timed out before its handler finished; its output was not reported')]);
    expect(await historyTypes(h, executionArn)).not.toContain('ActivitySucceeded');
  });
});

describe('stop()', () => {
  it('stops polling, lets the task in flight finish and report, then resolves start() and itself', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 30 });
    // A client of the test's own, to see when the worker's SendTaskSuccess was answered.
    const client = new S.SFNClient(h.sfnConfig);
    let reportedAt = 0;
    const pollErrors: string[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        try {
          const result = await next(args);
          if (context.commandName === 'SendTaskSuccessCommand') reportedAt = Date.now();
          return result;
        } catch (e) {
          if (context.commandName === 'GetActivityTaskCommand') pollErrors.push((e as Error).name);
          throw e;
        }
      },
      { step: 'initialize' },
    );
    let running = false;
    let startResolvedAt = 0;
    const worker = new ActivityWorker({
      client, activityArn, concurrency: 2,
      handler: async (_input, { signal }) => {
        running = true;
        await sleep(1_500);
        return { aborted: signal.aborted };
      },
    });
    const started = worker.start().then(() => (startResolvedAt = Date.now()));
    const first = await startExecution(h, stateMachineArn, {});
    await until(() => running, (r) => r, 'the handler to start');
    const stopping = worker.stop();
    expect(worker.stop()).toBe(stopping);
    await stopping;
    const stoppedAt = Date.now();
    await started;
    expect(reportedAt).toBeGreaterThan(0);
    expect(reportedAt).toBeLessThanOrEqual(stoppedAt);
    expect(startResolvedAt).toBeGreaterThan(0);
    // The idle slot's open poll was aborted rather than waited out.
    expect(pollErrors).toEqual(['AbortError']);
    const d = await finished(h, first);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ aborted: false });
    // No poll is left open: a task scheduled now is not taken.
    const second = await startExecution(h, stateMachineArn, {});
    await sleep(2_500);
    const types = await historyTypes(h, second);
    expect(types).toContain('ActivityScheduled');
    expect(types).not.toContain('ActivityStarted');
    // The worker leaves a client it was given alone.
    await client.send(new S.ListActivitiesCommand({}));
    client.destroy();
  });

  it('aborts `signal` once the grace has passed, and still reports what the handler then throws', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 30 });
    let running = false;
    const worker = new ActivityWorker({
      sfn: h.sfnConfig, activityArn, shutdownGraceMs: 300,
      handler: async (_input, { signal }) => {
        running = true;
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        throw signal.reason;
      },
    });
    const started = worker.start();
    const executionArn = await startExecution(h, stateMachineArn, {});
    await until(() => running, (r) => r, 'the handler to start');
    await worker.stop();
    await started;
    const d = await finished(h, executionArn);
    expect({ status: d.status, error: d.error }).toEqual({ status: 'FAILED', error: WorkerErrors.workerStopped });
    expect(d.cause).toContain('300 ms');
  });

  it('before start() resolves at once, and start() is then refused', async () => {
    const worker = new ActivityWorker({ sfn: h.sfnConfig, activityArn: 'arn:aws:states:us-east-1:123456789012:activity:none', handler: () => 1 });
    await worker.stop();
    expect(() => worker.start()).toThrow(/start\(\) can be called once/);
  });
});

describe('poll errors', () => {
  it('back off and never crash when nothing answers', async () => {
    // A port that refuses connections: bound, then closed.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const logger = recordingLogger();
    const worker = new ActivityWorker({
      sfn: { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 },
      activityArn: 'arn:aws:states:us-east-1:123456789012:activity:nowhere', concurrency: 2, logger,
      handler: () => 1,
    });
    const started = worker.start();
    await sleep(2_500);
    const polls = logger.lines.filter((l) => l.startsWith('warn GetActivityTask failed')).length;
    // Two slots, pauses from 100-200 ms doubling: a handful each in 2.5 s, never a tight loop of hundreds.
    expect(polls).toBeGreaterThanOrEqual(4);
    expect(polls).toBeLessThanOrEqual(14);
    await worker.stop();
    await started;
  });

  it('a missing activity is logged with its error code and polled again later', async () => {
    const logger = recordingLogger();
    const worker = new ActivityWorker({
      sfn: { ...h.sfnConfig, maxAttempts: 1 }, logger, handler: () => 1,
      activityArn: 'arn:aws:states:us-east-1:123456789012:activity:never-created',
    });
    const started = worker.start();
    await until(() => logger.lines.length, (n) => n >= 2, 'two failed polls');
    await worker.stop();
    await started;
    expect(logger.lines[0]).toMatch(/^warn GetActivityTask failed \(ActivityDoesNotExist: .*\); polling again in \d+ ms$/);
  });
});
