/**
 * Zip entry names are bytes; Go keeps them as (possibly invalid UTF-8)
 * strings. gtc decodes them with "surrogate escapes": valid UTF-8 becomes
 * characters, and each byte that is not part of a valid sequence becomes the
 * lone surrogate U+DC00+byte. Such a name is invalid UTF-8 to every check, and
 * quote() prints those bytes as Go's %q does (\xNN).
 *
 * @module
 */

import { goQuote } from "../_internal/go_quote.ts";

const fatal = new TextDecoder("utf-8", { fatal: true });
const ascii = new TextDecoder("utf-8", { ignoreBOM: true });

/** decodeName turns zip name bytes into a string, escaping invalid bytes as U+DC80–U+DCFF. */
export function decodeName(b: Uint8Array): string {
  let isAscii = true;
  for (let i = 0; i < b.length; i++) {
    if (b[i] >= 0x80) {
      isAscii = false;
      break;
    }
  }
  // One native call: String.fromCharCode(...b) spread every byte into an
  // argument list, and reading a toolchain's 11,500 names that way took
  // seconds of garbage collection and left the heap ~20 MB larger.
  if (isAscii) return ascii.decode(b);
  try {
    return fatal.decode(b);
  } catch {
    // Fall through to the byte-wise decoder.
  }
  let out = "";
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const n = c < 0x80
      ? 1
      : c >= 0xc2 && c < 0xe0
      ? 2
      : c >= 0xe0 && c < 0xf0
      ? 3
      : c >= 0xf0 && c < 0xf5
      ? 4
      : 0;
    if (n === 1) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    if (n > 1 && i + n <= b.length) {
      try {
        out += fatal.decode(b.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        // an invalid sequence: escape its first byte
      }
    }
    out += String.fromCharCode(0xdc00 + c);
    i++;
  }
  return out;
}

/** isValidUTF8 reports whether s holds no escaped byte (and no other lone surrogate). */
export function isValidUTF8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return false;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** quote is Go's %q of the string decodeName produced: escaped bytes print as \xNN. */
export function quote(s: string): string {
  if (isValidUTF8(s)) return goQuote(s);
  let out = '"';
  let run = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length &&
      s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
    if (pair) {
      run += s.slice(i, i + 2);
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      out += goQuote(run).slice(1, -1);
      run = "";
      out += c >= 0xdc80 && c <= 0xdcff
        ? "\\x" + (c - 0xdc00).toString(16).padStart(2, "0")
        : "\\ufffd";
    } else {
      run += s[i];
    }
  }
  return out + goQuote(run).slice(1, -1) + '"';
}

/**
 * encodeName turns a decoded name back into its bytes (escaped bytes restored),
 * so that hashes cover the name exactly as stored in the zip.
 */
export function encodeName(s: string): Uint8Array {
  if (isValidUTF8(s)) return new TextEncoder().encode(s);
  const out: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (
      c >= 0xdc80 && c <= 0xdcff &&
      !(i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)
    ) {
      out.push(c - 0xdc00);
    } else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      out.push(...enc.encode(String.fromCodePoint(cp)));
    }
  }
  return Uint8Array.from(out);
}
