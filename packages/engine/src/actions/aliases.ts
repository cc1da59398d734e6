/**
 * State machine aliases (AWS API reference and the behaviour recorded from AWS): an alias `<machine ARN>:<name>`
 * routes each StartExecution to one of one or two versions of that machine, chosen at random by weight.
 * - The routing configuration holds version ARNs only, distinct, of one state machine, with weights summing to 100
 *   (ValidationException, reason INVALID_ROUTING_CONFIGURATION, with AWS's texts); each version must exist.
 * - CreateStateMachineAlias is idempotent on (name, description, routing); the same name with anything else is a
 *   ConflictException. At most 100 aliases per state machine (ServiceQuotaExceededException).
 * - A missing alias is ResourceNotFound "Request references a resource that does not exist." for Describe and
 *   Update; DeleteStateMachineAlias of a missing alias succeeds. Deleting an alias keeps its versions.
 * Writes take the state machine row's lock, as DeleteStateMachineVersion does, so an alias never ends up routing
 * to a version deleted at the same moment.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import type { AliasRecord, AliasRoute, StoreSession } from '../ports.js';
import { now, resourceNotFound, stateMachineDoesNotExist, type ActionContext } from './context.js';
import { unqualified } from './versions.js';

interface Routing {
  stateMachineArn: string;
  routes: AliasRoute[];
}

function invalidRouting(message: string): ApiError {
  return new ApiError('ValidationException', message, { fields: { reason: 'INVALID_ROUTING_CONFIGURATION' } });
}

/** Checks a routing configuration as AWS does, in this order; returns the machine and its versions. */
export function checkedRouting(routing: readonly api.RoutingConfigurationListItem[]): Routing {
  const arns = routing.map((r) => r.stateMachineVersionArn);
  const targets = arns.map((arn) => {
    try {
      return api.parseStateMachineTarget(arn);
    } catch {
      return undefined;
    }
  });
  const versions = targets.flatMap((t) => (t?.kind === 'version' && t.version !== undefined ? [t] : []));
  if (versions.length !== arns.length) {
    throw invalidRouting(`Routing configuration must contain state machine version ARNs. Received: [${arns.join(', ')}]`);
  }
  if (new Set(arns).size !== arns.length) {
    throw invalidRouting(`Routing configuration must contain distinct state machine version ARNs. Received: [${arns.join(', ')}]`);
  }
  const weights = routing.map((r) => r.weight);
  if (weights.reduce((a, b) => a + b, 0) !== 100) {
    throw invalidRouting(`Sum of routing configuration weights must equal 100. Received: [${weights.join(', ')}]`);
  }
  const machines = new Set(versions.map((v) => v.stateMachineArn));
  if (machines.size !== 1) {
    throw invalidRouting(`Routing configuration must contain versions of one state machine. Received: [${arns.join(', ')}]`);
  }
  return { stateMachineArn: versions[0]!.stateMachineArn, routes: versions.map((v, i) => ({ version: v.version!, weight: weights[i]! })) };
}

/** Inside a transaction that holds the machine's lock: every routed version must exist. */
async function requireVersions(tx: StoreSession, routing: Routing): Promise<void> {
  for (const r of routing.routes) {
    if (!(await tx.versions.get(routing.stateMachineArn, r.version))) throw resourceNotFound();
  }
}

function sameRouting(a: readonly AliasRoute[], b: readonly AliasRoute[]): boolean {
  return a.length === b.length && a.every((r, i) => r.version === b[i]!.version && r.weight === b[i]!.weight);
}

function aliasTarget(arn: string): { stateMachineArn: string; alias: string } {
  const target = api.parseStateMachineTarget(arn);
  if (target.kind !== 'alias') throw new ApiError('ValidationException', `'${arn}' is not a state machine alias ARN (<state machine ARN>:<alias name>)`);
  return { stateMachineArn: target.stateMachineArn, alias: target.alias };
}

export function routingConfiguration(a: AliasRecord): api.RoutingConfigurationListItem[] {
  return a.routing.map((r) => ({ stateMachineVersionArn: api.stateMachineVersionArn(a.stateMachineArn, r.version), weight: r.weight }));
}

export async function createStateMachineAlias(ctx: ActionContext, input: api.CreateStateMachineAliasInput): Promise<api.CreateStateMachineAliasOutput> {
  const routing = checkedRouting(input.routingConfiguration);
  const arn = api.stateMachineAliasArn(routing.stateMachineArn, input.name);
  const description = input.description ?? null;
  const at = now(ctx);
  const createdAt = await ctx.rt.store.transaction(async (tx) => {
    if (!(await tx.stateMachines.getForUpdate(routing.stateMachineArn))) throw resourceNotFound();
    await requireVersions(tx, routing);
    const existing = await tx.aliases.get(routing.stateMachineArn, input.name);
    if (existing) {
      if (existing.description === description && sameRouting(existing.routing, routing.routes)) return existing.createdAt;
      throw new ApiError('ConflictException', 'Failed to create alias because an alias with the same name and a different routing configuration already exists.');
    }
    const limit = ctx.quotas.aliasesPerStateMachine;
    if ((await tx.aliases.count(routing.stateMachineArn)) >= limit) {
      throw new ApiError(
        'ServiceQuotaExceededException',
        `State machine '${routing.stateMachineArn}' already has ${limit} aliases, the most it can have: delete unused aliases with DeleteStateMachineAlias.`,
      );
    }
    await tx.aliases.insert({ stateMachineArn: routing.stateMachineArn, name: input.name, description, routing: routing.routes, createdAt: at, updatedAt: at });
    return at;
  });
  return { stateMachineAliasArn: arn, creationDate: createdAt };
}

export async function describeStateMachineAlias(ctx: ActionContext, input: api.DescribeStateMachineAliasInput): Promise<api.DescribeStateMachineAliasOutput> {
  const t = aliasTarget(input.stateMachineAliasArn);
  const a = await ctx.rt.store.aliases.get(t.stateMachineArn, t.alias);
  if (!a) throw resourceNotFound();
  return {
    stateMachineAliasArn: input.stateMachineAliasArn, name: a.name, ...(a.description !== null ? { description: a.description } : {}),
    routingConfiguration: routingConfiguration(a), creationDate: a.createdAt, updateDate: a.updatedAt,
  };
}

export async function updateStateMachineAlias(ctx: ActionContext, input: api.UpdateStateMachineAliasInput): Promise<api.UpdateStateMachineAliasOutput> {
  if (input.description === undefined && input.routingConfiguration === undefined) {
    throw new ApiError('ValidationException', 'Either the description or the routing configuration must be specified', {
      fields: { reason: 'MISSING_REQUIRED_PARAMETER' },
    });
  }
  const t = aliasTarget(input.stateMachineAliasArn);
  const routing = input.routingConfiguration !== undefined ? checkedRouting(input.routingConfiguration) : undefined;
  if (routing && routing.stateMachineArn !== t.stateMachineArn) {
    throw invalidRouting(`Routing configuration must contain versions of the alias's state machine '${t.stateMachineArn}'.`);
  }
  const at = now(ctx);
  return ctx.rt.store.transaction(async (tx) => {
    const a = (await tx.stateMachines.getForUpdate(t.stateMachineArn)) ? await tx.aliases.get(t.stateMachineArn, t.alias) : undefined;
    if (!a) throw resourceNotFound();
    if (routing) await requireVersions(tx, routing);
    const next = { description: input.description ?? a.description, routing: routing?.routes ?? a.routing };
    // UpdateStateMachineAlias is idempotent: the same values change nothing, not even the update date.
    if (next.description === a.description && sameRouting(next.routing, a.routing)) return { updateDate: a.updatedAt };
    await tx.aliases.update(t.stateMachineArn, t.alias, { ...next, updatedAt: at });
    return { updateDate: at };
  });
}

export async function deleteStateMachineAlias(ctx: ActionContext, input: api.DeleteStateMachineAliasInput): Promise<api.DeleteStateMachineAliasOutput> {
  const t = aliasTarget(input.stateMachineAliasArn);
  await ctx.rt.store.transaction(async (tx) => {
    if (await tx.stateMachines.getForUpdate(t.stateMachineArn)) await tx.aliases.delete(t.stateMachineArn, t.alias);
  });
  return {};
}

export async function listStateMachineAliases(ctx: ActionContext, input: api.ListStateMachineAliasesInput): Promise<api.ListStateMachineAliasesOutput> {
  const arn = unqualified(input.stateMachineArn, 'ListStateMachineAliases');
  if (!(await ctx.rt.store.stateMachines.get(arn))) throw stateMachineDoesNotExist(input.stateMachineArn);
  const { items, nextToken } = await ctx.pages.page(`a:${arn}`, input, (range) => ctx.rt.store.aliases.list(arn, range));
  return {
    stateMachineAliases: items.map((a) => ({ stateMachineAliasArn: api.stateMachineAliasArn(arn, a.name), creationDate: a.createdAt })),
    ...(nextToken !== undefined ? { nextToken } : {}),
  };
}

/** One of the alias's routes, chosen by weight with a draw from [0, 1). */
export function pickRoute(routes: readonly AliasRoute[], draw: number): AliasRoute {
  const point = draw * 100;
  let upTo = 0;
  for (const r of routes) {
    upTo += r.weight;
    if (point < upTo) return r;
  }
  // Only reachable through float rounding at the very top of the range: the last route with any weight.
  return [...routes].reverse().find((r) => r.weight > 0) ?? routes[routes.length - 1]!;
}
