/**
 * The parts of Go's strconv that the go.mod reader uses: Unquote (for quoted
 * module paths and versions) and QuoteRune (for the "unexpected input
 * character" message).
 *
 * Go strings are bytes; these work on JavaScript strings. A "\xff" escape
 * yields a byte that is not valid UTF-8 on its own; here it decodes to U+FFFD.
 *
 * @module
 */

import { isPrint } from "./_strings.ts";

/** ErrSyntax is strconv.ErrSyntax's text. */
export const errSyntax = "invalid syntax";

const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
const encoder = new TextEncoder();

/**
 * unquote mirrors strconv.Unquote for "..." and `...` literals: it returns the
 * string's value, or undefined where Go returns strconv.ErrSyntax.
 */
export function unquote(s: string): string | undefined {
  if (s.length < 2) return undefined;
  const quote = s[0];
  if (quote === "`") {
    // A raw string: no escapes, no backquote inside, '\r' dropped.
    const end = s.indexOf("`", 1);
    if (end !== s.length - 1) return undefined;
    return s.slice(1, end).replaceAll("\r", "");
  }
  if (quote !== '"') return undefined;
  const out: number[] = [];
  let i = 1;
  while (i < s.length && s[i] !== quote) {
    if (s[i] === "\n") return undefined;
    const r = unquoteChar(s, i, out);
    if (r === undefined) return undefined;
    i = r;
  }
  // The closing quote must be the last character.
  if (i !== s.length - 1) return undefined;
  return decoder.decode(new Uint8Array(out));
}

// unquoteChar mirrors strconv.UnquoteChar(s[i:], '"'): it appends the bytes of
// one (possibly escaped) character to out and returns the index after it.
function unquoteChar(s: string, i: number, out: number[]): number | undefined {
  const c = s[i];
  if (c === '"') return undefined;
  if (c !== "\\") {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out.push(...encoder.encode(ch));
    return i + ch.length;
  }
  if (i + 1 >= s.length) return undefined;
  const e = s[i + 1];
  i += 2;
  switch (e) {
    case "a":
      out.push(0x07);
      return i;
    case "b":
      out.push(0x08);
      return i;
    case "f":
      out.push(0x0c);
      return i;
    case "n":
      out.push(0x0a);
      return i;
    case "r":
      out.push(0x0d);
      return i;
    case "t":
      out.push(0x09);
      return i;
    case "v":
      out.push(0x0b);
      return i;
    case "x":
    case "u":
    case "U": {
      const n = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = s.slice(i, i + n);
      if (hex.length < n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const v = parseInt(hex, 16);
      if (e === "x") {
        // A single byte, not a rune.
        out.push(v);
        return i + n;
      }
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return undefined;
      out.push(...encoder.encode(String.fromCodePoint(v)));
      return i + n;
    }
    case "0":
    case "1":
    case "2":
    case "3":
    case "4":
    case "5":
    case "6":
    case "7": {
      const oct = s.slice(i - 1, i + 2);
      if (oct.length < 3 || !/^[0-7]{3}$/.test(oct)) return undefined;
      const v = parseInt(oct, 8);
      if (v > 255) return undefined;
      out.push(v);
      return i + 2;
    }
    case "\\":
      out.push(0x5c);
      return i;
    case '"':
      out.push(0x22);
      return i;
    default:
      // Includes "\'", which is valid only in a rune literal.
      return undefined;
  }
}

/** quoteRune mirrors strconv.QuoteRune: a single-quoted Go rune literal. */
export function quoteRune(r: number): string {
  switch (r) {
    case 0x27:
      return "'\\''";
    case 0x5c:
      return "'\\\\'";
    case 0x07:
      return "'\\a'";
    case 0x08:
      return "'\\b'";
    case 0x0c:
      return "'\\f'";
    case 0x0a:
      return "'\\n'";
    case 0x0d:
      return "'\\r'";
    case 0x09:
      return "'\\t'";
    case 0x0b:
      return "'\\v'";
  }
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) r = 0xfffd;
  if (isPrint(r)) return `'${String.fromCodePoint(r)}'`;
  if (r < 0x20 || r === 0x7f) return `'\\x${hex(r, 2)}'`;
  if (r < 0x10000) return `'\\u${hex(r, 4)}'`;
  return `'\\U${hex(r, 8)}'`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}
