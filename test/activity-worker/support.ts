/**
 * What the activity-worker tests share: a real Baton (API server over the engine, see test/api/support), an SDK
 * client for the test's own calls, and small helpers to make an activity, a machine that calls it, and wait.
 */
import * as S from '@aws-sdk/client-sfn';
import type { WorkerLogger } from '@baton/activity-worker';
import { ACCESS_KEY_ID, SECRET_KEY, startEngineStack, type Backend, type EngineStack } from '../api/support/engine-stack.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';

export interface Harness {
  stack: EngineStack;
  /** The test's own client (one attempt per call, so a failure shows at once). */
  sfn: S.SFNClient;
  /** What a worker's `sfn` option takes to reach this Baton. */
  sfnConfig: S.SFNClientConfig;
  stop(): Promise<void>;
}

export async function startHarness(backend: Backend = 'postgres'): Promise<Harness> {
  const stack = await startEngineStack(backend);
  const sfnConfig: S.SFNClientConfig = {
    endpoint: stack.url,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY },
  };
  const sfn = new S.SFNClient({ ...sfnConfig, maxAttempts: 1 });
  return {
    stack,
    sfn,
    sfnConfig,
    async stop() {
      sfn.destroy();
      await stack.stop();
    },
  };
}

let seq = 0;

/** A fresh activity and a machine whose only state is a Task on it, with the given Task fields. */
export async function activityMachine(h: Harness, task: Record<string, unknown> = {}): Promise<{ activityArn: string; stateMachineArn: string }> {
  const name = `act-${++seq}-${Date.now().toString(36)}`;
  const { activityArn } = await h.sfn.send(new S.CreateActivityCommand({ name }));
  const definition = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: activityArn, ...task, End: true } } };
  const { stateMachineArn } = await h.sfn.send(
    new S.CreateStateMachineCommand({ name: `m-${name}`, roleArn: ROLE, definition: JSON.stringify(definition) }),
  );
  return { activityArn: activityArn!, stateMachineArn: stateMachineArn! };
}

export async function startExecution(h: Harness, stateMachineArn: string, input: unknown): Promise<string> {
  const { executionArn } = await h.sfn.send(new S.StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return executionArn!;
}

export async function until<T>(fn: () => Promise<T> | T, ok: (v: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function finished(h: Harness, executionArn: string): Promise<S.DescribeExecutionCommandOutput> {
  return until(
    () => h.sfn.send(new S.DescribeExecutionCommand({ executionArn })),
    (d) => d.status !== 'RUNNING',
    `${executionArn} to finish`,
  );
}

export async function historyTypes(h: Harness, executionArn: string): Promise<string[]> {
  const { events } = await h.sfn.send(new S.GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return (events ?? []).map((e) => e.type!);
}

export async function history(h: Harness, executionArn: string): Promise<S.HistoryEvent[]> {
  return (await h.sfn.send(new S.GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events ?? [];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger(): WorkerLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    warn: (m) => void lines.push(`warn ${m}`),
    error: (m) => void lines.push(`error ${m}`),
  };
}
