/** What the API actions kept outside `Engine` share: runtime, page tokens, ARN scope, random source, quotas. */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import type { RandomSource } from '@baton/asl';
import type { PageTokens } from '../pagination.js';
import type { Runtime } from '../runtime.js';

/** AWS's quotas on versions and aliases per state machine (ServiceQuotaExceededException beyond them). */
export interface VersionQuotas {
  versionsPerStateMachine: number;
  aliasesPerStateMachine: number;
}

export const AWS_VERSION_QUOTAS: VersionQuotas = { versionsPerStateMachine: 1000, aliasesPerStateMachine: 100 };

export interface ActionContext {
  rt: Runtime;
  pages: PageTokens;
  scope: api.ArnScope;
  /** Picks an alias's version per StartExecution (seedable in tests through EngineOptions.random). */
  random: RandomSource;
  quotas: VersionQuotas;
}

export function stateMachineDoesNotExist(arn: string): ApiError {
  return new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

/** AWS's text when an alias (or a version an alias would route to) is not there. */
export function resourceNotFound(): ApiError {
  return new ApiError('ResourceNotFound', 'Request references a resource that does not exist.');
}

export function now(ctx: ActionContext): Date {
  return new Date(ctx.rt.clock.now());
}
