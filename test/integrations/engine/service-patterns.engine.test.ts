/**
 * The integration patterns through the durable engine with the real invoker against the emulators: ECS `.sync`
 * completing (and failing) through durable `poll` timers, a nested `states:startExecution.sync` / `.sync:2` whose
 * child runs in the same Baton (the invoker's Step Functions client points at the API server), a Lambda throttle
 * retried by the state's Retry, and a Task TimeoutSeconds on a callback that never comes.
 */
import * as S from '@aws-sdk/client-sfn';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIntegrationStack, type IntegrationStack } from './support/integration-stack.js';

let stack: IntegrationStack;

beforeAll(async () => {
  // Slow enough ECS polls that the durable timer between two of them can be seen in Postgres.
  stack = await startIntegrationStack({ label: 'patterns_engine', invoker: { pollIntervalMs: { ecs: 150, states: 50 } } });
  stack.emu.ecs.script('job-ok', { statuses: ['PROVISIONING', 'PENDING', 'RUNNING', 'RUNNING', 'STOPPED'], exitCode: 0 });
  stack.emu.ecs.script('job-bad', { exitCode: 3 });
  stack.emu.lambda.define('echo', (event) => event);
  stack.emu.lambda.define('double', (event) => ({ doubled: (event as { n: number }).n * 2 }));
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const types = async (arn: string) => (await stack.history(arn)).map((e) => e.type);
const task = (resource: string, extra: object) => ({ StartAt: 'T', States: { T: { Type: 'Task', Resource: resource, End: true, ...extra } } });

describe('ECS runTask.sync through durable poll timers', () => {
  const definition = (taskDefinition: string) => ({
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync',
        Parameters: { Cluster: 'default', TaskDefinition: taskDefinition, LaunchType: 'FARGATE' },
        Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Failed' }],
        End: true,
      },
      Failed: { Type: 'Pass', End: true },
    },
  });

  it('waits for STOPPED behind poll timers and returns the task description', async () => {
    const sm = await stack.createStateMachine('ecs-ok', definition('job-ok'));
    const arn = await stack.start(sm, {});
    // While the ECS task runs, the wait is a `poll` timer row in Postgres, not a worker blocked on a call.
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    let sawPollTimer = false;
    try {
      for (let i = 0; i < 200 && !sawPollTimer; i++) {
        const r = await db.query("SELECT 1 FROM timers t JOIN executions e ON e.id = t.execution_id WHERE e.arn = $1 AND t.purpose = 'poll'", [arn]);
        sawPollTimer = (r.rowCount ?? 0) > 0;
        if (!sawPollTimer) await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await db.end();
    }
    expect(sawPollTimer).toBe(true);
    const done = await stack.finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    const out = JSON.parse(done.output!);
    expect(out).toMatchObject({ LastStatus: 'STOPPED', Containers: [{ Name: 'app', ExitCode: 0 }] });
    const events = await stack.history(arn);
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
    // TaskSubmitted carries the RunTask response; the task it started is the one that stopped.
    const submitted = JSON.parse(events.find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!.output!);
    expect(submitted.Tasks[0].TaskArn).toBe(out.TaskArn);
    expect(stack.emu.ecs.tasks().find((t) => t.taskArn === out.TaskArn)?.lastStatus).toBe('STOPPED');
  });

  it('a container exiting non-zero fails the state with States.TaskFailed and the task description', async () => {
    const sm = await stack.createStateMachine('ecs-bad', definition('job-bad'));
    const done = await stack.finished(await stack.start(sm, {}));
    expect(done.status).toBe('SUCCEEDED');
    const failure = JSON.parse(done.output!).failure;
    expect(failure.Error).toBe('States.TaskFailed');
    expect(JSON.parse(failure.Cause)).toMatchObject({ LastStatus: 'STOPPED', Containers: [{ ExitCode: 3 }] });
  });
});

describe('nested executions in the same Baton', () => {
  let child: string;
  let failingChild: string;
  beforeAll(async () => {
    child = await stack.createStateMachine('child', task('arn:aws:states:::lambda:invoke', { Parameters: { FunctionName: 'double', 'Payload.$': '$' }, OutputPath: '$.Payload' }));
    failingChild = await stack.createStateMachine('failing-child', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Child.Broke', Cause: 'on purpose' } } });
  });
  const parent = (suffix: string, childArn: string, name: string) => task(`arn:aws:states:::states:startExecution${suffix}`, {
    Parameters: { StateMachineArn: childArn, 'Input.$': '$', Name: name },
  });

  it('.sync: the child runs durably here; the parent gets its DescribeExecution with Output as JSON text', async () => {
    const sm = await stack.createStateMachine('parent-sync', parent('.sync', child, 'child-sync'));
    const arn = await stack.start(sm, { n: 21 });
    const done = await stack.finished(arn);
    expect(done.status).toBe('SUCCEEDED');
    const out = JSON.parse(done.output!);
    expect(out).toMatchObject({ Status: 'SUCCEEDED', Name: 'child-sync', StateMachineArn: child, Input: '{"n":21}', Output: '{"doubled":42}' });
    const childRun = await stack.sfn.send(new S.DescribeExecutionCommand({ executionArn: out.ExecutionArn }));
    expect(childRun).toMatchObject({ status: 'SUCCEEDED', output: '{"doubled":42}' });
    expect(await types(arn)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded',
    ]);
  });

  it('.sync:2: Output parsed', async () => {
    const sm = await stack.createStateMachine('parent-sync2', parent('.sync:2', child, 'child-sync2'));
    const done = await stack.finished(await stack.start(sm, { n: 5 }));
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ Status: 'SUCCEEDED', Input: { n: 5 }, Output: { doubled: 10 } });
  });

  it('a failing child fails the parent task with States.TaskFailed and the child description as cause', async () => {
    const sm = await stack.createStateMachine('parent-of-failure', parent('.sync', failingChild, 'child-fails'));
    const done = await stack.finished(await stack.start(sm, {}));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(JSON.parse(done.cause!)).toMatchObject({ Status: 'FAILED', Error: 'Child.Broke', Cause: 'on purpose', Name: 'child-fails' });
  });
});

it('a Lambda throttle (429 TooManyRequestsException) is retried by the state\'s Retry on a durable timer', async () => {
  const sm = await stack.createStateMachine('throttled', task('arn:aws:states:::lambda:invoke', {
    Parameters: { FunctionName: 'echo', Payload: { hello: 'world' } },
    Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 }],
  }));
  stack.emu.lambda.failNext('echo', 2, 'throttle');
  const arn = await stack.start(sm, {});
  const done = await stack.finished(arn);
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!)).toMatchObject({ Payload: { hello: 'world' }, StatusCode: 200 });
  const events = await stack.history(arn);
  const failures = events.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!);
  expect(failures.map((f) => f.error)).toEqual(['Lambda.TooManyRequestsException', 'Lambda.TooManyRequestsException']);
  expect(failures[0]!.cause).toMatch(/^Rate Exceeded\. \(Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: [\w-]+; Proxy: null\)$/);
  expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(3);
});

it('TimeoutSeconds on a callback that never comes: TaskTimedOut, and the late token is refused as TaskTimedOut', async () => {
  const queue = await stack.emu.createQueue('never-answered');
  const sm = await stack.createStateMachine('callback-timeout', task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', {
    TimeoutSeconds: 1, Parameters: { QueueUrl: queue.url, MessageBody: { 'TaskToken.$': '$$.Task.Token' } },
  }));
  const arn = await stack.start(sm, {});
  const done = await stack.finished(arn);
  expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
  expect(await types(arn)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed']);
  const [message] = await stack.emu.receive(queue.url);
  const token = (JSON.parse(message!.Body!) as { TaskToken: string }).TaskToken;
  await expect(stack.sfn.send(new S.SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(S.TaskTimedOut);
});
