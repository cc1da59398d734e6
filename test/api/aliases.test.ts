/**
 * State machine aliases through the real `@aws-sdk/client-sfn` against the real API and engine, on Postgres +
 * BullMQ and on the embedded default: create (idempotent, conflicts), describe, update, list, delete; the routing
 * checks with AWS's recorded texts; StartExecution through an alias with the weighted choice made from a scripted
 * random source; what executions record and ListExecutions by alias; the versions an alias protects; the quota.
 */
import * as S from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/engine-stack.js';
import { failure, finished, suiteStack } from './support/sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';
const SM = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const V = (n: number) => `${SM('routed')}:${n}`;
const ALIAS = `${SM('routed')}:live`;
const pass = (result: unknown) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const route = (stateMachineVersionArn: string, weight: number) => ({ stateMachineVersionArn, weight });

describe.each(BACKENDS)('aliases on %s', (backend) => {
  /** The draws the engine's random source hands out next (0.5 once they run out). */
  const draws: number[] = [];
  const suite = suiteStack(backend, { random: { next: () => draws.shift() ?? 0.5 }, quotas: { aliasesPerStateMachine: 3 } });
  let sfn: S.SFNClient;

  beforeAll(async () => {
    sfn = suite.sfn;
    await sfn.send(new S.CreateStateMachineCommand({ name: 'routed', definition: pass('v1'), roleArn: ROLE, publish: true }));
    await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('routed'), definition: pass('v2'), publish: true }));
    await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('routed'), definition: pass('v3'), publish: true }));
    await sfn.send(new S.CreateStateMachineCommand({ name: 'other', definition: pass('o'), roleArn: ROLE, publish: true }));
  });

  const createAlias = (name: string, routingConfiguration: S.RoutingConfigurationListItem[], description?: string) =>
    sfn.send(new S.CreateStateMachineAliasCommand({ name, routingConfiguration, ...(description !== undefined ? { description } : {}) }));

  it('creates an alias idempotently, describes it, and refuses the same name with anything else', async () => {
    const created = await createAlias('live', [route(V(1), 100)], 'production');
    expect(created.stateMachineAliasArn).toBe(ALIAS);
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await createAlias('live', [route(V(1), 100)], 'production');
    expect(again.creationDate).toEqual(created.creationDate);

    const described = await sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: ALIAS }));
    expect(described).toMatchObject({
      stateMachineAliasArn: ALIAS, name: 'live', description: 'production', routingConfiguration: [route(V(1), 100)],
    });
    expect(described.updateDate).toBeInstanceOf(Date);

    const conflictText = 'Failed to create alias because an alias with the same name and a different routing configuration already exists.';
    const attempts = [
      () => createAlias('live', [route(V(1), 100)], 'another'),
      () => createAlias('live', [route(V(1), 50), route(V(2), 50)], 'production'),
    ];
    for (const attempt of attempts) {
      const e = await failure(attempt());
      expect(e).toBeInstanceOf(S.ConflictException);
      expect(e.message).toBe(conflictText);
    }
  });

  it('refuses routing configurations as AWS does, with its texts', async () => {
    const expectInvalid = async (routing: S.RoutingConfigurationListItem[], message: string, reason?: string) => {
      const e = await failure(createAlias('bad', routing));
      expect(e).toBeInstanceOf(S.ValidationException);
      expect(e.message).toBe(message);
      expect((e as S.ValidationException).reason).toBe(reason);
    };
    const invalid = 'INVALID_ROUTING_CONFIGURATION';
    await expectInvalid([route(SM('routed'), 100)], `Routing configuration must contain state machine version ARNs. Received: [${SM('routed')}]`, invalid);
    await expectInvalid([route(SM('routed'), 70), route(V(2), 30)],
      `Routing configuration must contain state machine version ARNs. Received: [${SM('routed')}, ${V(2)}]`, invalid);
    await expectInvalid([route(V(1), 50), route(V(1), 50)],
      `Routing configuration must contain distinct state machine version ARNs. Received: [${V(1)}, ${V(1)}]`, invalid);
    await expectInvalid([route(V(1), 70), route(V(2), 29)], 'Sum of routing configuration weights must equal 100. Received: [70, 29]', invalid);
    await expectInvalid([route(V(1), 70), route(V(2), 31)], 'Sum of routing configuration weights must equal 100. Received: [70, 31]', invalid);
    await expectInvalid([route(V(1), 50), route(`${SM('other')}:1`, 50)],
      `Routing configuration must contain versions of one state machine. Received: [${V(1)}, ${SM('other')}:1]`, invalid);
    await expectInvalid([route(V(1), 50), route(V(2), 30), route(V(3), 20)],
      `1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=${V(1)}, weight=50), ` +
        `RoutingConfigurationListItem(stateMachineVersionArn=${V(2)}, weight=30), RoutingConfigurationListItem(stateMachineVersionArn=${V(3)}, weight=20)]' ` +
        "at 'routingConfiguration' failed to satisfy constraint: Member must have length less than or equal to 2");
    await expectInvalid([route(V(1), 101)],
      "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' failed to satisfy constraint: Member must have value less than or equal to 100");
    const missing = await failure(createAlias('bad', [route(V(9), 100)]));
    expect(missing).toBeInstanceOf(S.ResourceNotFound);
    expect(missing.message).toBe('Request references a resource that does not exist.');
    const badName = await failure(createAlias('123', [route(V(1), 100)]));
    expect(badName.message).toBe(
      "1 validation error detected: Value '123' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$",
    );
  });

  it('routes each StartExecution by weight, records the alias and the version, and lists executions by alias', async () => {
    await sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: ALIAS, routingConfiguration: [route(V(1), 70), route(V(3), 30)] }));
    // A draw d in [0, 1) lands at d * 100: below 70 is version 1, from 70 on version 3.
    draws.push(0, 0.6999, 0.7, 0.9999);
    const outputs = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: ALIAS, name, input: '{}' }));
      const done = await finished(sfn, executionArn!);
      expect(done).toMatchObject({ stateMachineArn: SM('routed'), stateMachineAliasArn: ALIAS });
      outputs.push([done.output, done.stateMachineVersionArn]);
    }
    expect(outputs).toEqual([['"v1"', V(1)], ['"v1"', V(1)], ['"v3"', V(3)], ['"v3"', V(3)]]);

    await sfn.send(new S.StartExecutionCommand({ stateMachineArn: V(2), name: 'direct', input: '{}' }));
    const byAlias = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: ALIAS }));
    expect(byAlias.executions!.map((e) => e.name).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(byAlias.executions!.every((e) => e.stateMachineAliasArn === ALIAS && e.redriveCount === 0)).toBe(true);
    const byVersion = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: V(3) }));
    expect(byVersion.executions!.map((e) => e.name).sort()).toEqual(['c', 'd']);
    const direct = (await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: V(2) }))).executions!;
    expect(direct.map((e) => [e.name, e.stateMachineVersionArn, e.stateMachineAliasArn])).toEqual([['direct', V(2), undefined]]);
  });

  it('keeps the versions an alias routes to; updates change the update date only when something changes', async () => {
    const e = await failure(sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: V(1) })));
    expect(e).toBeInstanceOf(S.ConflictException);
    expect(e.message).toBe('Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]');

    const before = await sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: ALIAS }));
    const same = await sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: ALIAS, description: 'production' }));
    expect(same.updateDate).toEqual(before.updateDate);
    const moved = await sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: ALIAS, routingConfiguration: [route(V(3), 100)] }));
    expect(moved.updateDate!.getTime()).toBeGreaterThanOrEqual(before.updateDate!.getTime());
    expect((await sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: ALIAS }))).routingConfiguration).toEqual([route(V(3), 100)]);
    await sfn.send(new S.DeleteStateMachineVersionCommand({ stateMachineVersionArn: V(1) }));

    const nothing = await failure(sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: ALIAS })));
    expect(nothing).toBeInstanceOf(S.ValidationException);
    expect((nothing as S.ValidationException).reason).toBe('MISSING_REQUIRED_PARAMETER');
    const foreign = await failure(sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: ALIAS, routingConfiguration: [route(`${SM('other')}:1`, 100)] })));
    expect(foreign).toBeInstanceOf(S.ValidationException);
    const tag = await failure(sfn.send(new S.TagResourceCommand({ resourceArn: ALIAS, tags: [{ key: 'k', value: 'v' }] })));
    expect(tag).toBeInstanceOf(S.ResourceNotFound);
  });

  it('lists aliases oldest first a page at a time, up to the quota; deletes them idempotently', async () => {
    await createAlias('beta', [route(V(2), 100)]);
    await createAlias('gamma', [route(V(2), 100)]);
    const over = await failure(createAlias('delta', [route(V(2), 100)]));
    expect(over).toBeInstanceOf(S.ServiceQuotaExceededException);
    expect(over.$metadata.httpStatusCode).toBe(402);

    const page1 = await sfn.send(new S.ListStateMachineAliasesCommand({ stateMachineArn: SM('routed'), maxResults: 2 }));
    const page2 = await sfn.send(new S.ListStateMachineAliasesCommand({ stateMachineArn: SM('routed'), maxResults: 2, nextToken: page1.nextToken }));
    expect([...page1.stateMachineAliases!, ...page2.stateMachineAliases!].map((a) => a.stateMachineAliasArn))
      .toEqual(['live', 'beta', 'gamma'].map((n) => `${SM('routed')}:${n}`));
    const badToken = await failure(sfn.send(new S.ListStateMachineAliasesCommand({ stateMachineArn: SM('routed'), nextToken: 'InvalidToken' })));
    expect(badToken).toBeInstanceOf(S.InvalidToken);
    expect(badToken.message).toBe("Invalid Token: 'Invalid token'");

    const gamma = `${SM('routed')}:gamma`;
    await sfn.send(new S.DeleteStateMachineAliasCommand({ stateMachineAliasArn: gamma }));
    await sfn.send(new S.DeleteStateMachineAliasCommand({ stateMachineAliasArn: gamma }));
    const missing = await failure(sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: gamma })));
    expect(missing).toBeInstanceOf(S.ResourceNotFound);
    const update = await failure(sfn.send(new S.UpdateStateMachineAliasCommand({ stateMachineAliasArn: gamma, description: 'x' })));
    expect(update).toBeInstanceOf(S.ResourceNotFound);
    expect(update.message).toBe('Request references a resource that does not exist.');
    expect(await failure(sfn.send(new S.StartExecutionCommand({ stateMachineArn: gamma })))).toBeInstanceOf(S.StateMachineDoesNotExist);
    // Deleting an alias keeps its versions.
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: V(2) }))).definition).toBe(pass('v2'));
  });

  it('goes with its state machine', async () => {
    await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: SM('routed') }));
    expect(await failure(sfn.send(new S.DescribeStateMachineAliasCommand({ stateMachineAliasArn: ALIAS })))).toBeInstanceOf(S.ResourceNotFound);
    expect(await failure(sfn.send(new S.ListStateMachineAliasesCommand({ stateMachineArn: SM('routed') })))).toBeInstanceOf(S.StateMachineDoesNotExist);
  });
});
