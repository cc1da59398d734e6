/**
 * AWS "Writing JSONata expressions in JSON strings": a string is a JSONata expression when it starts with `{%`
 * (no leading space) and ends with `%}` (no trailing space). Anything else is a literal string.
 */

export function isJsonataExpression(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 4 && value.startsWith('{%') && value.endsWith('%}');
}

/** The expression between the delimiters, trimmed, as AWS quotes it in causes ("The JSONata expression '$x' ..."). */
export function jsonataExpressionBody(value: string): string {
  return isJsonataExpression(value) ? value.slice(2, -2).trim() : value;
}
