/**
 * Parsing an app's environment once, at boot. `EnvParse` reads any number of variable sets (a variable read by
 * two fragments is parsed and reported once), collects every problem by variable name, and `done()` throws them
 * all at once as a `ConfigError`, so a misconfigured process says everything that is wrong before it starts.
 *
 * Secrets may come from a file instead (`<NAME>_FILE`, as Docker and Kubernetes secrets are mounted); their
 * values never appear in a message.
 */
import { readFileSync } from 'node:fs';
import type { Variable } from './variable.js';

export type Env = Readonly<Record<string, string | undefined>>;
export type Variables = Readonly<Record<string, Variable<any>>>;
export type Values<V extends Variables> = { -readonly [K in keyof V]: V[K] extends Variable<infer T> ? T : never };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** `<NAME>_FILE`: where a secret may be read from instead. */
export const fileVariant = (name: string): string => `${name}_FILE`;

export class EnvParse {
  readonly problems: string[] = [];
  private readonly parsed = new Map<string, { variable: Variable<unknown>; value: unknown; given: boolean }>();

  constructor(private readonly env: Env) {}

  /** The typed values of `variables` (each variable's fallback when unset or invalid; problems are collected). */
  read<V extends Variables>(variables: V): Values<V> {
    const out: Record<string, unknown> = {};
    for (const [name, variable] of Object.entries(variables)) out[name] = this.one(name, variable).value;
    return out as Values<V>;
  }

  /** The names read so far. */
  get names(): string[] {
    return [...this.parsed.keys()];
  }

  /** Whether the variable was given (set, or its `_FILE` set), valid or not. Only after `read`. */
  given(name: string): boolean {
    const entry = this.parsed.get(name);
    if (!entry) throw new Error(`${name} was not read`);
    return entry.given;
  }

  /** A problem found by a fragment: `message` completes the sentence that starts with the variable's name. */
  report(name: string, message: string): void {
    this.problems.push(`${name} ${message}`);
  }

  /** Throws every problem at once. */
  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private one(name: string, variable: Variable<unknown>) {
    const known = this.parsed.get(name);
    if (known) {
      // Two fragments may read one variable, but it is declared once (a second declaration would drift).
      if (known.variable !== variable) throw new Error(`${name} is declared twice`);
      return known;
    }
    const text = this.text(name, variable.secret);
    let value = variable.fallback;
    if (text !== undefined) {
      const result = variable.schema.safeParse(text);
      if (result.success) value = result.data;
      else this.problems.push(...describeIssues(name, variable, text, result.error.issues));
    }
    const entry = { variable, value, given: text !== undefined || this.has(fileVariant(name)) };
    this.parsed.set(name, entry);
    return entry;
  }

  /** The trimmed text, from the variable or (secrets) the file its `_FILE` names; undefined when unset or empty. */
  private text(name: string, secret: boolean): string | undefined {
    const direct = this.trimmed(name);
    if (!secret) return direct;
    const file = this.trimmed(fileVariant(name));
    if (file === undefined) return direct;
    if (direct !== undefined) {
      this.report(name, `and ${fileVariant(name)} are both set: set one of them`);
      return undefined;
    }
    let content: string;
    try {
      content = readFileSync(file, 'utf8').trim();
    } catch (e) {
      this.report(fileVariant(name), `names a file that cannot be read ('${file}': ${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return undefined;
    }
    if (content === '') this.report(fileVariant(name), `names an empty file ('${file}')`);
    return content === '' ? undefined : content;
  }

  private has(name: string): boolean {
    return this.trimmed(name) !== undefined;
  }

  private trimmed(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  }
}

function describeIssues(name: string, variable: Variable<unknown>, text: string, issues: readonly { code: string; message: string }[]): string[] {
  const custom = issues.filter((i) => i.code === 'custom').map((i) => `${name} ${i.message}`);
  if (custom.length > 0) return custom;
  return [`${name} must be ${variable.expects}${variable.secret ? '' : ` (got '${text}')`}`];
}
