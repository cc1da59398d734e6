/**
 * CreateStateMachine, UpdateStateMachine, DescribeStateMachine and DeleteStateMachine with versions (AWS API
 * reference and the behaviour recorded from AWS):
 * - `publish: true` publishes the resulting revision as a version (`stateMachineVersionArn` in the answer);
 *   `versionDescription` without `publish` is a ValidationException.
 * - A state machine's first revision has no revision id; every update that changes something makes a new revision
 *   with one. An update that changes nothing makes none (and `publish` then returns the existing version).
 * - CreateStateMachine is idempotent on name, definition, type, logging, tracing and encryption configuration,
 *   `publish` and `versionDescription`; a different roleArn or tags are ignored, as AWS ignores them.
 * - DescribeStateMachine on a version ARN describes that version; DeleteStateMachine deletes the machine with its
 *   versions and aliases at once (running executions keep their revision and finish).
 * - Revision numbers continue across a delete and a re-create of the same name, so the revisions a deleted
 *   machine's executions still run are never confused with the new machine's.
 */
import { randomUUID } from 'node:crypto';
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import { invalidDefinitionMessage, validateDefinition, type Json } from '@baton/asl';
import type { StateMachineRecord, TagRecord } from '../ports.js';
import {
  checkedEncryption, checkedLogging, sameJson, shownEncryption, shownLogging, shownTracing, wantsLogs,
} from './configuration.js';
import { now, stateMachineDoesNotExist, type ActionContext } from './context.js';
import { publishInTx, versionArn } from './versions.js';

function assertValidDefinition(definition: string, type: 'STANDARD' | 'EXPRESS'): void {
  const diagnostics = validateDefinition(definition, { stateMachineType: type });
  if (diagnostics.some((d) => d.severity === 'ERROR')) throw new ApiError('InvalidDefinition', invalidDefinitionMessage(diagnostics));
}

function checkVersionDescription(input: { publish?: boolean; versionDescription?: string }): void {
  if (input.versionDescription !== undefined && input.publish !== true) {
    throw new ApiError('ValidationException', 'Version description can only be set when publish is true');
  }
}

function warnAboutLogs(ctx: ActionContext, arn: string, logging: StateMachineRecord['loggingConfiguration']): void {
  if (wantsLogs(logging) && !ctx.rt.executionLogs) {
    ctx.rt.log.info('execution logs are written to the outbox and delivered to CloudWatch Logs by the worker role', { stateMachineArn: arn });
  }
}

export async function createStateMachine(ctx: ActionContext, input: api.CreateStateMachineInput): Promise<api.CreateStateMachineOutput> {
  api.assertValidName(input.name);
  checkVersionDescription(input);
  const type = input.type ?? 'STANDARD';
  assertValidDefinition(input.definition, type);
  const logging = checkedLogging(input.loggingConfiguration);
  const encryption = checkedEncryption(input.encryptionConfiguration);
  const tracing = (input.tracingConfiguration ?? null) as Json | null;
  const arn = api.stateMachineArn(ctx.scope, input.name);
  const at = now(ctx);
  const publish = input.publish === true;
  const created = await ctx.rt.store.transaction(async (tx) => {
    const record: StateMachineRecord = {
      arn, name: input.name, type, status: 'ACTIVE', definition: input.definition, roleArn: input.roleArn,
      revision: (await tx.stateMachines.lastRevision(arn)) + 1, revisionId: null, loggingConfiguration: logging,
      tracingConfiguration: tracing, encryptionConfiguration: encryption, createdAt: at, updatedAt: at, nextVersion: 1,
      createdWithPublish: publish, createdVersionDescription: input.versionDescription ?? null,
    };
    if (!(await tx.stateMachines.insert(record))) return undefined;
    await tx.stateMachines.insertRevision({ ...record, stateMachineArn: arn });
    await tx.tags.put(arn, dedupeTags(input.tags));
    return { version: publish ? await publishInTx(ctx, tx, record, record.createdVersionDescription, at) : undefined };
  });
  if (created) {
    warnAboutLogs(ctx, arn, logging);
    return { stateMachineArn: arn, creationDate: at, ...(created.version ? { stateMachineVersionArn: versionArn(created.version) } : {}) };
  }
  const existing = await ctx.rt.store.stateMachines.get(arn);
  const same = existing && existing.definition === input.definition && existing.type === type
    && sameJson(existing.loggingConfiguration, logging) && sameJson(existing.tracingConfiguration, tracing)
    && sameJson(existing.encryptionConfiguration, encryption) && existing.createdWithPublish === publish
    && existing.createdVersionDescription === (input.versionDescription ?? null);
  if (!existing || !same) throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  const version = publish ? await ctx.rt.store.versions.forRevision(arn, existing.revision) : undefined;
  return { stateMachineArn: arn, creationDate: existing.createdAt, ...(version ? { stateMachineVersionArn: versionArn(version) } : {}) };
}

export async function updateStateMachine(ctx: ActionContext, input: api.UpdateStateMachineInput): Promise<api.UpdateStateMachineOutput> {
  const { definition, roleArn, loggingConfiguration, tracingConfiguration, encryptionConfiguration } = input;
  if (definition === undefined && roleArn === undefined && loggingConfiguration === undefined && tracingConfiguration === undefined
    && encryptionConfiguration === undefined) {
    throw new ApiError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  }
  checkVersionDescription(input);
  const target = api.parseStateMachineTarget(input.stateMachineArn);
  // AWS: updating through a version (or alias) ARN finds no such state machine (recorded).
  if (target.kind !== 'stateMachine') throw stateMachineDoesNotExist(input.stateMachineArn);
  const current = await ctx.rt.store.stateMachines.get(target.stateMachineArn);
  if (!current) throw stateMachineDoesNotExist(input.stateMachineArn);
  if (definition !== undefined) assertValidDefinition(definition, current.type);
  const logging = loggingConfiguration !== undefined ? checkedLogging(loggingConfiguration) : undefined;
  const encryption = encryptionConfiguration !== undefined ? checkedEncryption(encryptionConfiguration) : undefined;
  const at = now(ctx);
  const out = await ctx.rt.store.transaction(async (tx) => {
    const sm = await tx.stateMachines.getForUpdate(current.arn);
    if (!sm) throw stateMachineDoesNotExist(input.stateMachineArn);
    const next = {
      definition: definition ?? sm.definition, roleArn: roleArn ?? sm.roleArn, loggingConfiguration: logging ?? sm.loggingConfiguration,
      tracingConfiguration: (tracingConfiguration ?? sm.tracingConfiguration) as Json | null,
      encryptionConfiguration: encryption ?? sm.encryptionConfiguration,
    };
    const changed = next.definition !== sm.definition || next.roleArn !== sm.roleArn
      || !sameJson(next.loggingConfiguration, sm.loggingConfiguration) || !sameJson(next.tracingConfiguration, sm.tracingConfiguration)
      || !sameJson(next.encryptionConfiguration, sm.encryptionConfiguration);
    let after = sm;
    if (changed) {
      after = { ...sm, ...next, revision: sm.revision + 1, revisionId: randomUUID(), updatedAt: at };
      await tx.stateMachines.update(sm.arn, { ...next, revision: after.revision, revisionId: after.revisionId, updatedAt: at });
      await tx.stateMachines.insertRevision({ ...next, stateMachineArn: sm.arn, revision: after.revision, revisionId: after.revisionId, createdAt: at });
    }
    const version = input.publish === true ? await publishInTx(ctx, tx, after, input.versionDescription ?? null, at) : undefined;
    return { after, version, changed };
  });
  if (out.changed) warnAboutLogs(ctx, out.after.arn, out.after.loggingConfiguration);
  return {
    updateDate: at,
    ...(out.after.revisionId !== null ? { revisionId: out.after.revisionId } : {}),
    ...(out.version ? { stateMachineVersionArn: versionArn(out.version) } : {}),
  };
}

export async function describeStateMachine(ctx: ActionContext, input: api.DescribeStateMachineInput): Promise<api.DescribeStateMachineOutput> {
  const target = api.parseStateMachineTarget(input.stateMachineArn);
  const sm = await ctx.rt.store.stateMachines.get(target.stateMachineArn);
  if (!sm) throw stateMachineDoesNotExist(input.stateMachineArn);
  const common = { name: sm.name, status: sm.status as api.StateMachineStatus, type: sm.type };
  const shown = (definition: string) => shownDefinition(definition, input.includedData);
  switch (target.kind) {
    case 'stateMachine':
      return {
        stateMachineArn: sm.arn, ...common, definition: shown(sm.definition), roleArn: sm.roleArn, creationDate: sm.createdAt,
        loggingConfiguration: shownLogging(sm.loggingConfiguration), tracingConfiguration: shownTracing(sm.tracingConfiguration),
        ...(sm.revisionId !== null ? { revisionId: sm.revisionId } : {}), ...shownEncryption(sm.encryptionConfiguration),
      };
    case 'version': {
      const v = target.version === undefined ? undefined : await ctx.rt.store.versions.get(sm.arn, target.version);
      const r = v && (await ctx.rt.store.stateMachines.getRevision(sm.arn, v.revision));
      if (!v || !r) throw stateMachineDoesNotExist(input.stateMachineArn);
      return {
        stateMachineArn: versionArn(v), ...common, definition: shown(r.definition), roleArn: r.roleArn, creationDate: v.createdAt,
        loggingConfiguration: shownLogging(r.loggingConfiguration), tracingConfiguration: shownTracing(r.tracingConfiguration),
        ...(r.revisionId !== null ? { revisionId: r.revisionId } : {}), ...(v.description !== null ? { description: v.description } : {}),
        ...shownEncryption(r.encryptionConfiguration),
      };
    }
    case 'alias':
      // DescribeStateMachine describes machines and versions; an alias is described by DescribeStateMachineAlias.
      throw stateMachineDoesNotExist(input.stateMachineArn);
    default: {
      const never: never = target;
      throw new Error(`unhandled target ${JSON.stringify(never)}`);
    }
  }
}

export async function deleteStateMachine(ctx: ActionContext, input: api.DeleteStateMachineInput): Promise<api.DeleteStateMachineOutput> {
  const target = api.parseStateMachineTarget(input.stateMachineArn);
  if (target.kind !== 'stateMachine') {
    throw new ApiError(
      'ValidationException',
      `DeleteStateMachine takes the ARN of a state machine, not of a version or an alias ('${input.stateMachineArn}'): ` +
        'delete versions with DeleteStateMachineVersion and aliases with DeleteStateMachineAlias',
    );
  }
  const arn = target.stateMachineArn;
  // Running executions keep their revision and finish; the machine, its versions and aliases go at once.
  await ctx.rt.store.transaction(async (tx) => {
    await tx.aliases.deleteAll(arn);
    await tx.versions.deleteAll(arn);
    await tx.stateMachines.delete(arn);
    await tx.tags.remove(arn, (await tx.tags.list(arn)).map((t) => t.key));
  });
  return {};
}

/** AWS: "If called with includedData = METADATA_ONLY, the returned definition will be {}". */
export function shownDefinition(definition: string, includedData: api.IncludedData | undefined): string {
  return includedData === 'METADATA_ONLY' ? '{}' : definition;
}

export function dedupeTags(tags: readonly api.Tag[] | undefined): TagRecord[] {
  const m = new Map<string, string>();
  for (const t of tags ?? []) if (t.key !== undefined) m.set(t.key, t.value ?? '');
  return [...m].map(([key, value]) => ({ key, value }));
}
