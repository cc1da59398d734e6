/**
 * What a state machine revision asks of observability: its `loggingConfiguration` (execution logs) and
 * `tracingConfiguration.enabled` (per-state spans). A revision never changes, so entries never go stale; one read
 * per revision per process.
 */
import type { Json } from '@baton/asl';
import type { EngineStore } from '../ports.js';

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

export class RevisionSettingsCache {
  private readonly entries = new Map<string, Promise<RevisionSettings>>();
  /** The loaded ones, for `peek`. */
  private readonly loaded = new Map<string, RevisionSettings>();

  constructor(private readonly store: EngineStore, private readonly max = 1_000) {}

  get(stateMachineArn: string, revision: number): Promise<RevisionSettings> {
    const key = `${revision}:${stateMachineArn}`;
    let p = this.entries.get(key);
    if (!p) {
      p = this.store.stateMachines.getRevision(stateMachineArn, revision).then((r) => {
        if (!r) throw new Error(`revision ${revision} of ${stateMachineArn} is missing`);
        return revisionSettings(r.loggingConfiguration, r.tracingConfiguration);
      });
      const mine = p;
      p.then((settings) => {
        if (this.entries.get(key) === mine) this.loaded.set(key, settings);
      }, () => this.entries.delete(key));
      if (this.entries.size >= this.max) {
        const oldest = this.entries.keys().next().value!;
        this.entries.delete(oldest);
        this.loaded.delete(oldest);
      }
      this.entries.set(key, p);
    }
    return p;
  }

  /** The settings if they are loaded already, without waiting (see ProgramCache.peek). */
  peek(stateMachineArn: string, revision: number): RevisionSettings | undefined {
    return this.loaded.get(`${revision}:${stateMachineArn}`);
  }
}
