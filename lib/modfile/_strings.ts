/**
 * Go's notions of white space and printable runes, as the go.mod lexer and
 * GoModLookup use them. JavaScript's trim() and \s differ from Go: they trim
 * U+FEFF and do not trim U+0085, so the go.mod readers must not use them.
 *
 * @module
 */

/**
 * isSpace reports whether the code point c is white space to Go's
 * unicode.IsSpace: '\t', '\n', '\v', '\f', '\r', ' ', U+0085, U+00A0 and the
 * Unicode White_Space property above Latin-1.
 */
export function isSpace(c: number): boolean {
  if (c <= 0xff) {
    return c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d ||
      c === 0x20 || c === 0x85 || c === 0xa0;
  }
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000;
}

/**
 * isPrint reports whether the code point c is printable to Go's
 * unicode.IsPrint (Go's own Unicode 15.0 tables, not the JS engine's).
 */
export { isPrint } from "../_internal/go_isprint.ts";

/** trimSpace mirrors Go's strings.TrimSpace: it removes leading and trailing isSpace runes. */
export function trimSpace(s: string): string {
  let i = 0;
  let j = s.length;
  while (i < j) {
    const c = s.codePointAt(i)!;
    if (!isSpace(c)) break;
    i += c > 0xffff ? 2 : 1;
  }
  while (j > i) {
    // Every Go space is in the BMP, so one UTF-16 unit is one rune here.
    if (!isSpace(s.charCodeAt(j - 1))) break;
    j--;
  }
  return s.slice(i, j);
}
