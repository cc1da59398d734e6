/**
 * The intrinsic call grammar (AWS "Intrinsic functions"): `States.Name(arg, arg, ...)`, arguments separated by
 * commas with optional blanks. A string literal is single-quoted; inside it `\'`, `\{`, `\}` and `\\` are the only
 * escapes ("If an open escape backslash \ is found in the intrinsic invocation string, the interpreter will throw").
 * Unknown function names and wrong argument counts are syntax errors.
 */
import { splitPathRoot } from '../path/scope.js';
import { parseJsonPath } from '../path/parse.js';
import { ARITY, INTRINSIC_NAMES, type IntrinsicArg, type IntrinsicCall, type IntrinsicName } from './ast.js';
import { IntrinsicSyntaxError } from './errors.js';

const CALL_SHAPE = /^States\.[A-Za-z0-9]+\([\s\S]*\)$/;
const NAMES: ReadonlySet<string> = new Set(INTRINSIC_NAMES);
const ESCAPABLE = new Set(["'", '{', '}', '\\']);

/** "States.Xxx(...)": the text has the shape of an intrinsic call (it may still fail to parse). */
export function isIntrinsicCall(text: string): boolean {
  return CALL_SHAPE.test(text.trim());
}

function fail(message: string, text: string): never {
  throw new IntrinsicSyntaxError(`${message} in intrinsic function '${text}'`);
}

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  blanks(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  call(): IntrinsicCall {
    const start = this.pos;
    const m = /^States\.([A-Za-z0-9]+)\(/.exec(this.text.slice(this.pos));
    if (!m) fail(`Expected a States.* function at position ${this.pos}`, this.text);
    const name = `States.${m[1]}`;
    if (!NAMES.has(name)) fail(`Unknown function ${name}`, this.text);
    this.pos += m[0].length;
    const args: IntrinsicArg[] = [];
    this.blanks();
    if (this.text[this.pos] === ')') {
      this.pos++;
    } else {
      for (;;) {
        this.blanks();
        args.push(this.arg());
        this.blanks();
        const ch = this.text[this.pos];
        this.pos++;
        if (ch === ')') break;
        if (ch !== ',') fail(`Expected ',' or ')' at position ${this.pos - 1}`, this.text);
      }
    }
    const [min, max] = ARITY[name as IntrinsicName];
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      fail(`${name} takes ${expected} argument${min === 1 && max === 1 ? '' : 's'} but was given ${args.length}`, this.text);
    }
    return { name: name as IntrinsicName, args, text: this.text.slice(start, this.pos) };
  }

  arg(): IntrinsicArg {
    const rest = this.text.slice(this.pos);
    const ch = rest[0];
    if (ch === "'") return this.string();
    if (rest.startsWith('States.')) return { kind: 'call', call: this.call() };
    if (ch === '$') return this.path();
    const number = /^-?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?(?=[\s,)])/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return { kind: 'number', value: Number(number[0]) };
    }
    const keyword = /^(true|false|null)(?=[\s,)])/.exec(rest);
    if (keyword) {
      this.pos += keyword[0].length;
      return keyword[1] === 'null' ? { kind: 'null' } : { kind: 'boolean', value: keyword[1] === 'true' };
    }
    fail(`Unexpected argument at position ${this.pos}`, this.text);
  }

  string(): IntrinsicArg {
    let i = this.pos + 1;
    let value = '';
    while (i < this.text.length && this.text[i] !== "'") {
      const ch = this.text[i]!;
      if (ch === '\\') {
        const next = this.text[i + 1];
        if (next === undefined || !ESCAPABLE.has(next)) fail(`Invalid escape sequence at position ${i}`, this.text);
        value += next;
        i += 2;
      } else {
        value += ch;
        i++;
      }
    }
    if (i >= this.text.length) fail('Unterminated string literal', this.text);
    const raw = this.text.slice(this.pos + 1, i);
    this.pos = i + 1;
    return { kind: 'string', value, raw };
  }

  /** A path runs to the next `,` or `)` outside brackets, parentheses and quotes. */
  path(): IntrinsicArg {
    let i = this.pos;
    let depth = 0;
    let quote = '';
    for (; i < this.text.length; i++) {
      const ch = this.text[i]!;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = '';
        continue;
      }
      if (ch === "'" || ch === '"') quote = ch;
      else if (ch === '[' || ch === '(') depth++;
      else if ((ch === ']' || ch === ')') && depth > 0) depth--;
      else if ((ch === ',' || ch === ')') && depth === 0) break;
    }
    const path = this.text.slice(this.pos, i).trim();
    try {
      parseJsonPath(splitPathRoot(path).rooted);
    } catch {
      fail(`Invalid JSONPath '${path}'`, this.text);
    }
    this.pos = i;
    return { kind: 'path', path };
  }
}

const cache = new Map<string, IntrinsicCall>();

/** Parses "States.Xxx(...)" (throws IntrinsicSyntaxError; the validator uses this). */
export function parseIntrinsic(text: string): IntrinsicCall {
  const trimmed = text.trim();
  const hit = cache.get(trimmed);
  if (hit) return hit;
  const parser = new Parser(trimmed);
  const call = parser.call();
  parser.blanks();
  if (parser.pos !== trimmed.length) fail(`Unexpected text after the call at position ${parser.pos}`, trimmed);
  if (cache.size > 5000) cache.clear();
  cache.set(trimmed, call);
  return call;
}
