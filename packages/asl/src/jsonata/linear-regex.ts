/**
 * JSONata's regular expressions (`/.../i` in `$match`, `$contains`, `$split`, `$replace`) run on RE2 (the re2js
 * port), never on the host's backtracking engine: a pattern such as `/^(a+)+$/` over 40 characters would
 * otherwise stall the thread for minutes. RE2 matches in time linear in the input. jsonata 2.0.6 takes the engine
 * as its `RegexEngine` option and drives it the way it drives a global RegExp (`lastIndex`, then `exec`), which is
 * what this adapter offers. Constructs RE2 cannot run in linear time (backreferences, lookaround) are refused with
 * an error naming the construct, which the field reports as States.QueryEvaluationError.
 */
import { RE2JS } from 're2js';

/** The part of a RegExp jsonata's evaluator uses. */
export interface RegexEngineInstance {
  lastIndex: number;
  exec(input: string): RegExpExecArray | null;
}

export class LinearRegExp implements RegexEngineInstance {
  lastIndex = 0;
  private readonly pattern: RE2JS;

  /** jsonata hands over the RegExp its parser built (flags: `i`, `m`, and its own `g`). */
  constructor(source: RegExp) {
    let flags = 0;
    if (source.flags.includes('i')) flags |= RE2JS.CASE_INSENSITIVE;
    if (source.flags.includes('m')) flags |= RE2JS.MULTILINE;
    try {
      this.pattern = RE2JS.compile(RE2JS.translateRegExp(source.source), flags);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw { message: `The regular expression /${source.source}/ cannot run on a linear-time engine (${reason})` };
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
