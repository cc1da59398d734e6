/**
 * State machine versions (AWS API reference and the behaviour recorded from AWS):
 * - PublishStateMachineVersion snapshots the current revision as version `<machine ARN>:<n>`. It is idempotent:
 *   a revision already published returns that version (its description unchanged). `revisionId` that is not the
 *   current revision's is a ConflictException. Numbers are never reused: after deleting `:2`, the next is `:3`.
 *   At most 1000 live versions per state machine (ServiceQuotaExceededException).
 * - ListStateMachineVersions lists newest first, paginated.
 * - DeleteStateMachineVersion is idempotent (a missing version is fine) and refuses, with ConflictException, a
 *   version an alias routes to. Executions of a deleted version keep running: they hold their revision.
 * Publishing takes the state machine row's lock, so concurrent publishes and updates of one machine take turns.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import type { StateMachineRecord, StoreSession, VersionRecord } from '../ports.js';
import { now, stateMachineDoesNotExist, type ActionContext } from './context.js';

/** Publishes `sm`'s current revision inside the caller's transaction, which holds `sm`'s row lock. */
export async function publishInTx(
  ctx: ActionContext,
  tx: StoreSession,
  sm: StateMachineRecord,
  description: string | null,
  at: Date,
): Promise<VersionRecord> {
  const existing = await tx.versions.forRevision(sm.arn, sm.revision);
  if (existing) return existing;
  const limit = ctx.quotas.versionsPerStateMachine;
  if ((await tx.versions.count(sm.arn)) >= limit) {
    throw new ApiError(
      'ServiceQuotaExceededException',
      `State machine '${sm.arn}' already has ${limit} versions, the most it can have: delete unused versions with DeleteStateMachineVersion.`,
    );
  }
  const version: VersionRecord = { stateMachineArn: sm.arn, version: sm.nextVersion, revision: sm.revision, description, createdAt: at };
  await tx.versions.insert(version);
  await tx.stateMachines.update(sm.arn, { nextVersion: sm.nextVersion + 1 });
  return version;
}

export function versionArn(v: VersionRecord): string {
  return api.stateMachineVersionArn(v.stateMachineArn, v.version);
}

export async function publishStateMachineVersion(
  ctx: ActionContext,
  input: api.PublishStateMachineVersionInput,
): Promise<api.PublishStateMachineVersionOutput> {
  const target = api.parseStateMachineTarget(input.stateMachineArn);
  // AWS answers a qualified ARN where it wants the state machine's own as a state machine that does not exist.
  if (target.kind !== 'stateMachine') throw stateMachineDoesNotExist(input.stateMachineArn);
  const at = now(ctx);
  const version = await ctx.rt.store.transaction(async (tx) => {
    const sm = await tx.stateMachines.getForUpdate(target.stateMachineArn);
    if (!sm) throw stateMachineDoesNotExist(input.stateMachineArn);
    if (input.revisionId !== undefined && input.revisionId !== sm.revisionId) {
      throw new ApiError(
        'ConflictException',
        `Failed to publish the State Machine version for revision ${input.revisionId}. The current State Machine revision is ${String(sm.revisionId)}.`,
      );
    }
    return publishInTx(ctx, tx, sm, input.description ?? null, at);
  });
  return { creationDate: version.createdAt, stateMachineVersionArn: versionArn(version) };
}

export async function listStateMachineVersions(
  ctx: ActionContext,
  input: api.ListStateMachineVersionsInput,
): Promise<api.ListStateMachineVersionsOutput> {
  const arn = unqualified(input.stateMachineArn, 'ListStateMachineVersions');
  // AWS names no StateMachineDoesNotExist for this action: a machine that is not there has no versions.
  const { items, nextToken } = await ctx.pages.page(`v:${arn}`, input, (range) => ctx.rt.store.versions.list(arn, range));
  return {
    stateMachineVersions: items.map((v) => ({ stateMachineVersionArn: versionArn(v), creationDate: v.createdAt })),
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

export async function deleteStateMachineVersion(
  ctx: ActionContext,
  input: api.DeleteStateMachineVersionInput,
): Promise<api.DeleteStateMachineVersionOutput> {
  const target = api.parseStateMachineTarget(input.stateMachineVersionArn);
  if (target.kind !== 'version') {
    throw new ApiError('ValidationException', `'${input.stateMachineVersionArn}' is not a state machine version ARN (<state machine ARN>:<version number>)`);
  }
  const number = target.version;
  if (number === undefined) return {};
  await ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.stateMachines.getForUpdate(target.stateMachineArn))) return;
    const referencing = (await allAliases(tx, target.stateMachineArn))
      .filter((a) => a.routing.some((r) => r.version === number))
      .map((a) => a.name);
    if (referencing.length > 0) {
      throw new ApiError(
        'ConflictException',
        `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.join(', ')}]`,
      );
    }
    await tx.versions.delete(target.stateMachineArn, number);
  });
  return {};
}

/** Every alias of a state machine (at most the alias quota, so one page). */
export function allAliases(tx: StoreSession, stateMachineArn: string) {
  return tx.aliases.list(stateMachineArn, { offset: 0, limit: 100_000 });
}

/** The unqualified state machine ARN an action that lists a machine's versions or aliases needs. */
export function unqualified(arn: string, action: string): string {
  const target = api.parseStateMachineTarget(arn);
  if (target.kind !== 'stateMachine') {
    throw new ApiError('ValidationException', `${action} takes the ARN of a state machine, not of a version or an alias: '${arn}'`);
  }
  return target.stateMachineArn;
}
