/**
 * Every supported action through the real `@aws-sdk/client-sfn` against the real API server and the real engine,
 * with a worker and a timer service running, on both backends: Postgres (a fresh database) + BullMQ (a fresh key
 * prefix), and the embedded default of `npm start` (PGlite in a fresh data folder + the in-process queue).
 * Asserts outputs, histories and the SDK's own exception classes.
 */
import * as S from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/engine-stack.js';
import { failure, finished as finishedOn, suiteStack, until } from './support/sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';
const SM = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const pass = (result: unknown) =>
  JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const waitDef = JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } });
const activityDef = (activityArn: string) =>
  JSON.stringify({
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: activityArn, HeartbeatSeconds: 60, End: true } },
  });

describe.each(BACKENDS)('on %s', (backend) => {
  const suite = suiteStack(backend);
  let sfn: S.SFNClient;
  beforeAll(() => {
    sfn = suite.sfn;
  });

  const finished = (executionArn: string) => finishedOn(sfn, executionArn);

  describe('state machines', () => {
    it('creates (idempotently), describes, lists, updates and validates', async () => {
      const created = await sfn.send(new S.CreateStateMachineCommand({ name: 'hello', definition: pass({ a: 1 }), roleArn: ROLE }));
      expect(created.stateMachineArn).toBe(SM('hello'));
      expect(created.creationDate).toBeInstanceOf(Date);
      const again = await sfn.send(new S.CreateStateMachineCommand({ name: 'hello', definition: pass({ a: 1 }), roleArn: ROLE }));
      expect(again.stateMachineArn).toBe(created.stateMachineArn);
      const conflict = await failure(sfn.send(new S.CreateStateMachineCommand({ name: 'hello', definition: pass(2), roleArn: ROLE })));
      expect(conflict).toBeInstanceOf(S.StateMachineAlreadyExists);

      const d = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('hello') }));
      expect(d).toMatchObject({ name: 'hello', definition: pass({ a: 1 }), roleArn: ROLE, type: 'STANDARD', status: 'ACTIVE' });

      await sfn.send(new S.CreateStateMachineCommand({ name: 'second', definition: pass(2), roleArn: ROLE }));
      const page1 = await sfn.send(new S.ListStateMachinesCommand({ maxResults: 1 }));
      expect(page1.stateMachines).toHaveLength(1);
      expect(page1.nextToken).toBeTruthy();
      const page2 = await sfn.send(new S.ListStateMachinesCommand({ maxResults: 1, nextToken: page1.nextToken }));
      expect([page1.stateMachines![0]!.name, page2.stateMachines![0]!.name].sort()).toEqual(['hello', 'second']);
      const badToken = await failure(sfn.send(new S.ListStateMachinesCommand({ nextToken: 'forged' })));
      expect(badToken).toBeInstanceOf(S.InvalidToken);

      const updated = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('second'), definition: pass(3) }));
      expect(updated.updateDate).toBeInstanceOf(Date);
      const d2 = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('second') }));
      expect(d2.definition).toBe(pass(3));

      const invalid = await failure(
        sfn.send(new S.CreateStateMachineCommand({ name: 'broken', definition: '{"StartAt":"X","States":{}}', roleArn: ROLE })),
      );
      expect(invalid).toBeInstanceOf(S.InvalidDefinition);
      const badName = await failure(sfn.send(new S.CreateStateMachineCommand({ name: 'a b', definition: pass(1), roleArn: ROLE })));
      expect(badName).toBeInstanceOf(S.InvalidName);
      expect(badName.message).toBe("Invalid Name: 'a b'");
      const missing = await failure(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('nope') })));
      expect(missing).toBeInstanceOf(S.StateMachineDoesNotExist);

      const v = await sfn.send(new S.ValidateStateMachineDefinitionCommand({ definition: '{"StartAt":"X","States":{}}' }));
      expect(v.result).toBe('FAIL');
      expect(v.diagnostics!.length).toBeGreaterThan(0);
    });

    it('deletes', async () => {
      await sfn.send(new S.CreateStateMachineCommand({ name: 'doomed', definition: pass(0), roleArn: ROLE }));
      await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: SM('doomed') }));
      // AWS may show the machine as DELETING for a while before it is gone.
      const gone = await until(
        () => sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('doomed') })).then(() => null, (e: unknown) => e as S.SFNServiceException),
        (e) => e !== null,
        'the deletion',
      );
      expect(gone).toBeInstanceOf(S.StateMachineDoesNotExist);
    });
  });

  describe('executions', () => {
    it('runs to completion with history, pagination and describeStateMachineForExecution', async () => {
      const started = await sfn.send(
        new S.StartExecutionCommand({ stateMachineArn: SM('hello'), name: 'run-1', input: '{"in":true}' }),
      );
      expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:hello:run-1');
      const done = await finished(started.executionArn!);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"a":1}', input: '{"in":true}', name: 'run-1' });
      expect(done.stopDate).toBeInstanceOf(Date);

      const history = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: started.executionArn }));
      expect(history.events!.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      expect(history.events![0]!.timestamp).toBeInstanceOf(Date);
      expect(history.events![0]!.executionStartedEventDetails?.input).toBe('{"in":true}');
      expect(history.events![3]!.executionSucceededEventDetails?.output).toBe('{"a":1}');
      const reversed = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true, maxResults: 2 }));
      expect(reversed.events!.map((e) => e.id)).toEqual([4, 3]);
      const rest = await sfn.send(
        new S.GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true, maxResults: 2, nextToken: reversed.nextToken }),
      );
      expect(rest.events!.map((e) => e.id)).toEqual([2, 1]);

      const forExec = await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn: started.executionArn }));
      expect(forExec).toMatchObject({ stateMachineArn: SM('hello'), name: 'hello', definition: pass({ a: 1 }) });

      const dup = await failure(sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('hello'), name: 'run-1', input: '{"other":1}' })));
      expect(dup).toBeInstanceOf(S.ExecutionAlreadyExists);
      const badInput = await failure(sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('hello'), input: '{not json' })));
      expect(badInput).toBeInstanceOf(S.InvalidExecutionInput);
      const unknown = await failure(
        sfn.send(new S.DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:hello:none' })),
      );
      expect(unknown).toBeInstanceOf(S.ExecutionDoesNotExist);
    });

    it('stops a waiting execution and filters lists by status', async () => {
      await sfn.send(new S.CreateStateMachineCommand({ name: 'waiter', definition: waitDef, roleArn: ROLE }));
      const started = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('waiter'), name: 'w1' }));
      const running = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('waiter'), statusFilter: 'RUNNING' }));
      expect(running.executions!.map((e) => e.name)).toEqual(['w1']);
      await until(
        () => sfn.send(new S.GetExecutionHistoryCommand({ executionArn: started.executionArn })),
        (h) => h.events!.some((e) => e.type === 'WaitStateEntered'),
        'the Wait state',
      );
      const stopped = await sfn.send(new S.StopExecutionCommand({ executionArn: started.executionArn, error: 'Halt', cause: 'test' }));
      expect(stopped.stopDate).toBeInstanceOf(Date);
      const d = await finished(started.executionArn!);
      expect(d).toMatchObject({ status: 'ABORTED' });
      const aborted = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('waiter'), statusFilter: 'ABORTED' }));
      expect(aborted.executions!.map((e) => e.executionArn)).toEqual([started.executionArn]);
      const history = await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: started.executionArn }));
      expect(history.events!.at(-1)!.type).toBe('ExecutionAborted');
    });

    it('runs an Express machine synchronously and refuses StartSyncExecution on Standard', async () => {
      await sfn.send(new S.CreateStateMachineCommand({ name: 'quick', definition: pass({ q: 1 }), roleArn: ROLE, type: 'EXPRESS' }));
      const out = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: SM('quick'), input: '{}' }));
      expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"q":1}' });
      expect(out.startDate).toBeInstanceOf(Date);
      const standard = await failure(sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: SM('hello'), input: '{}' })));
      expect(standard).toBeInstanceOf(S.StateMachineTypeNotSupported);
    });
  });

  describe('activities and task tokens', () => {
    it('hands activity tasks to a poller and takes heartbeats, success and failure', async () => {
      const act = await sfn.send(new S.CreateActivityCommand({ name: 'pick' }));
      expect(act.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:pick');
      const described = await sfn.send(new S.DescribeActivityCommand({ activityArn: act.activityArn }));
      expect(described).toMatchObject({ name: 'pick', activityArn: act.activityArn });
      const listed = await sfn.send(new S.ListActivitiesCommand({}));
      expect(listed.activities!.map((a) => a.name)).toContain('pick');

      await sfn.send(new S.CreateStateMachineCommand({ name: 'picker', definition: activityDef(act.activityArn!), roleArn: ROLE }));
      const ok = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('picker'), name: 'ok', input: '{"item":1}' }));
      const task = await until(
        () => sfn.send(new S.GetActivityTaskCommand({ activityArn: act.activityArn, workerName: 'w-1' })),
        (t) => !!t.taskToken,
        'an activity task',
      );
      expect(JSON.parse(task.input!)).toEqual({ item: 1 });
      await sfn.send(new S.SendTaskHeartbeatCommand({ taskToken: task.taskToken }));
      await sfn.send(new S.SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{"picked":true}' }));
      const done = await finished(ok.executionArn!);
      expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"picked":true}' });
      const types = (await sfn.send(new S.GetExecutionHistoryCommand({ executionArn: ok.executionArn }))).events!.map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded']));
      const reused = await failure(sfn.send(new S.SendTaskSuccessCommand({ taskToken: task.taskToken, output: '{}' })));
      expect(reused).toBeInstanceOf(S.TaskDoesNotExist);
      const garbage = await failure(sfn.send(new S.SendTaskHeartbeatCommand({ taskToken: 'garbage' })));
      expect(garbage).toBeInstanceOf(S.InvalidToken);

      const bad = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('picker'), name: 'bad', input: '{}' }));
      const task2 = await until(
        () => sfn.send(new S.GetActivityTaskCommand({ activityArn: act.activityArn })),
        (t) => !!t.taskToken,
        'a second activity task',
      );
      await sfn.send(new S.SendTaskFailureCommand({ taskToken: task2.taskToken, error: 'Broken', cause: 'it broke' }));
      const failed = await finished(bad.executionArn!);
      expect(failed).toMatchObject({ status: 'FAILED', error: 'Broken', cause: 'it broke' });

      await sfn.send(new S.DeleteActivityCommand({ activityArn: act.activityArn }));
      const gone = await failure(sfn.send(new S.DescribeActivityCommand({ activityArn: act.activityArn })));
      expect(gone).toBeInstanceOf(S.ActivityDoesNotExist);
    });
  });

  describe('tags', () => {
    it('tags, lists and untags a state machine', async () => {
      await sfn.send(new S.TagResourceCommand({ resourceArn: SM('hello'), tags: [{ key: 'team', value: 'core' }, { key: 'env', value: 'test' }] }));
      const tags = await sfn.send(new S.ListTagsForResourceCommand({ resourceArn: SM('hello') }));
      expect(tags.tags).toEqual(expect.arrayContaining([{ key: 'team', value: 'core' }, { key: 'env', value: 'test' }]));
      await sfn.send(new S.UntagResourceCommand({ resourceArn: SM('hello'), tagKeys: ['env'] }));
      const after = await sfn.send(new S.ListTagsForResourceCommand({ resourceArn: SM('hello') }));
      expect(after.tags).toEqual([{ key: 'team', value: 'core' }]);
      const none = await failure(sfn.send(new S.ListTagsForResourceCommand({ resourceArn: SM('nothing') })));
      expect(none).toBeInstanceOf(S.ResourceNotFound);
    });
  });
});
