/**
 * PGlite is one Postgres session. Everything that talks to it (a statement, a whole transaction, LISTEN) takes
 * this mutex, so a transaction never sees another caller's statements in the middle of it. Waiting for the
 * mutex while already holding it (a query on the store itself from inside one of its transactions) would hang
 * forever with one session; that is detected and thrown instead (with a pool it merely uses a second connection).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Holder {
  holding: boolean;
}

export class SessionMutex {
  private tail: Promise<void> = Promise.resolve();
  private readonly holder = new AsyncLocalStorage<Holder>();

  /** Runs `fn` in a context where a second `acquire` is a programming error rather than a deadlock. */
  guard<T>(fn: () => Promise<T>): Promise<T> {
    return this.holder.run({ holding: false }, fn);
  }

  /** Waits for the session; returns the function that releases it. */
  async acquire(): Promise<() => void> {
    const h = this.holder.getStore();
    if (h?.holding) {
      throw new Error('the embedded store has one session: a query on the store inside its own transaction would wait forever (use the transaction\'s session)');
    }
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    if (h) h.holding = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (h) h.holding = false;
      release();
    };
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
