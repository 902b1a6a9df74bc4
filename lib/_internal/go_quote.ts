/**
 * goQuote quotes s the way Go's %q verb (strconv.Quote) does, so messages the
 * go command prints can be reproduced byte for byte.
 *
 * @example
 * ```ts
 * import { assertEquals } from "node:assert/strict";
 * import { goQuote } from "./go_quote.ts";
 * assertEquals(goQuote("go1.2\t\"x\""), '"go1.2\\t\\"x\\""');
 * assertEquals(goQuote("é"), '"é"');
 * ```
 *
 * @module
 */

export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case "\\":
        out += "\\\\";
        continue;
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      // A lone surrogate is invalid UTF-8 to Go.
      out += "\\ufffd";
    } else if (isPrint(c)) {
      out += ch;
    } else if (c < 0x80) {
      out += "\\x" + c.toString(16).padStart(2, "0");
    } else if (c < 0x10000) {
      out += "\\u" + c.toString(16).padStart(4, "0");
    } else {
      out += "\\U" + c.toString(16).padStart(8, "0");
    }
  }
  return out + '"';
}

// isPrint approximates unicode.IsPrint: letters, marks, numbers, punctuation,
// symbols and the ASCII space.
function isPrint(c: number): boolean {
  if (c < 0x20 || c === 0x7f) return false;
  if (c < 0x7f) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(c));
}
