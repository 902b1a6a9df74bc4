/**
 * Checksum database records: the record text format, lookup response
 * bodies, and the go.sum lines a record must hold for one module version.
 *
 * formatRecord and parseRecord mirror golang.org/x/mod/sumdb/tlog note.go
 * (x/mod fe2ec04f, as vendored in go1.26). parseModuleRecord is gtc's own,
 * stricter than cmd/go: cmd/go (modfetch.checkSumDB) accepts a record with no
 * line for the module, and never looks at the other lines; gtc requires the
 * record to be exactly the two go.sum lines of the requested module version.
 *
 * A lookup body is `<id>\n<record text>\n<signed tree note>`, where the record
 * text is valid UTF-8 with no control characters but "\n", ends in "\n" and
 * has no blank line, so the first "\n\n" ends it.
 *
 * @module
 */

import { decodeBase64 } from "./_base64.ts";

const errMalformedRecord = "malformed record data";

/**
 * isValidRecordText reports whether text is syntactically valid record text:
 * UTF-8, no control characters but "\n", no blank line, ending in "\n".
 */
function isValidRecordText(text: Uint8Array): boolean {
  let s: string;
  try {
    // fatal: invalid UTF-8 is an error, as in Go; ignoreBOM: a BOM is text.
    s = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(text);
  } catch {
    return false;
  }
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 && c !== 0x0a) || (last === 0x0a && c === 0x0a)) return false;
    last = c;
  }
  return last === 0x0a;
}

/**
 * formatRecord formats a record for serving to a client in a lookup
 * response: the id, "\n", the text, and a terminating blank line.
 *
 * @throws {Error} "malformed record data" for invalid record text.
 */
export function formatRecord(id: number, text: Uint8Array): Uint8Array {
  if (!isValidRecordText(text)) throw new Error(errMalformedRecord);
  const head = new TextEncoder().encode(`${id}\n`);
  const msg = new Uint8Array(head.length + text.length + 1);
  msg.set(head);
  msg.set(text, head.length);
  msg[msg.length - 1] = 0x0a;
  return msg;
}

/** A ParsedRecord is a record parsed from the start of a lookup response. */
export interface ParsedRecord {
  /**
   * Record id (its index in the log). parseRecord takes what Go's
   * strconv.ParseInt takes, so it may be negative; the caller must check
   * 0 ≤ id < tree size before trusting it.
   */
  id: number;
  /** Record text, ending in "\n". */
  text: Uint8Array;
  /** Everything after the terminating blank line: in a lookup response, the signed tree note. */
  rest: Uint8Array;
}

/**
 * parseRecord parses a record at the start of msg, stopping immediately
 * after the terminating blank line.
 *
 * @throws {Error} "malformed record data" — also, unlike Go, for an id
 * beyond 2^53.
 *
 * @example Splitting a lookup response
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRecord } from "./record.ts";
 * const body = new TextEncoder().encode("12\nexample.com/m v1.0.0 h1:x\n\ngo.sum database tree\n…");
 * const r = parseRecord(body);
 * assert.equal(r.id, 12);
 * assert.equal(new TextDecoder().decode(r.rest), "go.sum database tree\n…");
 * ```
 */
export function parseRecord(msg: Uint8Array): ParsedRecord {
  // Leading record id.
  const i = msg.indexOf(0x0a);
  if (i < 0) throw new Error(errMalformedRecord);
  const idText = new TextDecoder().decode(msg.subarray(0, i));
  // strconv.ParseInt(s, 10, 64): optional sign, decimal digits.
  if (!/^[+-]?[0-9]+$/.test(idText)) throw new Error(errMalformedRecord);
  const id = Number(idText);
  if (!Number.isSafeInteger(id)) throw new Error(errMalformedRecord);
  const after = msg.subarray(i + 1);

  // Record text.
  let j = -1;
  for (let k = 0; k + 1 < after.length; k++) {
    if (after[k] === 0x0a && after[k + 1] === 0x0a) {
      j = k;
      break;
    }
  }
  if (j < 0) throw new Error(errMalformedRecord);
  const text = after.subarray(0, j + 1);
  if (!isValidRecordText(text)) throw new Error(errMalformedRecord);
  return { id, text, rest: after.subarray(j + 2) };
}

/** The go.sum hashes the checksum database records for one module version. */
export interface ModuleRecord {
  /** Module path, e.g. "golang.org/toolchain". */
  path: string;
  /** Module version, e.g. "v0.0.1-go1.21.9.linux-amd64". */
  version: string;
  /** h1: hash of the module zip, from the "<path> <version> h1:…" line. */
  zipHash: string;
  /** h1: hash of the go.mod file, from the "<path> <version>/go.mod h1:…" line. */
  modHash: string;
}

/** isH1 reports whether s is "h1:" and the base64 of exactly 32 bytes. */
function isH1(s: string): boolean {
  return s.startsWith("h1:") && s.length === 47 && decodeBase64(s.slice(3))?.length === 32;
}

/**
 * parseModuleRecord checks that record text holds exactly the two go.sum
 * lines of path@version — "<path> <version> h1:…" and
 * "<path> <version>/go.mod h1:…", in either order — and returns their hashes.
 * Any other line, a missing or repeated line, or a malformed hash is an
 * error: a record that says more or less than what was asked is not trusted.
 *
 * @throws {Error} "checksum database record for <path>@<version>: …".
 *
 * @example The record of a toolchain on sum.golang.org
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseModuleRecord } from "./record.ts";
 * const text = new TextEncoder().encode(
 *   "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64 h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=\n" +
 *     "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64/go.mod h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=\n",
 * );
 * const r = parseModuleRecord(text, "golang.org/toolchain", "v0.0.1-go1.21.9.linux-amd64");
 * assert.equal(r.zipHash, "h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=");
 * assert.throws(
 *   () => parseModuleRecord(text, "golang.org/toolchain", "v0.0.1-go1.21.9.linux-arm64"),
 *   /unexpected line 1/,
 * );
 * ```
 */
export function parseModuleRecord(
  text: Uint8Array,
  path: string,
  version: string,
): ModuleRecord {
  const fail = (detail: string) =>
    new Error(`checksum database record for ${path}@${version}: ${detail}`);
  if (!isValidRecordText(text)) throw fail(errMalformedRecord);
  const lines = new TextDecoder().decode(text).split("\n");
  lines.pop(); // the text ends in "\n"
  let zipHash: string | undefined;
  let modHash: string | undefined;
  for (const [i, line] of lines.entries()) {
    const f = line.split(" ");
    const isZip = f.length === 3 && f[0] === path && f[1] === version;
    const isMod = f.length === 3 && f[0] === path && f[1] === version + "/go.mod";
    if (!isZip && !isMod) throw fail(`unexpected line ${i + 1}: ${JSON.stringify(line)}`);
    if (!isH1(f[2])) throw fail(`malformed hash on line ${i + 1}: ${JSON.stringify(f[2])}`);
    if (isZip) {
      if (zipHash !== undefined) throw fail(`repeated line ${i + 1}: ${JSON.stringify(line)}`);
      zipHash = f[2];
    } else {
      if (modHash !== undefined) throw fail(`repeated line ${i + 1}: ${JSON.stringify(line)}`);
      modHash = f[2];
    }
  }
  if (zipHash === undefined) throw fail(`missing line "${path} ${version} h1:…"`);
  if (modHash === undefined) throw fail(`missing line "${path} ${version}/go.mod h1:…"`);
  return { path, version, zipHash, modHash };
}
