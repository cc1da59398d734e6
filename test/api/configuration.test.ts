/**
 * "Nothing accepted and then ignored", through the real SDK against the real API and engine on both backends:
 * loggingConfiguration checked as AWS checks it and stored; tracingConfiguration stored; encryptionConfiguration
 * AWS_OWNED_KEY accepted and a customer-managed key refused; CreateStateMachine's idempotency over exactly the
 * members AWS compares; updates that change nothing make no revision; ListExecutions' redriveFilter answered
 * truthfully; StartExecution's traceHeader kept with the execution.
 */
import * as S from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from './support/engine-stack.js';
import { failure, finished, suiteStack } from './support/sdk.js';

const ROLE = 'arn:aws:iam::123456789012:role/baton';
const SM = (name: string) => `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`;
const LOG_GROUP = 'arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/baton:*';
const pass = (result: unknown) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
const logsTo = (...arns: string[]): S.LoggingConfiguration => ({ level: 'ALL', destinations: arns.map((logGroupArn) => ({ cloudWatchLogsLogGroup: { logGroupArn } })) });

describe.each(BACKENDS)('configuration members on %s', (backend) => {
  const suite = suiteStack(backend);
  let sfn: S.SFNClient;
  beforeAll(() => {
    sfn = suite.sfn;
  });

  const create = (name: string, extra: Partial<S.CreateStateMachineInput> = {}) =>
    sfn.send(new S.CreateStateMachineCommand({ name, definition: pass(name), roleArn: ROLE, ...extra }));

  it('checks loggingConfiguration as AWS does and stores it', async () => {
    const exactlyOne = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
    for (const loggingConfiguration of [{ level: 'ALL' as const }, logsTo(LOG_GROUP, LOG_GROUP), { level: 'OFF' as const, ...logsTo(LOG_GROUP, LOG_GROUP) }]) {
      const e = await failure(create('logs', { loggingConfiguration }));
      expect(e).toBeInstanceOf(S.InvalidLoggingConfiguration);
      expect(e.message).toBe(exactlyOne);
    }
    const unqualified = await failure(create('logs', { loggingConfiguration: logsTo(LOG_GROUP.slice(0, -2)) }));
    expect(unqualified.message).toBe("Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.");
    const notALogGroup = await failure(create('logs', { loggingConfiguration: logsTo('arn:aws:s3:::bucket') }));
    expect(notALogGroup).toBeInstanceOf(S.InvalidLoggingConfiguration);
    expect(notALogGroup.message).toContain("'arn:aws:s3:::bucket' is not a CloudWatch Logs log group ARN");
    expect(await failure(sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('logs') })))).toBeInstanceOf(S.StateMachineDoesNotExist);

    await create('logs', { loggingConfiguration: logsTo(LOG_GROUP), tracingConfiguration: { enabled: true } });
    const d = await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('logs') }));
    expect(d.loggingConfiguration).toEqual({ level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: LOG_GROUP } }] });
    expect(d.tracingConfiguration).toEqual({ enabled: true });
    const off = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('logs'), loggingConfiguration: { level: 'OFF' } }));
    expect(off.revisionId).toBeDefined();
    const e = await failure(sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('logs'), loggingConfiguration: { level: 'FATAL' } })));
    expect(e.message).toBe(exactlyOne);

    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('logs') }));
    const forExecution = await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(forExecution).toMatchObject({ loggingConfiguration: { level: 'OFF', includeExecutionData: false }, tracingConfiguration: { enabled: true } });
    // METADATA_ONLY: AWS answers with `{}` for the definition.
    expect((await sfn.send(new S.DescribeStateMachineForExecutionCommand({ executionArn, includedData: 'METADATA_ONLY' }))).definition).toBe('{}');
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('logs'), includedData: 'METADATA_ONLY' }))).definition).toBe('{}');
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('logs'), includedData: 'ALL_DATA' }))).definition).toBe(pass('logs'));
  });

  it('accepts AWS_OWNED_KEY encryption and refuses customer-managed keys, on machines and activities', async () => {
    await create('owned', { encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('owned') }))).encryptionConfiguration)
      .toEqual({ type: 'AWS_OWNED_KEY' });
    const cmk = { type: 'CUSTOMER_MANAGED_KMS_KEY' as const, kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234', kmsDataKeyReusePeriodSeconds: 300 };
    for (const attempt of [
      () => create('cmk', { encryptionConfiguration: cmk }),
      () => sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('owned'), encryptionConfiguration: cmk })),
      () => sfn.send(new S.CreateActivityCommand({ name: 'cmk', encryptionConfiguration: cmk })),
    ]) {
      const e = await failure(attempt());
      expect(e).toBeInstanceOf(S.ValidationException);
      expect(e.message).toContain('CUSTOMER_MANAGED_KMS_KEY is not supported');
    }
    const keyWithOwned = await failure(create('mixed', { encryptionConfiguration: { type: 'AWS_OWNED_KEY', kmsKeyId: 'alias/mine' } }));
    expect(keyWithOwned).toBeInstanceOf(S.ValidationException);
    const range = await failure(create('range', { encryptionConfiguration: { ...cmk, kmsDataKeyReusePeriodSeconds: 10 } }));
    expect(range.message).toBe(
      "1 validation error detected: Value '10' at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    );
    const act = await sfn.send(new S.CreateActivityCommand({ name: 'owned', encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    expect((await sfn.send(new S.DescribeActivityCommand({ activityArn: act.activityArn }))).encryptionConfiguration).toEqual({ type: 'AWS_OWNED_KEY' });
    // An update of the encryption configuration alone is an update (no MissingRequiredParameter).
    const u = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('logs'), encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
    expect(u.revisionId).toBeDefined();
  });

  it('is idempotent on the members AWS compares, ignores a different roleArn, and makes no revision for no change', async () => {
    const first = await create('same', { publish: true, versionDescription: 'v1' });
    const again = await create('same', { publish: true, versionDescription: 'v1', roleArn: 'arn:aws:iam::123456789012:role/other' });
    expect(again).toMatchObject({ stateMachineArn: first.stateMachineArn, stateMachineVersionArn: `${SM('same')}:1` });
    expect(again.creationDate).toEqual(first.creationDate);
    expect((await sfn.send(new S.DescribeStateMachineCommand({ stateMachineArn: SM('same') }))).roleArn).toBe(ROLE);
    for (const different of [
      { publish: false }, { publish: true, versionDescription: 'other' }, { publish: true, versionDescription: 'v1', tracingConfiguration: { enabled: true } },
      { publish: true, versionDescription: 'v1', loggingConfiguration: logsTo(LOG_GROUP) },
    ]) {
      expect(await failure(create('same', different))).toBeInstanceOf(S.StateMachineAlreadyExists);
    }
    const unchanged = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('same'), definition: pass('same'), roleArn: ROLE }));
    expect(unchanged.revisionId).toBeUndefined();
    const changed = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('same'), roleArn: 'arn:aws:iam::123456789012:role/new' }));
    expect(changed.revisionId).toBeDefined();
    const unchangedAgain = await sfn.send(new S.UpdateStateMachineCommand({ stateMachineArn: SM('same'), roleArn: 'arn:aws:iam::123456789012:role/new' }));
    expect(unchangedAgain.revisionId).toBe(changed.revisionId);
  });

  it('answers redriveFilter truthfully and keeps the trace header', async () => {
    const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const { executionArn } = await sfn.send(new S.StartExecutionCommand({ stateMachineArn: SM('same'), name: 'traced', traceHeader }));
    const done = await finished(sfn, executionArn!);
    expect(done).toMatchObject({ traceHeader, redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE' });
    const redriven = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('same'), redriveFilter: 'REDRIVEN' }));
    expect(redriven.executions).toEqual([]);
    const notRedriven = await sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('same'), redriveFilter: 'NOT_REDRIVEN' }));
    expect(notRedriven.executions!.map((e) => [e.name, e.redriveCount])).toEqual([['traced', 0]]);
    const wrong = await failure(sfn.send(new S.ListExecutionsCommand({ stateMachineArn: SM('same'), redriveFilter: 'SOMETIMES' as never })));
    expect(wrong.message).toBe(
      "1 validation error detected: Value 'SOMETIMES' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: [REDRIVEN, NOT_REDRIVEN]",
    );
  });
});
