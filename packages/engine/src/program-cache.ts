/** Compiled programs by (state machine, revision): a revision's definition never changes, so entries never go stale. */
import { compileDefinition, type JsonObject } from '@baton/asl';
import type { ProgramSource } from './evaluation/evaluator.js';
import type { EngineStore } from './ports.js';

export class ProgramCache {
  private readonly programs = new Map<string, Promise<ProgramSource>>();
  /** The loaded ones, for `peek`. */
  private readonly loaded = new Map<string, ProgramSource>();

  constructor(private readonly store: EngineStore, private readonly max = 500) {}

  get(stateMachineArn: string, revision: number): Promise<ProgramSource> {
    const key = programKey(stateMachineArn, revision);
    let p = this.programs.get(key);
    if (!p) {
      p = this.load(stateMachineArn, revision);
      p.then((program) => {
        if (this.programs.get(key) === p) this.loaded.set(key, program);
      }, () => this.programs.delete(key));
      if (this.programs.size >= this.max) {
        const oldest = this.programs.keys().next().value!;
        this.programs.delete(oldest);
        this.loaded.delete(oldest);
      }
      this.programs.set(key, p);
    }
    return p;
  }

  /**
   * The program if it is loaded already, without waiting (nor reading the database): for a step inside a transaction
   * that must not wait on another connection of the pool (TransitionRunner.stepAnswer).
   */
  peek(stateMachineArn: string, revision: number): ProgramSource | undefined {
    return this.loaded.get(programKey(stateMachineArn, revision));
  }

  private async load(stateMachineArn: string, revision: number): Promise<ProgramSource> {
    const r = await this.store.stateMachines.getRevision(stateMachineArn, revision);
    if (!r) throw new Error(`definition of ${stateMachineArn} revision ${revision} is missing`);
    return { key: programKey(stateMachineArn, revision), definition: r.definition, program: compileDefinition(JSON.parse(r.definition) as JsonObject) };
  }
}

export const programKey = (stateMachineArn: string, revision: number): string => `${revision}:${stateMachineArn}`;
