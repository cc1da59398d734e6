/**
 * Filter evaluation with Jayway's comparison rules: a missing path is "undefined" (false for every operator but
 * `!=`), numbers compare by value and equal a string holding the same number, `<`/`>` compare two numbers or two
 * strings, `=~` fully matches a regex (on RE2, linear-time: ../linear-regex.ts), and `in` / `nin` / `contains` / `subsetof` / `anyof` / `noneof` / `size` /
 * `empty` work on JSON arrays.
 */
import { StatesError } from '../errors.js';
import type { Json } from '../json.js';
import { compileLinearRegex, LinearRegexError } from '../linear-regex.js';
import type { FilterExpr, FilterOperand, RelationalOperator } from './filter-ast.js';
import { evaluateParsedPath, type EvalOptions } from './evaluate.js';
import { jsonEqual } from './json-equal.js';
import { javaNumberText } from './json-text.js';

type Value =
  | { t: 'number'; n: number; text: string }
  | { t: 'string'; s: string }
  | { t: 'boolean'; b: boolean }
  | { t: 'null' }
  | { t: 'json'; v: Json[] | { [k: string]: Json } }
  | { t: 'regex'; source: string; flags: string }
  | { t: 'undefined' };

const BIG_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function toValue(v: Json): Value {
  if (v === null) return { t: 'null' };
  if (typeof v === 'number') return { t: 'number', n: v, text: javaNumberText(v) };
  if (typeof v === 'string') return { t: 'string', s: v };
  if (typeof v === 'boolean') return { t: 'boolean', b: v };
  return { t: 'json', v };
}

function operandValue(op: FilterOperand, item: Json, root: Json, opts: EvalOptions): Value {
  switch (op.kind) {
    case 'path': {
      const start = op.path.root === '@' ? item : root;
      try {
        const r = evaluateParsedPath(op.path, start, root, opts);
        return r.found ? toValue(r.value) : { t: 'undefined' };
      } catch {
        return { t: 'undefined' };
      }
    }
    case 'string':
      return { t: 'string', s: op.value };
    case 'number':
      return { t: 'number', n: op.value, text: op.text };
    case 'boolean':
      return { t: 'boolean', b: op.value };
    case 'null':
      return { t: 'null' };
    case 'json':
      return toValue(op.value);
    case 'regex':
      return { t: 'regex', source: op.source, flags: op.flags };
  }
}

function equals(l: Value, r: Value): boolean {
  if (l.t === 'json' && r.t === 'json') return jsonEqual(l.v, r.v);
  switch (l.t) {
    case 'number':
      if (r.t === 'number') return l.n === r.n;
      if (r.t === 'string') return BIG_DECIMAL.test(r.s) && Number(r.s) === l.n;
      return false;
    case 'string':
      if (r.t === 'string') return l.s === r.s;
      if (r.t === 'number') return l.s === r.text;
      return false;
    case 'boolean':
      return r.t === 'boolean' && l.b === r.b;
    case 'null':
      return r.t === 'null';
    case 'regex':
      return r.t === 'regex' && l.source === r.source && l.flags === r.flags;
    default:
      return false;
  }
}

function ordered(l: Value, r: Value, test: (c: number) => boolean): boolean {
  if (l.t === 'number' && r.t === 'number') return test(l.n < r.n ? -1 : l.n > r.n ? 1 : 0);
  if (l.t === 'string' && r.t === 'string') return test(l.s < r.s ? -1 : l.s > r.s ? 1 : 0);
  return false;
}

function regexMatches(l: Value, r: Value): boolean {
  if ((l.t === 'regex') === (r.t === 'regex')) return false;
  const pattern = (l.t === 'regex' ? l : r) as Extract<Value, { t: 'regex' }>;
  const other = l.t === 'regex' ? r : l;
  const input = other.t === 'string' ? other.s : other.t === 'number' ? other.text : other.t === 'boolean' ? String(other.b) : '';
  let compiled;
  try {
    compiled = compileLinearRegex(pattern.source, pattern.flags);
  } catch (e) {
    if (!(e instanceof LinearRegexError)) throw e;
    throw new StatesError('States.Runtime', e.message);
  }
  return compiled.matches(input);
}

function list(v: Value): Value[] | undefined {
  return v.t === 'json' && Array.isArray(v.v) ? v.v.map(toValue) : undefined;
}

function contains(values: Value[], v: Value): boolean {
  return values.some((x) => equals(x, v));
}

function compare(op: RelationalOperator, l: Value, r: Value): boolean {
  switch (op) {
    case '==':
      return equals(l, r);
    case '!=':
      return !equals(l, r);
    case '===':
      return l.t === r.t && equals(l, r);
    case '!==':
      return !(l.t === r.t && equals(l, r));
    case '<':
      return ordered(l, r, (c) => c < 0);
    case '<=':
      return ordered(l, r, (c) => c <= 0);
    case '>':
      return ordered(l, r, (c) => c > 0);
    case '>=':
      return ordered(l, r, (c) => c >= 0);
    case '=~':
      return regexMatches(l, r);
    case 'in': {
      const values = list(r);
      return values !== undefined && contains(values, l);
    }
    case 'nin': {
      const values = list(r);
      return !(values !== undefined && contains(values, l));
    }
    case 'contains': {
      if (l.t === 'string' && r.t === 'string') return l.s.includes(r.s);
      const values = list(l);
      return values !== undefined && contains(values, r);
    }
    case 'subsetof':
    case 'anyof':
    case 'noneof': {
      const left = list(l);
      const right = list(r);
      if (!left || !right) return false;
      if (op === 'subsetof') return left.every((x) => contains(right, x));
      if (op === 'anyof') return left.some((x) => contains(right, x));
      return !left.some((x) => contains(right, x));
    }
    case 'size': {
      if (r.t !== 'number') return false;
      const size = Math.trunc(r.n);
      if (l.t === 'string') return l.s.length === size;
      if (l.t === 'json') return (Array.isArray(l.v) ? l.v.length : Object.keys(l.v).length) === size;
      return false;
    }
    case 'empty': {
      if (r.t !== 'boolean') return false;
      if (l.t === 'string') return (l.s.length === 0) === r.b;
      if (l.t === 'json') return (Array.isArray(l.v) ? l.v.length === 0 : Object.keys(l.v).length === 0) === r.b;
      return false;
    }
  }
}

function exists(expr: Extract<FilterExpr, { kind: 'exists' }>, item: Json, root: Json, opts: EvalOptions): boolean {
  const start = expr.path.root === '@' ? item : root;
  try {
    const r = evaluateParsedPath(expr.path, start, root, { ...opts, suppress: false, requireProperties: true });
    return r.found;
  } catch {
    return false;
  }
}

/** Whether `item` passes the filter; `root` is the document `$` refers to. */
export function acceptsFilter(expr: FilterExpr, item: Json, root: Json, opts: EvalOptions): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.operands.every((e) => acceptsFilter(e, item, root, opts));
    case 'or':
      return expr.operands.some((e) => acceptsFilter(e, item, root, opts));
    case 'not':
      return !acceptsFilter(expr.operand, item, root, opts);
    case 'exists':
      return exists(expr, item, root, opts) === expr.shouldExist;
    case 'compare':
      return compare(expr.op, operandValue(expr.left, item, root, opts), operandValue(expr.right, item, root, opts));
  }
}
