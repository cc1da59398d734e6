/**
 * Regular expressions from definitions and data run on RE2 (the re2js port), never on the host's backtracking
 * engine: a pattern such as `/^(a+)+$/` over 40 characters would otherwise stall the thread for minutes. RE2
 * matches in time linear in the input. Used by JSONata (`/.../i` in `$match`, `$contains`, `$split`, `$replace`:
 * jsonata 2.0.6 takes the engine as its `RegexEngine` option and drives it the way it drives a global RegExp,
 * `lastIndex` then `exec`, which `LinearRegExp` offers) and by JSONPath filters (`=~`). Constructs RE2 cannot run
 * in linear time (backreferences, lookaround) are refused with an error naming the construct.
 */
import { RE2JS } from 're2js';

/** The part of a RegExp jsonata's evaluator uses. */
export interface RegexEngineInstance {
  lastIndex: number;
  exec(input: string): RegExpExecArray | null;
}

export class LinearRegexError extends Error {}

/** Compiles a JavaScript-syntax pattern with its flags (`i`, `m`, `s`; others ignored) for RE2, or throws LinearRegexError. */
export function compileLinearRegex(source: string, flags: string): RE2JS {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  try {
    return RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new LinearRegexError(`The regular expression /${source}/ cannot run on a linear-time engine (${reason})`);
  }
}

export class LinearRegExp implements RegexEngineInstance {
  lastIndex = 0;
  private readonly pattern: RE2JS;

  /** jsonata hands over the RegExp its parser built (flags: `i`, `m`, and its own `g`). */
  constructor(source: RegExp) {
    try {
      this.pattern = compileLinearRegex(source.source, source.flags);
    } catch (e) {
      throw { message: (e as Error).message }; // a jsonata-style error: the field reports it
    }
  }

  /** As RegExp.prototype.exec with the `g` flag: searches from `lastIndex` and moves it past the match. */
  exec(input: string): RegExpExecArray | null {
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const m = this.pattern.matcher(input);
    if (!m.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [m.group() ?? ''];
    for (let i = 1; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    const match = groups as unknown as RegExpExecArray;
    match.index = m.start();
    match.input = input;
    this.lastIndex = m.end();
    return match;
  }
}
