/**
 * StringMatches: "String comparison against patterns with one or more wildcards ("*") can be performed with the
 * StringMatches comparison operator. The wildcard character is escaped by using the standard \\ (Ex: "\\*").
 * No characters other than "*" have any special meaning during matching." (AWS developer guide, Choice state).
 *
 * In the pattern's string value (after JSON decoding): `*` matches any run of characters (also none), `\*` is a
 * literal star, `\\` a literal backslash; a backslash before any other character (or at the end) stands for
 * itself. The whole value must match. Matching walks code points and backtracks only to the last `*`, so it is
 * linear-ish and never builds a regular expression from user text.
 */

type Token = { readonly star: true } | { readonly star: false; readonly char: string };

function tokenize(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    if (c === '\\' && (next === '*' || next === '\\')) {
      tokens.push({ star: false, char: next });
      i++;
    } else if (c === '*') {
      tokens.push({ star: true });
    } else {
      tokens.push({ star: false, char: c });
    }
  }
  return tokens;
}

export function stringMatches(value: string, pattern: string): boolean {
  const tokens = tokenize(pattern);
  const chars = Array.from(value);
  let t = 0;
  let v = 0;
  let lastStar = -1; // index of the token after the last star seen
  let starFrom = 0; // value position that star is currently absorbing up to
  while (v < chars.length) {
    const token = tokens[t];
    if (token && token.star) {
      lastStar = ++t;
      starFrom = v;
    } else if (token && token.char === chars[v]) {
      t++;
      v++;
    } else if (lastStar >= 0) {
      t = lastStar;
      v = ++starFrom;
    } else {
      return false;
    }
  }
  while (t < tokens.length && tokens[t]?.star) t++;
  return t === tokens.length;
}
