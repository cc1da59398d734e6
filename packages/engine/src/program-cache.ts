/** Compiled programs by (state machine, revision): a revision's definition never changes, so entries never go stale. */
import { compileDefinition, type JsonObject } from '@baton/asl';
import type { ProgramSource } from './evaluation/evaluator.js';
import type { EngineStore } from './ports.js';
import { RevisionCache, revisionKey } from './revision-cache.js';

export class ProgramCache extends RevisionCache<ProgramSource> {
  constructor(store: EngineStore, max = 500) {
    super(async (stateMachineArn, revision) => {
      const r = await store.stateMachines.getRevision(stateMachineArn, revision);
      if (!r) throw new Error(`definition of ${stateMachineArn} revision ${revision} is missing`);
      return { key: revisionKey(stateMachineArn, revision), definition: r.definition, program: compileDefinition(JSON.parse(r.definition) as JsonObject) };
    }, max);
  }
}
