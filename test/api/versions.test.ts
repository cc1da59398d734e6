/**
 * State machine versions through the real `@aws-sdk/client-sfn` against the real API and engine, on Postgres +
 * BullMQ and on the embedded default: publish on create/update and by PublishStateMachineVersion (idempotent,
 * revisionId conflicts), newest-first paginated listing, DescribeStateMachine and StartExecution on a version ARN,
 * what executions record, deletion (numbers never reused), the version quota, and DeleteStateMachine taking the
 * versions with it. Expected shapes and texts are the ones recorded from AWS (LocalStack's versioning snapshots).
 */
import * as S from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/engine-stack.js';
import { failure, finished, suiteStack } from './support/sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';
const SM = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const pass = (result: unknown) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const napThenPass = (result: unknown) =>
  JSON.stringify({ StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 1, Next: 'P' }, P: { Type: 'Pass', Result: result, End: true } } });

describe.each(BACKENDS)('versions on %s', (backend) => {
  const suite = suiteStack(backend, { quotas: { versionsPerStateMachine: 5 } });
  let sfn: S.SFNClient;
  beforeAll(() => {
    sfn = suite.sfn;
  });

  const run = async (stateMachineArn: string, name: string) => {
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name, input: '{}' }));
    return finished(sfn, executionArn!);
  };

  it('publishes on create, describes the version, and refuses a version description without publish', async () => {
    const created = await sfn.send(new S.CreateStateMachineCommand({ name: 'v', definition: pass('one'), roleArn: ROLE, publish: true }));
    expect(created.stateMachineArn).toBe(SM('v'));
    expect(created.stateMachineVersionArn).toBe(`${SM('v')}:1`);

    const version = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: `${SM('v')}:1` }));
    expect(version).toMatchObject({
      stateMachineArn: `${SM('v')}:1`, name: 'v', status: 'ACTIVE', definition: pass('one'), roleArn: ROLE, type: 'STANDARD',
      loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: false },
    });
    expect(version.creationDate).toBeInstanceOf(Date);
    // A machine's first revision has no revision id, on AWS too; nor has a version without a description one.
    expect(version.revisionId).toBeUndefined();
    expect(version.description).toBeUndefined();
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('v') }))).revisionId).toBeUndefined();

    const described = await failure(
      sfn.send(new S.CreateStateMachineCommand({ name: 'w', definition: pass(0), roleArn: ROLE, versionDescription: 'no' })),
    );
    expect(described).toBeInstanceOf(S.ValidationException);
    expect(described.message).toBe('Version description can only be set when publish is true');
    const missing = await failure(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: `${SM('v')}:9` })));
    expect(missing).toBeInstanceOf(S.StateMachineDoesNotExist);
    expect(missing.message).toBe(`State Machine Does Not Exist: '${SM('v')}:9'`);
  });

  it('publishes on update and by PublishStateMachineVersion, idempotently, and refuses a stale revisionId', async () => {
    const u2 = await sfn.send(new S.UpdateStateMachineCommand({
      stateMachineArn: SM('v'), definition: pass('two'), publish: true, versionDescription: 'second',
    }));
    expect(u2.stateMachineVersionArn).toBe(`${SM('v')}:2`);
    expect(u2.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const v2 = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: `${SM('v')}:2` }));
    expect(v2).toMatchObject({ definition: pass('two'), description: 'second', revisionId: u2.revisionId });

    // Nothing changed: no new revision, and publish answers with the version that revision already has.
    const same = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('v'), definition: pass('two'), publish: true }));
    expect(same).toMatchObject({ revisionId: u2.revisionId, stateMachineVersionArn: `${SM('v')}:2` });
    const again = await sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: SM('v'), description: 'ignored' }));
    expect(again.stateMachineVersionArn).toBe(`${SM('v')}:2`);
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: `${SM('v')}:2` }))).description).toBe('second');

    const u3 = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('v'), definition: pass('three') }));
    expect(u3.stateMachineVersionArn).toBeUndefined();
    const stale = await failure(sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: SM('v'), revisionId: u2.revisionId })));
    expect(stale).toBeInstanceOf(S.ConflictException);
    expect(stale.$metadata.httpStatusCode).toBe(409);
    expect(stale.message).toBe(
      `Failed to publish the State Machine version for revision ${u2.revisionId}. The current State Machine revision is ${u3.revisionId}.`,
    );
    const v3 = await sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: SM('v'), revisionId: u3.revisionId, description: 'third' }));
    expect(v3.stateMachineVersionArn).toBe(`${SM('v')}:3`);
    expect(v3.creationDate).toBeInstanceOf(Date);

    const onVersion = await failure(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: `${SM('v')}:2`, definition: pass(4) })));
    expect(onVersion).toBeInstanceOf(S.StateMachineDoesNotExist);
    expect(onVersion.message).toBe(`State Machine Does Not Exist: '${SM('v')}:2'`);
    const nothing = await failure(sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: SM('nothing') })));
    expect(nothing).toBeInstanceOf(S.StateMachineDoesNotExist);
    const invalid = await failure(sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: 'invalid_arn' })));
    expect(invalid).toBeInstanceOf(S.InvalidArn);
  });

  it('lists versions newest first, a page at a time', async () => {
    const all = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('v') }));
    expect(all.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([3, 2, 1].map((n) => `${SM('v')}:${n}`));
    expect(all.stateMachineVersions![0]!.creationDate).toBeInstanceOf(Date);
    expect(all.nextToken).toBeUndefined();
    const page1 = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('v'), maxResults: 2 }));
    expect(page1.stateMachineVersions).toHaveLength(2);
    const page2 = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('v'), maxResults: 2, nextToken: page1.nextToken }));
    expect(page2.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${SM('v')}:1`]);
    expect(page2.nextToken).toBeUndefined();
    const forged = await failure(sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('v'), nextToken: 'forged' })));
    expect(forged).toBeInstanceOf(S.InvalidToken);
    const none = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('nothing') }));
    expect(none.stateMachineVersions).toEqual([]);
  });

  it('starts executions of a version, which record it, and lists executions by version', async () => {
    const current = await run(SM('v'), 'current');
    expect(current).toMatchObject({ status: 'SUCCEEDED', output: '"three"', stateMachineArn: SM('v') });
    expect(current.stateMachineVersionArn).toBeUndefined();
    const first = await run(`${SM('v')}:1`, 'first');
    expect(first).toMatchObject({ status: 'SUCCEEDED', output: '"one"', stateMachineArn: SM('v'), stateMachineVersionArn: `${SM('v')}:1` });
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:v:first');
    expect(first.stateMachineAliasArn).toBeUndefined();
    const forExecution = await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn: first.executionArn }));
    expect(forExecution).toMatchObject({ stateMachineArn: SM('v'), definition: pass('one'), loggingConfiguration: { level: 'OFF' } });

    const byVersion = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: `${SM('v')}:1` }));
    expect(byVersion.executions!.map((e) => [e.name, e.stateMachineVersionArn])).toEqual([['first', `${SM('v')}:1`]]);
    const everything = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('v') }));
    expect(everything.executions!.map((e) => e.name).sort()).toEqual(['current', 'first']);
    expect(everything.executions!.find((e) => e.name === 'current')!.stateMachineVersionArn).toBeUndefined();
  });

  it('runs a version of an Express machine with StartSyncExecution', async () => {
    await sfn.send(new S.CreateStateMachineCommand({ name: 'quick', definition: pass('q1'), roleArn: ROLE, type: 'EXPRESS', publish: true }));
    await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('quick'), definition: pass('q2') }));
    const first = await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: `${SM('quick')}:1` }));
    expect(first).toMatchObject({ status: 'SUCCEEDED', output: '"q1"', stateMachineArn: SM('quick') });
    expect((await sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: SM('quick') }))).output).toBe('"q2"');
  });

  it('deletes versions idempotently, never reuses their numbers, and refuses tags on them', async () => {
    await sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${SM('v')}:3` }));
    await sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${SM('v')}:3` }));
    const listed = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('v') }));
    expect(listed.stateMachineVersions!.map((v) => v.stateMachineVersionArn)).toEqual([`${SM('v')}:2`, `${SM('v')}:1`]);
    const gone = await failure(sfn.send(new S.StartExecutionCommand({ stateMachineArn: `${SM('v')}:3` })));
    expect(gone).toBeInstanceOf(S.StateMachineDoesNotExist);
    // The current revision lost its version: publishing it again makes a new number, not :3 again.
    const republished = await sfn.send(new S.PublishStateMachineVersionCommand({ stateMachineArn: SM('v') }));
    expect(republished.stateMachineVersionArn).toBe(`${SM('v')}:4`);

    const notVersion = await failure(sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: SM('v') })));
    expect(notVersion).toBeInstanceOf(S.ValidationException);
    const tag = await failure(sfn.send(new S.TagResourceCommand({ resourceArn: `${SM('v')}:1`, tags: [{ key: 'k', value: 'v' }] })));
    expect(tag).toBeInstanceOf(S.ResourceNotFound);
    expect(tag.message).toBe(`Resource not found: '${SM('v')}:1'`);
  });

  it('stops at the version quota with ServiceQuotaExceededException (402) until a version is deleted', async () => {
    await sfn.send(new S.CreateStateMachineCommand({ name: 'many', definition: pass(1), roleArn: ROLE, publish: true }));
    for (let n = 2; n <= 5; n++) {
      const u = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('many'), definition: pass(n), publish: true }));
      expect(u.stateMachineVersionArn).toBe(`${SM('many')}:${n}`);
    }
    const over = await failure(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('many'), definition: pass(6), publish: true })));
    expect(over).toBeInstanceOf(S.ServiceQuotaExceededException);
    expect(over.$metadata.httpStatusCode).toBe(402);
    // The refused update changed nothing: the transaction that would have published it rolled back.
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('many') }))).definition).toBe(pass(5));
    await sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${SM('many')}:1` }));
    const u6 = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('many'), definition: pass(6), publish: true }));
    expect(u6.stateMachineVersionArn).toBe(`${SM('many')}:6`);
  });

  it('deletes a machine with its versions; running executions of a version finish; a new machine of that name starts afresh', async () => {
    await sfn.send(new S.CreateStateMachineCommand({ name: 'doomed', definition: napThenPass('old'), roleArn: ROLE, publish: true }));
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: `${SM('doomed')}:1`, name: 'running' }));
    await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: SM('doomed') }));
    const qualified = await failure(sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: `${SM('doomed')}:1` })));
    expect(qualified).toBeInstanceOf(S.ValidationException);

    await sfn.send(new S.CreateStateMachineCommand({ name: 'doomed', definition: pass('new'), roleArn: ROLE }));
    const versions = await sfn.send(new S.ListStateMachineVersionsCommand({ stateMachineArn: SM('doomed') }));
    expect(versions.stateMachineVersions).toEqual([]);
    expect(await failure(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: `${SM('doomed')}:1` })))).toBeInstanceOf(S.StateMachineDoesNotExist);
    // The re-created machine runs its own definition, not the deleted machine's first revision.
    expect(await run(SM('doomed'), 'fresh')).toMatchObject({ status: 'SUCCEEDED', output: '"new"' });
    const old = await finished(sfn, executionArn!);
    expect(old).toMatchObject({ status: 'SUCCEEDED', output: '"old"', stateMachineVersionArn: `${SM('doomed')}:1` });
  });
});
