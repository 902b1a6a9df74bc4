/**
 * The quick scan the go command uses at startup to read the go and toolchain
 * lines, before and instead of the real parser.
 *
 * Mirrors cmd/go/internal/gover/gomod.go GoModLookup (go1.26). A behaviour
 * change here needs a failing table or differential test first: toolchain
 * selection reads go.mod and go.work only through this scan.
 *
 * @module
 */

import { trimSpace } from "./_strings.ts";

/** A Lookup is the value goModLookup found and the line it came from. */
export interface Lookup {
  /** The text after the key, cut at the first "//" and trimmed; may be "". */
  value: string;
  /** The 1-based line number of the matching line. */
  line: number;
}

/**
 * goModLookup finds the first line of go.mod or go.work content that starts
 * with key followed by a space or tab, and returns the rest of that line, cut
 * at the first "//" and trimmed.
 *
 * This is not the go.mod parser: lines are split at "\n" and trimmed of Go
 * white space (which strips "\r" and also U+0085 and U+00A0), there is no
 * quoting, no block syntax and no validation, and the first match wins even if
 * a later line would be the one the parser complains about. A line that is
 * just the key ("go" or "go // x") does not match; "go  //x" matches with the
 * value "". Go returns "" both for a missing key and for an empty value; the
 * line number here tells them apart.
 *
 * @param data the file's contents, as text or as UTF-8 bytes (a byte order
 *   mark is kept, as Go keeps it: a line starting with one does not match)
 * @param key a non-factored verb, normally "go" or "toolchain"
 * @returns the value and its line, or undefined when no line matches
 *
 * @example The go and toolchain lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { goModLookup } from "./lookup.ts";
 * const data = "module m\r\n\r\ngo 1.22 // language\r\ntoolchain\tgo1.22.3\r\n";
 * assert.deepEqual(goModLookup(data, "go"), { value: "1.22", line: 3 });
 * assert.deepEqual(goModLookup(data, "toolchain"), { value: "go1.22.3", line: 4 });
 * assert.equal(goModLookup(data, "godebug"), undefined);
 * const bytes = new TextEncoder().encode(data);
 * assert.deepEqual(goModLookup(bytes, "toolchain"), { value: "go1.22.3", line: 4 });
 * ```
 */
export function goModLookup(data: string | Uint8Array, key: string): Lookup | undefined {
  if (typeof data !== "string") {
    if ([...key].every((c) => c < "\x80")) return lookupBytes(data, key);
    data = lineDecoder.decode(data);
  }
  let start = 0;
  let line = 0;
  while (start < data.length) {
    line++;
    let nl = data.indexOf("\n", start);
    if (nl < 0) nl = data.length;
    const v = parseKey(trimSpace(data.slice(start, nl)), key);
    if (v !== undefined) return { value: v, line };
    start = nl + 1;
  }
  return undefined;
}

// Go keeps a byte order mark: it is not white space, so not trimmed.
const lineDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

// lookupBytes is goModLookup on bytes, for an ASCII key. It decodes only the
// lines that could match (so a file of millions of other lines is never
// turned into a string): those whose first byte after ASCII white space is
// the key's first byte, or is not ASCII (it may begin Unicode white space).
function lookupBytes(data: Uint8Array, key: string): Lookup | undefined {
  const k0 = key.charCodeAt(0);
  const n = data.length;
  let start = 0;
  let line = 0;
  while (start < n) {
    line++;
    let j = start;
    for (; j < n; j++) {
      const c = data[j];
      if (c === 0x0a || (c !== 0x20 && (c < 0x09 || c > 0x0d))) break;
    }
    // A loop, not indexOf: one call per line costs more than the scan.
    let end = j;
    while (end < n && data[end] !== 0x0a) end++;
    if (j < end && (data[j] === k0 || data[j] >= 0x80)) {
      const v = parseKey(trimSpace(lineDecoder.decode(data.subarray(start, end))), key);
      if (v !== undefined) return { value: v, line };
    }
    start = end + 1;
  }
  return undefined;
}

// parseKey mirrors gover.parseKey.
function parseKey(line: string, key: string): string | undefined {
  if (!line.startsWith(key)) return undefined;
  let s = line.slice(key.length);
  if (s.length === 0 || (s[0] !== " " && s[0] !== "\t")) return undefined;
  const i = s.indexOf("//"); // strip comments
  if (i >= 0) s = s.slice(0, i);
  return trimSpace(s);
}
