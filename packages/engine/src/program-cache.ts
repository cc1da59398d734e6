/** Compiled programs by (state machine, revision): a revision's definition never changes, so entries never go stale. */
import { compileDefinition, type JsonObject } from '@baton/asl';
import type { ProgramSource } from './evaluation/evaluator.js';
import type { EngineStore } from './ports.js';

export class ProgramCache {
  private readonly programs = new Map<string, Promise<ProgramSource>>();

  constructor(private readonly store: EngineStore, private readonly max = 500) {}

  get(stateMachineArn: string, revision: number): Promise<ProgramSource> {
    const key = programKey(stateMachineArn, revision);
    let p = this.programs.get(key);
    if (!p) {
      p = this.load(stateMachineArn, revision);
      p.catch(() => this.programs.delete(key));
      if (this.programs.size >= this.max) this.programs.delete(this.programs.keys().next().value!);
      this.programs.set(key, p);
    }
    return p;
  }

  private async load(stateMachineArn: string, revision: number): Promise<ProgramSource> {
    const r = await this.store.stateMachines.getRevision(stateMachineArn, revision);
    if (!r) throw new Error(`definition of ${stateMachineArn} revision ${revision} is missing`);
    return { key: programKey(stateMachineArn, revision), definition: r.definition, program: compileDefinition(JSON.parse(r.definition) as JsonObject) };
  }
}

export const programKey = (stateMachineArn: string, revision: number): string => `${revision}:${stateMachineArn}`;
