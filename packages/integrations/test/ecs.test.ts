import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '@baton/asl';
import type { TaskResult } from '../src/index.js';
import { startEmulators, type Emulators } from './support/emulators.js';
import { CallbackBook, runWithInvoker, taskRequest } from './support/run-with-invoker.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  emu.ecs.script('job-ok', { exitCode: 0 });
  emu.ecs.script('job-bad', { exitCode: 3 });
});
afterAll(async () => {
  await emu?.close();
});

const runTask = (suffix: string, taskDefinition: string, extra: JsonObject = {}): JsonObject => ({
  StartAt: 'Run',
  States: {
    Run: {
      Type: 'Task', Resource: `arn:aws:states:::ecs:runTask${suffix}`,
      Parameters: { Cluster: 'default', TaskDefinition: taskDefinition, LaunchType: 'FARGATE', Overrides: { ContainerOverrides: [{ Name: 'app', 'Command.$': '$.cmd' }] } },
      End: true, ...extra,
    },
    Failed: { Type: 'Pass', End: true },
  },
});

describe('ecs:runTask', () => {
  it('request-response returns the RunTask response in PascalCase, sending camelCase and an idempotent clientToken', async () => {
    const r = await runWithInvoker(runTask('', 'job-ok'), emu.invoker(), { input: { cmd: ['echo', 'hi'] } });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as any;
    expect(out.Tasks[0].LastStatus).toBe('PROVISIONING');
    expect(out.Failures).toEqual([]);
    const call = emu.ecs.runTaskCalls.at(-1)!;
    expect(call).toMatchObject({ cluster: 'default', taskDefinition: 'job-ok', launchType: 'FARGATE', overrides: { containerOverrides: [{ name: 'app', command: ['echo', 'hi'] }] } });
    expect(call.clientToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the same task invoked twice (redelivery) starts one ECS task', async () => {
    const invoker = emu.invoker();
    const cmd = { kind: 'scheduleTask', taskId: 'k9', runId: 'r', stateName: 'Run', resource: 'arn:aws:states:::ecs:runTask', family: 'service', pattern: 'request-response', parameters: { Cluster: 'default', TaskDefinition: 'job-ok' }, attempt: 0 } as const;
    const req = taskRequest(cmd, 'us-east-1', 'arn:aws:states:us-east-1:123456789012:execution:m:idem');
    const a = (await invoker.invoke(req, new AbortController().signal)) as Extract<TaskResult, { kind: 'succeeded' }>;
    const b = (await invoker.invoke(req, new AbortController().signal)) as Extract<TaskResult, { kind: 'succeeded' }>;
    expect((a.output as any).Tasks[0].TaskArn).toBe((b.output as any).Tasks[0].TaskArn);
  });

  it('.sync polls DescribeTasks through poll results until STOPPED and returns the task description', async () => {
    const results: { result: TaskResult }[] = [];
    const r = await runWithInvoker(runTask('.sync', 'job-ok'), emu.invoker(), { input: { cmd: ['true'] }, results: results as never });
    expect(r.status).toBe('SUCCEEDED');
    const out = r.output as any;
    expect(out.LastStatus).toBe('STOPPED');
    expect(out.Containers[0].ExitCode).toBe(0);
    // RunTask, then PENDING, RUNNING (still polling), then STOPPED.
    expect(results.map((x) => x.result.kind)).toEqual(['poll', 'poll', 'poll', 'succeeded']);
  });

  it('.sync fails with States.TaskFailed and the task description as the cause when a container exits non-zero', async () => {
    const def = runTask('.sync', 'job-bad', { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Failed' }], End: undefined, Next: 'Failed' } as unknown as JsonObject);
    delete (def.States as any).Run.End;
    const r = await runWithInvoker(def, emu.invoker(), { input: { cmd: ['false'] } });
    expect(r.status).toBe('SUCCEEDED');
    expect((r.output as any).Error).toBe('States.TaskFailed');
    const described = JSON.parse((r.output as any).Cause);
    expect(described).toMatchObject({ LastStatus: 'STOPPED', Containers: [{ Name: 'app', ExitCode: 3 }] });
  });

  it('.sync with RunTask failures fails with AmazonECS.Unknown; a missing cluster is ECS.ClusterNotFoundException', async () => {
    const missingDef = await runWithInvoker(runTask('.sync', 'no-such-family'), emu.invoker(), { input: { cmd: [] } });
    expect(missingDef).toMatchObject({ status: 'FAILED', error: 'AmazonECS.Unknown' });
    const def = runTask('', 'job-ok');
    (def.States as any).Run.Parameters.Cluster = 'arn:aws:ecs:us-east-1:123456789012:cluster/nope';
    const noCluster = await runWithInvoker(def, emu.invoker(), { input: { cmd: [] } });
    expect(noCluster).toMatchObject({ status: 'FAILED', error: 'ECS.ClusterNotFoundException' });
    expect(noCluster.cause).toMatch(/^Cluster not found\. \(Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException/);
  });

  it('retries a throttled RunTask (undeclared ThrottlingException -> ECS.AmazonECSException)', async () => {
    emu.ecs.throttleNext(1);
    const r = await runWithInvoker(runTask('', 'job-ok', { Retry: [{ ErrorEquals: ['ECS.AmazonECSException'], MaxAttempts: 2 }] }), emu.invoker(), { input: { cmd: [] } });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.events.filter((e) => e.type === 'TaskFailed').map((e: any) => e.taskFailedEventDetails.error)).toEqual(['ECS.AmazonECSException']);
  });

  it('.waitForTaskToken starts the task with the token and waits for its callback', async () => {
    const callbacks = new CallbackBook();
    const def: JsonObject = {
      StartAt: 'Run',
      States: {
        Run: {
          Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.waitForTaskToken',
          Parameters: { Cluster: 'default', TaskDefinition: 'job-ok', Overrides: { ContainerOverrides: [{ Name: 'app', Environment: [{ Name: 'TASK_TOKEN', 'Value.$': '$$.Task.Token' }] }] } },
          End: true,
        },
      },
    };
    const r = await runWithInvoker(def, emu.invoker(), {
      callbacks,
      onSubmitted: () => {
        const env = (emu.ecs.runTaskCalls.at(-1) as any).overrides.containerOverrides[0].environment[0];
        callbacks.succeed(env.value, { container: 'finished' });
      },
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ container: 'finished' });
  });
});
