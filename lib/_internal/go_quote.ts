/**
 * goQuote quotes s the way Go's %q verb (strconv.Quote) does, so messages the
 * go command prints can be reproduced byte for byte.
 *
 * Which code points print as themselves follows Go's own tables
 * (go_isprint.ts, Unicode 15.0.0 in go1.26), not the JS engine's Unicode
 * version. A lone surrogate, which a Go string cannot hold as such, is written
 * \ufffd, as strconv.QuoteRune writes an invalid rune.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { goQuote } from "./go_quote.ts";
 * assert.equal(goQuote("go1.2\t\"x\""), '"go1.2\\t\\"x\\""');
 * assert.equal(goQuote("é"), '"é"');
 * ```
 *
 * @module
 */

import { isPrint } from "./go_isprint.ts";

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
