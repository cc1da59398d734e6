/**
 * Every JSONata expression is parsed here, with the linear-time regular-expression engine. jsonata 2.0.6 keeps
 * the engine in a module-wide setting that each `jsonata(...)` call overwrites (RegExp when the option is absent),
 * so a single call without the option would put the backtracking engine back for every expression.
 */
import jsonata from 'jsonata';
import { LinearRegExp } from '../linear-regex.js';

const options = { RegexEngine: LinearRegExp as unknown as RegExp };

export function compileJsonata(expression: string): jsonata.Expression {
  return jsonata(expression, options);
}
