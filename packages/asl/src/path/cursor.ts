/** A read position over a path or filter text, with the look-ahead helpers Jayway's compilers use. */
export class Cursor {
  pos = 0;
  constructor(readonly text: string) {}

  get length(): number {
    return this.text.length;
  }
  inBounds(i = this.pos): boolean {
    return i >= 0 && i < this.text.length;
  }
  char(i = this.pos): string {
    return this.text[i] ?? '';
  }
  is(c: string, i = this.pos): boolean {
    return this.text[i] === c;
  }
  atTail(): boolean {
    return this.pos >= this.text.length;
  }
  /** Index of the next non-blank character at or after `from`, or -1. */
  nextSignificantIndex(from = this.pos + 1): number {
    let i = from;
    while (i < this.text.length && this.text[i] === ' ') i++;
    return i < this.text.length ? i : -1;
  }
  nextSignificantChar(from = this.pos + 1): string {
    const i = this.nextSignificantIndex(from);
    return i < 0 ? '' : this.text[i]!;
  }
  /** Index of the next significant `c` after `from`, only if the first significant character is `c`. */
  indexOfNextSignificant(c: string, from = this.pos): number {
    const i = this.nextSignificantIndex(from + 1);
    return i >= 0 && this.text[i] === c ? i : -1;
  }
  skipBlanks(): this {
    while (this.pos < this.text.length && this.text[this.pos] === ' ') this.pos++;
    return this;
  }
}
