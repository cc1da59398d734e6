/**
 * What a state machine revision asks of observability: its `loggingConfiguration` (execution logs) and
 * `tracingConfiguration.enabled` (per-state spans). A revision never changes, so entries never go stale; one read
 * per revision per process.
 */
import type { Json } from '@baton/asl';
import type { EngineStore } from '../ports.js';
import { RevisionCache } from '../revision-cache.js';

export type LogLevel = 'ALL' | 'ERROR' | 'FATAL' | 'OFF';

export interface ExecutionLogging {
  level: Exclude<LogLevel, 'OFF'>;
  includeExecutionData: boolean;
  /** `destinations[0].cloudWatchLogsLogGroup.logGroupArn`, with its `:*` qualifier. */
  logGroupArn: string;
}

export interface RevisionSettings {
  /** Undefined when the level is OFF (or no configuration was given). */
  logging: ExecutionLogging | undefined;
  tracing: boolean;
}

export function revisionSettings(logging: Json | null, tracing: Json | null): RevisionSettings {
  const l = logging as { level?: string; includeExecutionData?: boolean; destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[] } | null;
  const level = l?.level ?? 'OFF';
  const arn = l?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  return {
    logging: (level === 'ALL' || level === 'ERROR' || level === 'FATAL') && arn !== undefined
      ? { level, includeExecutionData: l?.includeExecutionData === true, logGroupArn: arn }
      : undefined,
    tracing: (tracing as { enabled?: boolean } | null)?.enabled === true,
  };
}

export class RevisionSettingsCache extends RevisionCache<RevisionSettings> {
  constructor(store: EngineStore, max = 1_000) {
    super(async (stateMachineArn, revision) => {
      const r = await store.stateMachines.getRevision(stateMachineArn, revision);
      if (!r) throw new Error(`revision ${revision} of ${stateMachineArn} is missing`);
      return revisionSettings(r.loggingConfiguration, r.tracingConfiguration);
    }, max);
  }
}
