/**
 * Reading an app's environment once, at boot: each reader collects every problem by variable name, and
 * `done()` throws them all at once, so a misconfigured process says everything that is wrong before it starts.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when unset or empty. */
  string(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }

  int(name: string, fallback: number, min: number): number {
    const v = this.string(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) this.problems.push(`${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.string(name);
    if (v === undefined) return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    this.problems.push(`${name} must be true or false (got '${v}')`);
    return fallback;
  }

  /** A URL whose protocol is one of `protocols` (e.g. ['postgres:', 'postgresql:']). */
  url(name: string, protocols: readonly string[]): string | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) this.problems.push(`${name} must start with ${protocols.join(' or ')} (got ${u.protocol})`);
    } catch {
      this.problems.push(`${name} is not a URL`);
    }
    return v;
  }

  /** Throws every collected problem at once, through the app's own error class. */
  done(toError: (message: string) => Error): void {
    if (this.problems.length > 0) throw toError(this.problems.join('\n  '));
  }
}
