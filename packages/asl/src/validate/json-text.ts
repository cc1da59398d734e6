/**
 * Reads a definition given as JSON text, the way the Step Functions API does (INVALID_JSON_DESCRIPTION): AWS
 * parses with Jackson, and its diagnostic carries Jackson's message and location, e.g.
 * "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')
 * at [Source: (String)"not a definition"; line: 1, column: 4]". Empty or blank text is "no content" (AWS then says
 * "Definition must be a valid JSON object"). Like Jackson's default, content after the first value is ignored and a
 * repeated key keeps its last value.
 */
import { MAX_NESTING_DEPTH, nestingDepthMessage, type Json } from '../json.js';

export type TextParse =
  | { readonly ok: true; readonly value: Json | undefined }
  | { readonly ok: false; readonly message: string; readonly location: string };

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const SOURCE_LIMIT = 500;

class JsonTextError extends Error {
  constructor(
    readonly reason: string,
    readonly index: number,
  ) {
    super(reason);
  }
}

function charDescription(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `(CTRL-CHAR, code ${code})`;
  if (code > 255) return `'${ch}' (code ${code} / 0x${code.toString(16)})`;
  return `'${ch}' (code ${code})`;
}

function isIdentifierPart(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}\p{Sc}]/u.test(ch);
}

function isIdentifierStart(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{Nl}\p{Pc}\p{Sc}]/u.test(ch);
}

class Reader {
  private pos = 0;
  /** Open containers: Jackson refuses the 1,001st (and this reader recurses once per level). */
  private depth = 0;
  constructor(private readonly text: string) {}

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private skipWhitespace(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos]!)) this.pos++;
  }

  private unexpected(expectation: string): never {
    const ch = this.text[this.pos]!;
    throw new JsonTextError(`Unexpected character (${charDescription(ch)}): ${expectation}`, this.pos + 1);
  }

  private invalidToken(start: number): never {
    let end = start;
    while (end < this.text.length && isIdentifierPart(this.text[end])) end++;
    if (end === start) end = start + 1;
    throw new JsonTextError(`Unrecognized token '${this.text.slice(start, end)}': was expecting ${VALUE_LIST}`, end);
  }

  private endOfInput(detail: string): never {
    throw new JsonTextError(`Unexpected end-of-input: ${detail}`, this.text.length);
  }

  document(): Json | undefined {
    this.skipWhitespace();
    if (this.pos >= this.text.length) return undefined;
    return this.value(undefined);
  }

  private value(container: { kind: 'Object' | 'Array'; start: number } | undefined): Json {
    this.skipWhitespace();
    const ch = this.peek();
    if (ch === undefined) {
      if (container) this.closeMarkerMissing(container);
      return this.endOfInput('expected a value');
    }
    if (ch === '{' || ch === '[') {
      if (++this.depth > MAX_NESTING_DEPTH) throw new JsonTextError(nestingDepthMessage(this.depth), this.pos + 1);
      const v = ch === '{' ? this.object() : this.array();
      this.depth--;
      return v;
    }
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    if (ch === 't' || ch === 'f' || ch === 'n') return this.keyword();
    if (ch === '}') this.unexpected('expected a value');
    if (isIdentifierStart(ch)) this.invalidToken(this.pos);
    return this.unexpected(`expected a valid value ${VALUE_LIST}`);
  }

  private closeMarkerMissing(container: { kind: 'Object' | 'Array'; start: number }): never {
    return this.endOfInput(`expected close marker for ${container.kind} (start marker at ${this.describe(container.start)})`);
  }

  /** Jackson's location text for input pointer `index` (the index of the next character to read). */
  describe(index: number): string {
    let line = 1;
    let rowStart = 0;
    for (let i = 0; i < index && i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\n' || (c === '\r' && this.text[i + 1] !== '\n')) {
        line++;
        rowStart = i + 1;
      }
    }
    return `[Source: ${sourceDescription(this.text)}; line: ${line}, column: ${index - rowStart + 1}]`;
  }

  private keyword(): Json {
    const start = this.pos;
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, start) && !isIdentifierPart(this.text[start + word.length])) {
        this.pos = start + word.length;
        return value;
      }
    }
    return this.invalidToken(start);
  }

  private number(): number {
    const start = this.pos;
    if (this.peek() === '-') {
      this.pos++;
      const next = this.peek();
      if (next === undefined || next < '0' || next > '9') {
        if (next === undefined) this.endOfInput('expected digit (0-9) to follow minus sign, for valid numeric value');
        throw new JsonTextError(
          `Unexpected character (${charDescription(next)}) in numeric value: expected digit (0-9) to follow minus sign, for valid numeric value`,
          this.pos + 1,
        );
      }
    }
    if (this.peek() === '0' && /[0-9]/.test(this.text[this.pos + 1] ?? '')) {
      throw new JsonTextError('Invalid numeric value: Leading zeroes not allowed', this.pos + 2);
    }
    while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
    if (this.peek() === '.') {
      this.pos++;
      if (!/[0-9]/.test(this.peek() ?? '')) this.numberError('Decimal point not followed by a digit');
      while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
    }
    if (this.peek() === 'e' || this.peek() === 'E') {
      this.pos++;
      if (this.peek() === '+' || this.peek() === '-') this.pos++;
      if (!/[0-9]/.test(this.peek() ?? '')) this.numberError('Exponent indicator not followed by a digit');
      while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
    }
    return Number(this.text.slice(start, this.pos));
  }

  private numberError(detail: string): never {
    const ch = this.peek();
    if (ch === undefined) return this.endOfInput(`in numeric value: ${detail}`);
    throw new JsonTextError(`Unexpected character (${charDescription(ch)}) in numeric value: ${detail}`, this.pos + 1);
  }

  private string(): string {
    this.pos++;
    let out = '';
    for (;;) {
      const ch = this.peek();
      if (ch === undefined) return this.endOfInput('was expecting closing quote for a string value');
      this.pos++;
      if (ch === '"') return out;
      if (ch === '\\') {
        const esc = this.peek();
        if (esc === undefined) return this.endOfInput('was expecting closing quote for a string value');
        this.pos++;
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc in simple) out += simple[esc];
        else if (esc === 'u') {
          const hex = this.text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            const bad = hex.split('').find((c) => !/[0-9a-fA-F]/.test(c));
            if (bad === undefined) return this.endOfInput('was expecting closing quote for a string value');
            throw new JsonTextError(`Unexpected character (${charDescription(bad)}): expected a hex-digit for character escape sequence`, this.pos + hex.indexOf(bad) + 1);
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
        } else {
          throw new JsonTextError(`Unrecognized character escape ${charDescription(esc)}`, this.pos);
        }
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) {
        throw new JsonTextError(
          `Illegal unquoted character (${charDescription(ch)}): has to be escaped using backslash to be included in string value`,
          this.pos,
        );
      }
      out += ch;
    }
  }

  private object(): Json {
    const start = this.pos;
    const container = { kind: 'Object' as const, start };
    this.pos++;
    const out: { [key: string]: Json } = {};
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWhitespace();
      const ch = this.peek();
      if (ch === undefined) this.closeMarkerMissing(container);
      if (ch !== '"') this.unexpected('was expecting double-quote to start field name');
      const key = this.string();
      this.skipWhitespace();
      if (this.peek() === undefined) this.endOfInput('within/between Object entries');
      if (this.peek() !== ':') this.unexpected('was expecting a colon to separate field name and value');
      this.pos++;
      this.skipWhitespace();
      if (this.peek() === undefined) this.endOfInput('within/between Object entries');
      Object.defineProperty(out, key, { value: this.value(container), enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const sep = this.peek();
      if (sep === undefined) this.closeMarkerMissing(container);
      this.pos++;
      if (sep === '}') return out;
      if (sep !== ',') {
        this.pos--;
        this.unexpected('was expecting comma to separate Object entries');
      }
    }
  }

  private array(): Json {
    const start = this.pos;
    const container = { kind: 'Array' as const, start };
    this.pos++;
    const out: Json[] = [];
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(container));
      this.skipWhitespace();
      const sep = this.peek();
      if (sep === undefined) this.closeMarkerMissing(container);
      this.pos++;
      if (sep === ']') return out;
      if (sep !== ',') {
        this.pos--;
        this.unexpected('was expecting comma to separate Array entries');
      }
    }
  }
}

function sourceDescription(text: string): string {
  if (text.length <= SOURCE_LIMIT) return `(String)"${text}"`;
  return `(String)"${text.slice(0, SOURCE_LIMIT)}"[truncated ${text.length - SOURCE_LIMIT} chars]`;
}

/** Parses definition text; on a syntax error returns Jackson's message and location text. */
export function parseDefinitionText(text: string): TextParse {
  const reader = new Reader(text);
  try {
    return { ok: true, value: reader.document() };
  } catch (e) {
    if (!(e instanceof JsonTextError)) throw e;
    const location = reader.describe(e.index);
    return { ok: false, message: `${e.reason}\n at ${location}`, location };
  }
}
