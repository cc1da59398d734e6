/**
 * `@baton/activity-worker` against a real Baton (the API server over the engine on Postgres + BullMQ, and the
 * embedded default): tasks answered with success and failure, the API's length limits, input validation, and the
 * `TaskTokens` helper.
 */
import * as S from '@aws-sdk/client-sfn';
import { ActivityWorker, TaskTokens, WorkerErrors, type ActivityWorkerOptions, type StandardSchemaV1 } from '@baton/activity-worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../api/support/engine-stack.js';
import { activityMachine, finished, history, startExecution, startHarness, type Harness } from './support.js';

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

describe.each(BACKENDS)('on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Serves `activityArn` with `options` until `body` is done, then stops the worker. */
  async function serving<I, O, T>(options: Omit<ActivityWorkerOptions<I, O>, 'sfn'>, body: () => Promise<T>): Promise<T> {
    const worker = new ActivityWorker<I, O>({ sfn: h.sfnConfig, ...options });
    const started = worker.start();
    try {
      return await body();
    } finally {
      await worker.stop();
      await started;
    }
  }

  it('parses the input, serialises the output, and names itself in ActivityStarted', async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h, { HeartbeatSeconds: 60 });
    const seen: unknown[] = [];
    const d = await serving(
      {
        activityArn,
        workerName: 'pricing-1',
        handler: async (input: any, { taskToken, signal }) => {
          seen.push(input, typeof taskToken, signal.aborted);
          return { total: input.price * 2, note: 'ünïcode ✓' };
        },
      },
      async () => finished(h, await startExecution(h, stateMachineArn, { price: 21 })),
    );
    expect(seen).toEqual([{ price: 21 }, 'string', false]);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ total: 42, note: 'ünïcode ✓' });
    const started = (await history(h, d.executionArn!)).find((e) => e.type === 'ActivityStarted');
    expect(started?.activityStartedEventDetails?.workerName).toBe('pricing-1');
  });

  it("reports a thrown error as SendTaskFailure: error = the error's name, cause = its message", async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h);
    const d = await serving(
      { activityArn, handler: async () => { throw new PaymentDeclined('card expired'); } },
      async () => finished(h, await startExecution(h, stateMachineArn, {})),
    );
    expect(d.status).toBe('FAILED');
    expect({ error: d.error, cause: d.cause }).toEqual({ error: 'PaymentDeclined', cause: 'card expired' });
    const failed = (await history(h, d.executionArn!)).find((e) => e.type === 'ActivityFailed');
    expect(failed?.activityFailedEventDetails).toMatchObject({ error: 'PaymentDeclined', cause: 'card expired' });
  });

  it('an undefined result is null, and a thrown non-Error is reported as Error', async () => {
    const m1 = await activityMachine(h);
    const d1 = await serving({ activityArn: m1.activityArn, handler: () => undefined }, async () =>
      finished(h, await startExecution(h, m1.stateMachineArn, {})),
    );
    expect(d1).toMatchObject({ status: 'SUCCEEDED', output: 'null' });
    const m2 = await activityMachine(h);
    const d2 = await serving({ activityArn: m2.activityArn, handler: () => { throw 'just a string'; } }, async () =>
      finished(h, await startExecution(h, m2.stateMachineArn, {})),
    );
    expect({ status: d2.status, error: d2.error, cause: d2.cause }).toEqual({ status: 'FAILED', error: 'Error', cause: 'just a string' });
  });

  it("keeps a failure within the API's limits (error 256, cause 32,768 characters) instead of leaving the task hanging", async () => {
    const { activityArn, stateMachineArn } = await activityMachine(h);
    const longName = 'E'.repeat(300);
    const longMessage = 'c'.repeat(40_000);
    const d = await serving(
      { activityArn, handler: () => { throw Object.assign(new Error(longMessage), { name: longName }); } },
      async () => finished(h, await startExecution(h, stateMachineArn, {})),
    );
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('E'.repeat(256));
    expect(d.cause).toBe('c'.repeat(32_768));
  });

  it('fails the task with ActivityWorker.InvalidOutput when the output is not JSON or too long', async () => {
    const m1 = await activityMachine(h);
    const d1 = await serving({ activityArn: m1.activityArn, handler: () => ({ n: 1n }) }, async () =>
      finished(h, await startExecution(h, m1.stateMachineArn, {})),
    );
    expect(d1).toMatchObject({ status: 'FAILED', error: WorkerErrors.invalidOutput });
    expect(d1.cause).toContain('not JSON');
    const m2 = await activityMachine(h);
    const d2 = await serving({ activityArn: m2.activityArn, handler: () => 'x'.repeat(300_000) }, async () =>
      finished(h, await startExecution(h, m2.stateMachineArn, {})),
    );
    expect(d2).toMatchObject({ status: 'FAILED', error: WorkerErrors.invalidOutput });
    expect(d2.cause).toContain('262144');
  });

  describe('input validation', () => {
    // A Standard Schema written by hand, as zod, valibot or arktype would provide it.
    const order: StandardSchemaV1<unknown, { id: string; qty: number }> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate(value) {
          const v = value as Record<string, unknown>;
          const issues = [];
          if (typeof v?.id !== 'string') issues.push({ message: 'Required string', path: ['id'] });
          if (typeof v?.qty !== 'number') issues.push({ message: 'Expected number', path: [{ key: 'lines' }, 0, 'qty'] });
          return issues.length ? { issues } : { value: { id: v.id as string, qty: v.qty as number } };
        },
      },
    };

    it('reports a failing input as ActivityWorker.InvalidInput, naming each problem, without calling the handler', async () => {
      const { activityArn, stateMachineArn } = await activityMachine(h);
      let calls = 0;
      const d = await serving({ activityArn, inputSchema: order, handler: () => ++calls }, async () =>
        finished(h, await startExecution(h, stateMachineArn, { qty: 'two' })),
      );
      expect(calls).toBe(0);
      expect(d).toMatchObject({ status: 'FAILED', error: WorkerErrors.invalidInput, cause: '$.id: Required string; $.lines[0].qty: Expected number' });
    });

    it("hands the schema's output to the handler when the input passes", async () => {
      const { activityArn, stateMachineArn } = await activityMachine(h);
      const d = await serving({ activityArn, inputSchema: order, handler: (input) => ({ id: input.id, twice: input.qty * 2 }) }, async () =>
        finished(h, await startExecution(h, stateMachineArn, { id: 'A-1', qty: 3, extra: true })),
      );
      expect(d.status).toBe('SUCCEEDED');
      expect(JSON.parse(d.output!)).toEqual({ id: 'A-1', twice: 6 });
    });

    it('a validate hook that throws is reported the same way', async () => {
      const { activityArn, stateMachineArn } = await activityMachine(h);
      const validate = (input: unknown): { n: number } => {
        if (typeof (input as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
        return input as { n: number };
      };
      const d = await serving({ activityArn, validate, handler: (input) => input.n }, async () =>
        finished(h, await startExecution(h, stateMachineArn, { n: 'no' })),
      );
      expect(d).toMatchObject({ status: 'FAILED', error: WorkerErrors.invalidInput, cause: 'n must be a number' });
    });
  });

  it('TaskTokens completes and fails tokens, and refuses a non-JSON output before calling the API', async () => {
    const tokens = new TaskTokens({ sfn: h.sfnConfig });
    const { activityArn, stateMachineArn } = await activityMachine(h);
    const a = await startExecution(h, stateMachineArn, {});
    const b = await startExecution(h, stateMachineArn, {});
    // Tokens taken by some other program (a worker that hands the task on to a person, a webhook, ...).
    const held: string[] = [];
    for (let i = 0; i < 2; i++) held.push((await h.sfn.send(new S.GetActivityTaskCommand({ activityArn }))).taskToken!);
    await expect(tokens.complete(held[0]!, { n: 1n })).rejects.toMatchObject({ name: WorkerErrors.invalidOutput });
    await tokens.heartbeat(held[0]!);
    await tokens.complete(held[0]!, { approved: true });
    await tokens.fail(held[1]!, new PaymentDeclined('no funds'));
    const [da, db] = [await finished(h, a), await finished(h, b)];
    expect([da.status, db.status].sort()).toEqual(['FAILED', 'SUCCEEDED']);
    const ok = da.status === 'SUCCEEDED' ? da : db;
    const ko = da.status === 'FAILED' ? da : db;
    expect(JSON.parse(ok.output!)).toEqual({ approved: true });
    expect({ error: ko.error, cause: ko.cause }).toEqual({ error: 'PaymentDeclined', cause: 'no funds' });
    await expect(tokens.complete(held[0]!, 1)).rejects.toBeInstanceOf(S.TaskDoesNotExist);
    tokens.destroy();
  });
});

describe('options', () => {
  const base = { activityArn: 'arn:aws:states:us-east-1:123456789012:activity:a', handler: () => 1 };
  it('refuses an unknown option, both sfn and client, and both inputSchema and validate', () => {
    expect(() => new ActivityWorker({ ...base, concurency: 2 } as never)).toThrow(/unknown option `concurency`/);
    expect(() => new ActivityWorker({ ...base, sfn: {}, client: new S.SFNClient({}) })).toThrow(/not both/);
    expect(() => new ActivityWorker({ ...base, validate: (x) => x, inputSchema: { '~standard': { version: 1, vendor: 'x', validate: (v) => ({ value: v }) } } })).toThrow(/not both/);
    expect(() => new ActivityWorker({ ...base, concurrency: 0 })).toThrow(/`concurrency` must be an integer from 1/);
    expect(() => new ActivityWorker({ ...base, heartbeatIntervalMs: 1.5 })).toThrow(/heartbeatIntervalMs/);
    expect(() => new ActivityWorker({ ...base, workerName: 'w'.repeat(81) })).toThrow(/workerName/);
    expect(() => new TaskTokens({ region: 'us-east-1' } as never)).toThrow(/unknown option `region`/);
  });
});
