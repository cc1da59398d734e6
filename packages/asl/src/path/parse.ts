/**
 * The JSONPath compiler. AWS Step Functions evaluates JSONPath with Jayway JsonPath ("Paths" in the developer guide),
 * so this follows Jayway's PathCompiler token by token: `$`, `.name`, `['name']` / `["name"]` (a backslash only
 * protects the quote, the name is taken as written, as AWS resolves `$['Test\""Name"']`), `['a','b']`, `[n]`, `[-n]`,
 * `[0,2]`, `[a:b]`, `[*]`, `.*`, `..`, `[?(...)]` and the tail functions `.length()` and friends.
 */
import type { ParsedJsonPath, PathToken } from './ast.js';
import { Cursor } from './cursor.js';
import { JsonPathSyntaxError } from './errors.js';
import { parseFilter } from './filter-parse.js';
import { PATH_FUNCTIONS } from './functions.js';

const cache = new Map<string, ParsedJsonPath>();

/** Compiles a path that starts at `$` (the state input). Throws JsonPathSyntaxError. */
export function parseJsonPath(path: string): ParsedJsonPath {
  const hit = cache.get(path);
  if (hit) return hit;
  const parsed = compile(path, false);
  if (cache.size > 5000) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

/** Compiles a path inside a filter, which may also start at `@` (the current item). */
export function parseFilterPath(path: string): ParsedJsonPath {
  return compile(path, true);
}

function fail(message: string): never {
  throw new JsonPathSyntaxError(message);
}

function compile(source: string, allowCurrent: boolean): ParsedJsonPath {
  const text = source.trim();
  if (text.length === 0) fail('Path may not be null empty');
  const root = text[0];
  if (root !== '$' && !(allowCurrent && root === '@')) fail(`Path must start with '$': ${source}`);
  if (text.endsWith('.')) fail("Path must not end with a '.' or '..'");
  const c = new Cursor(text);
  const tokens: PathToken[] = [];
  c.pos = 1;
  if (!c.atTail()) {
    if (!c.is('.') && !c.is('[')) fail(`Illegal character at position 1 expected '.' or '['`);
    readNextToken(c, tokens);
  }
  const last = tokens.length - 1;
  tokens.forEach((t, i) => {
    if (t.kind === 'function' && i !== last) fail(`Function ${t.name}() must be the last token of a path`);
  });
  return { root: root as '$' | '@', tokens, source: text };
}

function readNextToken(c: Cursor, tokens: PathToken[]): void {
  while (!c.atTail()) {
    const ch = c.char();
    if (ch === '[') {
      if (!(readBracketProperty(c, tokens) || readArray(c, tokens) || readWildcard(c, tokens) || readFilter(c, tokens))) {
        fail(`Could not parse token starting at position ${c.pos}. Expected ?, ', 0-9, * `);
      }
    } else if (ch === '.') {
      readDot(c, tokens);
    } else if (ch === '*') {
      readWildcard(c, tokens);
    } else if (!readPropertyOrFunction(c, tokens)) {
      fail(`Could not parse token starting at position ${c.pos}`);
    }
  }
}

function readDot(c: Cursor, tokens: PathToken[]): void {
  if (c.is('.', c.pos + 1)) {
    tokens.push({ kind: 'scan' });
    c.pos += 2;
  } else if (!c.inBounds(c.pos + 1)) {
    fail("Path must not end with a '.");
  } else {
    c.pos += 1;
  }
  if (c.is('.')) fail(`Character '.' on position ${c.pos} is not valid.`);
}

function readPropertyOrFunction(c: Cursor, tokens: PathToken[]): boolean {
  if (c.is('[') || c.is('*') || c.is('.') || c.is(' ')) return false;
  const start = c.pos;
  let i = start;
  let end = -1;
  let isFunction = false;
  while (c.inBounds(i)) {
    const ch = c.char(i);
    if (ch === ' ') fail(`Use bracket notion ['my prop'] if your property contains blank characters. position: ${i}`);
    if (ch === '.' || ch === '[') {
      end = i;
      break;
    }
    if (ch === '(') {
      isFunction = true;
      end = i;
      break;
    }
    i++;
  }
  if (end < 0) end = c.length;
  const name = c.text.slice(start, end);
  if (isFunction) {
    if (!c.is(')', end + 1)) fail(`Function ${name}() takes no arguments here`);
    if (!PATH_FUNCTIONS.has(name)) fail(`Function with name: ${name} does not exist.`);
    tokens.push({ kind: 'function', name });
    c.pos = end + 2;
  } else {
    tokens.push({ kind: 'property', names: [name], delimiter: "'" });
    c.pos = end;
  }
  return true;
}

function readWildcard(c: Cursor, tokens: PathToken[]): boolean {
  const inBracket = c.is('[');
  if (inBracket) {
    const star = c.indexOfNextSignificant('*');
    if (star < 0) return false;
    const close = c.indexOfNextSignificant(']', star);
    if (close < 0) fail(`Expected wildcard token to end with ']' on position ${star + 1}`);
    c.pos = close + 1;
  } else {
    c.pos += 1;
  }
  tokens.push({ kind: 'wildcard' });
  return true;
}

function readArray(c: Cursor, tokens: PathToken[]): boolean {
  const first = c.nextSignificantChar();
  if (!/[0-9\-:]/.test(first)) return false;
  const begin = c.pos + 1;
  const end = c.text.indexOf(']', begin);
  if (end < 0) return false;
  const expression = c.text.slice(begin, end).trim();
  if (!/^[0-9,\-: ]*$/.test(expression)) return false;
  if (expression.includes(':')) tokens.push(parseSlice(expression));
  else tokens.push({ kind: 'index', indexes: parseIndexes(expression) });
  c.pos = end + 1;
  return true;
}

function parseSlice(expression: string): PathToken {
  if (!/^[0-9\-:]*$/.test(expression)) fail(`Failed to parse SliceOperation: ${expression}`);
  const parts = expression.split(':');
  const read = (s: string | undefined): number | undefined => {
    if (s === undefined || s.length === 0) return undefined;
    if (!/^-?\d+$/.test(s)) fail(`Failed to parse SliceOperation: ${expression}`);
    return Number(s);
  };
  const from = read(parts[0]);
  const to = read(parts[1]);
  if (from === undefined && to === undefined) fail(`Failed to parse SliceOperation: ${expression}`);
  return { kind: 'slice', from, to };
}

function parseIndexes(expression: string): number[] {
  return expression.split(',').map((part) => {
    const s = part.trim();
    if (!/^-?\d+$/.test(s)) fail(`Failed to parse ArrayIndexOperation: ${expression}`);
    const n = Number(s);
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2147483647) fail(`Failed to parse ArrayIndexOperation: ${expression}`);
    return n;
  });
}

function readBracketProperty(c: Cursor, tokens: PathToken[]): boolean {
  const quote = c.nextSignificantChar();
  if (quote !== "'" && quote !== '"') return false;
  const names: string[] = [];
  let i = c.nextSignificantIndex() + 1;
  let start = i;
  let inProperty = true;
  let inEscape = false;
  let lastWasComma = false;
  let endPosition = -1;
  while (c.inBounds(i)) {
    const ch = c.char(i);
    if (inEscape) {
      inEscape = false;
    } else if (ch === '\\') {
      inEscape = true;
    } else if (ch === ']' && !inProperty) {
      if (lastWasComma) fail(`Found empty property at index ${i}`);
      endPosition = i;
      break;
    } else if (ch === quote) {
      if (inProperty) {
        const next = c.nextSignificantChar(i + 1);
        if (next !== ']' && next !== ',') {
          fail(`Property must be separated by comma or Property must be terminated close square bracket at index ${i}`);
        }
        names.push(c.text.slice(start, i));
        inProperty = false;
      } else {
        start = i + 1;
        inProperty = true;
        lastWasComma = false;
      }
    } else if (ch === ',' && !inProperty) {
      if (lastWasComma) fail(`Found empty property at index ${i}`);
      lastWasComma = true;
    } else if (!inProperty && ch !== ' ') {
      fail(`Unexpected character '${ch}' in bracket notation at index ${i}`);
    }
    i++;
  }
  if (inProperty || endPosition < 0) fail(`Property has not been closed - missing closing ${quote}`);
  c.pos = endPosition + 1;
  tokens.push({ kind: 'property', names, delimiter: quote });
  return true;
}

function readFilter(c: Cursor, tokens: PathToken[]): boolean {
  const question = c.indexOfNextSignificant('?');
  if (question < 0) return false;
  const open = c.indexOfNextSignificant('(', question);
  if (open < 0) return false;
  const close = indexOfClosingParen(c.text, open);
  if (close < 0) return false;
  const closeBracket = c.indexOfNextSignificant(']', close);
  if (closeBracket < 0) return false;
  const source = c.text.slice(c.pos, closeBracket + 1);
  tokens.push({ kind: 'filter', expr: parseFilter(c.text.slice(open + 1, close)), source });
  c.pos = closeBracket + 1;
  return true;
}

/** The `)` matching the `(` at `open`, skipping quoted strings and regex literals. */
function indexOfClosingParen(text: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '/' && /[=~(\s]$/.test(text.slice(0, i).trimEnd().slice(-1) || '(')) quote = '/';
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
