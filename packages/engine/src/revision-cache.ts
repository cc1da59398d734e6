/**
 * What a process derives from a state machine revision (its compiled program, its observability settings), by
 * (state machine, revision): a revision never changes, so an entry never goes stale. Bounded (the oldest goes
 * first); a failed load is forgotten, so the next `get` tries again. `peek` answers without waiting or reading.
 */
export class RevisionCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  /** The loaded ones, for `peek`. */
  private readonly loaded = new Map<string, T>();

  constructor(private readonly load: (stateMachineArn: string, revision: number) => Promise<T>, private readonly max: number) {}

  get(stateMachineArn: string, revision: number): Promise<T> {
    const key = revisionKey(stateMachineArn, revision);
    let p = this.entries.get(key);
    if (!p) {
      const mine = (p = this.load(stateMachineArn, revision));
      mine.then((value) => {
        if (this.entries.get(key) === mine) this.loaded.set(key, value);
      }, () => {
        if (this.entries.get(key) === mine) this.entries.delete(key);
      });
      if (this.entries.size >= this.max) {
        const oldest = this.entries.keys().next().value!;
        this.entries.delete(oldest);
        this.loaded.delete(oldest);
      }
      this.entries.set(key, mine);
    }
    return p;
  }

  /**
   * The value if it is loaded already, without waiting (nor reading the database): for a step inside a transaction
   * that must not wait on another connection of the pool (TransitionRunner.stepAnswer).
   */
  peek(stateMachineArn: string, revision: number): T | undefined {
    return this.loaded.get(revisionKey(stateMachineArn, revision));
  }
}

export const revisionKey = (stateMachineArn: string, revision: number): string => `${revision}:${stateMachineArn}`;
