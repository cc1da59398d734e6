/**
 * AWS rejects a definition whose JSONata expression does not parse (INVALID_JSONATA_EXPRESSION), with the
 * parser's message and no error code, e.g. `Expected "]", got ","` or "Unexpected end of expression".
 */
import { compileJsonata } from './compile.js';
import { jsonataExpressionBody } from './expression.js';

/** null when the expression (with or without its `{% %}` delimiters) parses, otherwise the parser's message. */
export function jsonataSyntaxProblem(expression: string): string | null {
  try {
    compileJsonata(jsonataExpressionBody(expression));
    return null;
  } catch (e) {
    const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : String(e);
  }
}
