/**
 * StringMatches: "String comparison against patterns with one or more wildcards ("*") can be performed with the
 * StringMatches comparison operator. The wildcard character is escaped by using the standard \\ (Ex: "\\*").
 * No characters other than "*" have any special meaning during matching." (AWS developer guide, Choice state).
 *
 * In the pattern's string value (after JSON decoding): `*` matches any run of characters (also none), `\*` is a
 * literal star, `\\` a literal backslash; a backslash before any other character (or at the end) stands for
 * itself. The whole value must match. Matching is linear in the lengths of the value and the pattern, whatever
 * they hold (a backtracking matcher takes seconds on 64k characters): the literal pieces between stars are
 * matched in order, the first at the start, the last at the end, each middle one at its leftmost place after the
 * previous one (leftmost is always right when the only wildcard is `*`), found by Knuth-Morris-Pratt.
 */

type CodePoints = readonly number[];

const codePoints = (s: string): number[] => Array.from(s, (c) => c.codePointAt(0)!);

/** The literal pieces of the pattern between its unescaped stars (one piece when it has no star). */
function pieces(pattern: string): number[][] {
  const chars = codePoints(pattern);
  const out: number[][] = [[]];
  const STAR = 0x2a, BACKSLASH = 0x5c;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const next = chars[i + 1];
    if (c === BACKSLASH && (next === STAR || next === BACKSLASH)) {
      out[out.length - 1]!.push(next);
      i++;
    } else if (c === STAR) {
      out.push([]);
    } else {
      out[out.length - 1]!.push(c);
    }
  }
  return out;
}

function equalAt(value: CodePoints, at: number, piece: CodePoints): boolean {
  for (let i = 0; i < piece.length; i++) if (value[at + i] !== piece[i]) return false;
  return true;
}

/** First index in value[from, to) where `piece` starts, or -1 (Knuth-Morris-Pratt: O(to - from + piece)). */
function indexOf(value: CodePoints, piece: CodePoints, from: number, to: number): number {
  if (piece.length === 0) return from;
  const failure = new Int32Array(piece.length);
  for (let i = 1, k = 0; i < piece.length; i++) {
    while (k > 0 && piece[i] !== piece[k]) k = failure[k - 1]!;
    if (piece[i] === piece[k]) k++;
    failure[i] = k;
  }
  for (let i = from, k = 0; i < to; i++) {
    while (k > 0 && value[i] !== piece[k]) k = failure[k - 1]!;
    if (value[i] === piece[k]) k++;
    if (k === piece.length) return i - piece.length + 1;
  }
  return -1;
}

export function stringMatches(value: string, pattern: string): boolean {
  const parts = pieces(pattern);
  const chars = codePoints(value);
  const first = parts[0]!;
  if (parts.length === 1) return chars.length === first.length && equalAt(chars, 0, first);
  const last = parts[parts.length - 1]!;
  if (chars.length < first.length + last.length) return false;
  if (!equalAt(chars, 0, first) || !equalAt(chars, chars.length - last.length, last)) return false;
  let at = first.length;
  const end = chars.length - last.length;
  for (let p = 1; p < parts.length - 1; p++) {
    const piece = parts[p]!;
    const found = indexOf(chars, piece, at, end);
    if (found < 0) return false;
    at = found + piece.length;
  }
  return true;
}
