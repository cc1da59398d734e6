/**
 * The filter compiler for `[?( ... )]`, after Jayway's FilterCompiler: `||` over `&&` over `!` / `( )` / relational
 * expressions `left op right`, where a lone path is an existence check (`[?(@.isbn)]`, `[?(!@.isbn)]`).
 * Operands: `@...` / `$...` paths, 'strings' or "strings" (with backslash escapes), numbers, true/false, null,
 * JSON arrays / objects, and /regex/flags for `=~`.
 */
import type { Json } from '../json.js';
import { Cursor } from './cursor.js';
import { JsonPathSyntaxError } from './errors.js';
import { RELATIONAL_OPERATORS, type FilterExpr, type FilterOperand, type RelationalOperator } from './filter-ast.js';
import { parseFilterPath } from './parse.js';

function fail(message: string): never {
  throw new JsonPathSyntaxError(message);
}

export function parseFilter(inner: string): FilterExpr {
  const c = new Cursor(inner.trim());
  const expr = readOr(c);
  c.skipBlanks();
  if (!c.atTail()) fail(`Expected end of filter expression at position ${c.pos}: ${inner}`);
  return expr;
}

function readSignificant(c: Cursor, s: string): boolean {
  c.skipBlanks();
  if (c.text.startsWith(s, c.pos)) {
    c.pos += s.length;
    return true;
  }
  return false;
}

function readOr(c: Cursor): FilterExpr {
  const operands = [readAnd(c)];
  while (readSignificant(c, '||')) operands.push(readAnd(c));
  return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
}

function readAnd(c: Cursor): FilterExpr {
  const operands = [readAndOperand(c)];
  while (readSignificant(c, '&&')) operands.push(readAndOperand(c));
  return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
}

function readAndOperand(c: Cursor): FilterExpr {
  c.skipBlanks();
  if (c.is('!')) {
    const save = c.pos;
    c.pos++;
    c.skipBlanks();
    if (c.is('$') || c.is('@')) c.pos = save;
    else return { kind: 'not', operand: readAndOperand(c) };
  }
  c.skipBlanks();
  if (c.is('(')) {
    c.pos++;
    const inner = readOr(c);
    if (!readSignificant(c, ')')) fail(`Expected ')' at position ${c.pos}`);
    return inner;
  }
  return readExpression(c);
}

function isOperatorChar(ch: string): boolean {
  return ch === '<' || ch === '>' || ch === '=' || ch === '~' || ch === '!';
}

function readExpression(c: Cursor): FilterExpr {
  c.skipBlanks();
  const negated = c.is('!');
  if (negated) c.pos++;
  const left = readOperand(c);
  const save = c.pos;
  c.skipBlanks();
  const op = readOperator(c);
  if (op) {
    const right = readOperand(c);
    if (negated) fail('A negated path must stand alone');
    return { kind: 'compare', left, op, right };
  }
  c.pos = save;
  if (left.kind !== 'path') fail(`Expected a relational operator at position ${c.pos}`);
  return { kind: 'exists', path: left.path, shouldExist: !negated };
}

function readOperator(c: Cursor): RelationalOperator | undefined {
  const begin = c.pos;
  if (isOperatorChar(c.char())) {
    while (c.inBounds() && isOperatorChar(c.char())) c.pos++;
  } else {
    while (c.inBounds() && /[a-zA-Z]/.test(c.char())) c.pos++;
  }
  const text = c.text.slice(begin, c.pos);
  if (RELATIONAL_OPERATORS.has(text.toLowerCase())) return text.toLowerCase() as RelationalOperator;
  if (text.length > 0 && isOperatorChar(text[0]!)) fail(`Filter operator ${text} is not supported!`);
  c.pos = begin;
  return undefined;
}

function readOperand(c: Cursor): FilterOperand {
  c.skipBlanks();
  const ch = c.char();
  if (ch === '@' || ch === '$') return readPath(c);
  if (ch === "'" || ch === '"') return { kind: 'string', value: readString(c, ch) };
  if (ch === '/') return readRegex(c);
  if (ch === '[' || ch === '{') return { kind: 'json', value: readJson(c) };
  if (c.text.startsWith('true', c.pos)) {
    c.pos += 4;
    return { kind: 'boolean', value: true };
  }
  if (c.text.startsWith('false', c.pos)) {
    c.pos += 5;
    return { kind: 'boolean', value: false };
  }
  if (c.text.startsWith('null', c.pos)) {
    c.pos += 4;
    return { kind: 'null' };
  }
  if (/[0-9\-]/.test(ch)) {
    const begin = c.pos;
    while (c.inBounds() && /[0-9.eE+\-]/.test(c.char())) c.pos++;
    const text = c.text.slice(begin, c.pos);
    const value = Number(text);
    if (!Number.isFinite(value)) fail(`Invalid number in filter: ${text}`);
    return { kind: 'number', value, text };
  }
  fail(`Could not parse filter operand at position ${c.pos}: ${c.text}`);
}

function readPath(c: Cursor): FilterOperand {
  const begin = c.pos;
  c.pos++;
  while (c.inBounds()) {
    if (c.is('[')) {
      const close = matchingBracket(c.text, c.pos);
      if (close < 0) fail(`Square brackets does not match in filter ${c.text}`);
      c.pos = close + 1;
      if (!c.inBounds()) break;
    }
    const ch = c.char();
    if (ch === '(' && c.is(')', c.pos + 1)) {
      c.pos += 2;
      continue;
    }
    if (isOperatorChar(ch) || ch === ' ' || ch === ')') break;
    c.pos++;
  }
  return { kind: 'path', path: parseFilterPath(c.text.slice(begin, c.pos)) };
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return -1;
}

function readString(c: Cursor, quote: string): string {
  let i = c.pos + 1;
  while (c.inBounds(i) && !c.is(quote, i)) i += c.is('\\', i) ? 2 : 1;
  if (!c.inBounds(i)) fail(`String literal does not have matching quotes. Expected ${quote} in ${c.text}`);
  const raw = c.text.slice(c.pos + 1, i);
  c.pos = i + 1;
  return unescape(raw);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '/': '/', '\\': '\\', "'": "'", '"': '"' };

/** Jayway's Utils.unescape: the JSON escapes plus `\'`. */
function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== '\\' || i === raw.length - 1) {
      out += ch;
      continue;
    }
    const next = raw[++i]!;
    if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 1, i + 5), 16));
      i += 4;
    } else {
      out += ESCAPES[next] ?? next;
    }
  }
  return out;
}

function readRegex(c: Cursor): FilterOperand {
  let i = c.pos + 1;
  while (c.inBounds(i) && !c.is('/', i)) i += c.is('\\', i) ? 2 : 1;
  if (!c.inBounds(i)) fail(`Pattern not closed. Expected / in ${c.text}`);
  const source = c.text.slice(c.pos + 1, i);
  i++;
  const flagStart = i;
  while (c.inBounds(i) && /[a-zA-Z]/.test(c.char(i))) i++;
  const flags = c.text.slice(flagStart, i);
  c.pos = i;
  try {
    new RegExp(source);
  } catch {
    fail(`Invalid regular expression /${source}/ in filter`);
  }
  return { kind: 'regex', source, flags };
}

function readJson(c: Cursor): Json {
  const open = c.char();
  const close = open === '[' ? ']' : '}';
  let depth = 0;
  let quote = '';
  for (let i = c.pos; i < c.length; i++) {
    const ch = c.char(i);
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === open) depth++;
    else if (ch === close && --depth === 0) {
      const text = c.text.slice(c.pos, i + 1);
      c.pos = i + 1;
      return parseLenientJson(text);
    }
  }
  fail(`JSON literal is not closed in ${c.text}`);
}

/** JSON, accepting single-quoted strings as Jayway's lenient parser does. */
function parseLenientJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    try {
      return JSON.parse(text.replace(/'((?:[^'\\]|\\.)*)'/g, (_m, s: string) => JSON.stringify(unescape(s)))) as Json;
    } catch {
      fail(`Invalid JSON literal in filter: ${text}`);
    }
  }
}
