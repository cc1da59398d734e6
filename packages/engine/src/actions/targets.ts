/**
 * What StartExecution / StartSyncExecution / ListExecutions are pointed at: a state machine ARN runs the current
 * revision; a version ARN (`:<n>`) runs that version's revision; an alias ARN (`:<name>`) picks one of its versions
 * by weight, once per StartExecution, and the execution records both (DescribeExecution's stateMachineVersionArn
 * and stateMachineAliasArn). Anything that is not there is StateMachineDoesNotExist with the ARN as given.
 */
import * as api from '@baton/api-contract';
import type { StateMachineRecord } from '../ports.js';
import { pickRoute } from './aliases.js';
import { stateMachineDoesNotExist, type ActionContext } from './context.js';

export interface ExecutionTarget {
  sm: StateMachineRecord;
  revision: number;
  /** The definition and role of that revision (a version keeps the ones it was published with). */
  definition: string;
  roleArn: string;
  version: number | null;
  alias: string | null;
}

export async function resolveTarget(ctx: ActionContext, arn: string): Promise<ExecutionTarget> {
  const target = api.parseStateMachineTarget(arn);
  const store = ctx.rt.store;
  const sm = await store.stateMachines.get(target.stateMachineArn);
  if (!sm) throw stateMachineDoesNotExist(arn);
  let version: number | undefined;
  let alias: string | null = null;
  switch (target.kind) {
    case 'stateMachine':
      return machineTarget(sm, arn);
    case 'version':
      version = target.version;
      break;
    case 'alias': {
      const a = await store.aliases.get(sm.arn, target.alias);
      if (!a) throw stateMachineDoesNotExist(arn);
      alias = a.name;
      version = pickRoute(a.routing, ctx.random.next()).version;
      break;
    }
    default: {
      const never: never = target;
      throw new Error(`unhandled target ${JSON.stringify(never)}`);
    }
  }
  const v = version === undefined ? undefined : await store.versions.get(sm.arn, version);
  const r = v && (await store.stateMachines.getRevision(sm.arn, v.revision));
  if (!v || !r) throw stateMachineDoesNotExist(version === undefined ? arn : api.stateMachineVersionArn(sm.arn, version));
  return { sm, revision: r.revision, definition: r.definition, roleArn: r.roleArn, version: v.version, alias };
}

/** A plain state machine ARN's target: the machine's current revision (`given`, the ARN as given, names a missing one). */
export function machineTarget(sm: StateMachineRecord | undefined, given: string): ExecutionTarget {
  if (!sm) throw stateMachineDoesNotExist(given);
  return { sm, revision: sm.revision, definition: sm.definition, roleArn: sm.roleArn, version: null, alias: null };
}

/** ListExecutions' scope: the machine, narrowed to one version or one alias when the ARN names one. */
export async function listingScope(ctx: ActionContext, arn: string): Promise<{ stateMachineArn: string; version?: number; alias?: string }> {
  const target = api.parseStateMachineTarget(arn);
  const store = ctx.rt.store;
  if (!(await store.stateMachines.get(target.stateMachineArn))) throw stateMachineDoesNotExist(arn);
  switch (target.kind) {
    case 'stateMachine':
      return { stateMachineArn: target.stateMachineArn };
    case 'version':
      if (target.version === undefined || !(await store.versions.get(target.stateMachineArn, target.version))) throw stateMachineDoesNotExist(arn);
      return { stateMachineArn: target.stateMachineArn, version: target.version };
    case 'alias':
      if (!(await store.aliases.get(target.stateMachineArn, target.alias))) throw stateMachineDoesNotExist(arn);
      return { stateMachineArn: target.stateMachineArn, alias: target.alias };
    default: {
      const never: never = target;
      throw new Error(`unhandled target ${JSON.stringify(never)}`);
    }
  }
}

/** The version and alias ARNs an execution shows (DescribeExecution, ListExecutions). */
export function executionOrigin(e: { stateMachineArn: string; stateMachineVersion: number | null; stateMachineAlias: string | null }): {
  stateMachineVersionArn?: string;
  stateMachineAliasArn?: string;
} {
  return {
    ...(e.stateMachineVersion !== null ? { stateMachineVersionArn: api.stateMachineVersionArn(e.stateMachineArn, e.stateMachineVersion) } : {}),
    ...(e.stateMachineAlias !== null ? { stateMachineAliasArn: api.stateMachineAliasArn(e.stateMachineArn, e.stateMachineAlias) } : {}),
  };
}
