/** Compiled programs by (state machine, revision): a revision's definition never changes, so entries never go stale. */
import { compileDefinition, type JsonObject, type Program } from '@baton/asl';
import type { EngineStore } from './ports.js';

export class ProgramCache {
  private readonly programs = new Map<string, Promise<Program>>();

  constructor(private readonly store: EngineStore, private readonly max = 500) {}

  get(stateMachineArn: string, revision: number): Promise<Program> {
    const key = `${revision}:${stateMachineArn}`;
    let p = this.programs.get(key);
    if (!p) {
      p = this.load(stateMachineArn, revision);
      p.catch(() => this.programs.delete(key));
      if (this.programs.size >= this.max) this.programs.delete(this.programs.keys().next().value!);
      this.programs.set(key, p);
    }
    return p;
  }

  private async load(stateMachineArn: string, revision: number): Promise<Program> {
    const r = await this.store.stateMachines.getRevision(stateMachineArn, revision);
    if (!r) throw new Error(`definition of ${stateMachineArn} revision ${revision} is missing`);
    return compileDefinition(JSON.parse(r.definition) as JsonObject);
  }
}
