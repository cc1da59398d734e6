/**
 * Filter expressions `[?(...)]` as Jayway JsonPath compiles them: relational expressions joined by `&&`, `||`, `!`,
 * a lone path meaning "exists".
 */
import type { Json } from '../json.js';
import type { ParsedJsonPath } from './ast.js';

export type FilterOperand =
  | { kind: 'path'; path: ParsedJsonPath }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'json'; value: Json }
  | { kind: 'regex'; source: string; flags: string };

export type RelationalOperator =
  | '=='
  | '!='
  | '==='
  | '!=='
  | '<'
  | '<='
  | '>'
  | '>='
  | '=~'
  | 'in'
  | 'nin'
  | 'contains'
  | 'subsetof'
  | 'anyof'
  | 'noneof'
  | 'size'
  | 'empty';

export type FilterExpr =
  | { kind: 'and'; operands: FilterExpr[] }
  | { kind: 'or'; operands: FilterExpr[] }
  | { kind: 'not'; operand: FilterExpr }
  | { kind: 'exists'; path: ParsedJsonPath; shouldExist: boolean }
  | { kind: 'compare'; left: FilterOperand; op: RelationalOperator; right: FilterOperand };

export const RELATIONAL_OPERATORS: ReadonlySet<string> = new Set<RelationalOperator>([
  '==',
  '!=',
  '===',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  '=~',
  'in',
  'nin',
  'contains',
  'subsetof',
  'anyof',
  'noneof',
  'size',
  'empty',
]);
