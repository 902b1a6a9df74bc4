/**
 * The "h1:" hash of a list of files, as recorded in go.sum and the checksum
 * database.
 *
 * Mirrors golang.org/x/mod/sumdb/dirhash Hash1 and HashZip (x/mod fe2ec04f,
 * as vendored in go1.26). A behaviour change here needs a failing table test
 * first: a different hash means a toolchain is refused, or the wrong one
 * accepted.
 *
 * h1 is "h1:" + base64(SHA-256(summary)), where the summary has one line per
 * file, sorted by file name in UTF-8 byte order:
 * `<lower-case hex SHA-256 of the content>  <name>\n` — as if by
 * `sha256sum $(find . -type f | sort) | sha256sum`.
 *
 * Hashing file contents is the caller's job when files are large (lib/host
 * hashes a streamed zip with node:crypto and passes hex digests to
 * hash1FromDigests); hash1 is the convenience over contents in memory.
 *
 * @module
 */

import { encodeBase64 } from "./_base64.ts";
import { Sha256, sha256, toHex, utf8 } from "./_sha256.ts";

/** A FileDigest names a file and the SHA-256 of its content. */
export interface FileDigest {
  /** File name as it appears in the summary, e.g. "golang.org/toolchain@v0.0.1-go1.21.9.linux-amd64/bin/go". */
  name: string;
  /** SHA-256 of the content: 64 lower-case hex digits. */
  sha256: string;
}

const errNewline = "dirhash: filenames with newlines are not supported";

/** compareUTF8 orders strings by their UTF-8 bytes, like Go's slices.Sort on strings. */
function compareUTF8(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * hash1FromDigests returns the h1: hash of files given their content
 * digests, in any order.
 *
 * A name listed twice gets the digest of its last listing on every line, as
 * HashZip does (it opens files by name through a map); module zip checks
 * reject duplicate names before this matters. Directory entries of a zip
 * ("dir/") are files here too, with the digest of empty content.
 *
 * @throws {Error} "dirhash: filenames with newlines are not supported", or a
 * digest that is not 64 lower-case hex digits.
 *
 * @example The hash of an empty go.mod, from its digest
 * ```ts
 * import assert from "node:assert/strict";
 * import { hash1FromDigests } from "./dirhash.ts";
 * const empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
 * assert.equal(
 *   hash1FromDigests([{ name: "go.mod", sha256: empty }]),
 *   "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=",
 * );
 * ```
 */
export function hash1FromDigests(files: Iterable<FileDigest>): string {
  const last = new Map<string, string>();
  const names: { name: string; key: Uint8Array }[] = [];
  for (const f of files) {
    if (!/^[0-9a-f]{64}$/.test(f.sha256)) {
      throw new Error(`dirhash: invalid SHA-256 digest ${JSON.stringify(f.sha256)} for ${f.name}`);
    }
    last.set(f.name, f.sha256);
    names.push({ name: f.name, key: utf8(f.name) });
  }
  names.sort((a, b) => compareUTF8(a.key, b.key));
  const h = new Sha256();
  for (const { name } of names) {
    // Checked in sorted order, as Go does, so the first offending name is the same.
    if (name.includes("\n")) throw new Error(errNewline);
    h.update(utf8(`${last.get(name)}  ${name}\n`));
  }
  return "h1:" + encodeBase64(h.digest());
}

/**
 * hash1 returns the h1: hash of the named files, reading each through open.
 * It mirrors Go's dirhash.Hash1 for contents held in memory.
 *
 * @throws {Error} "dirhash: filenames with newlines are not supported", or
 * whatever open throws.
 *
 * @example x/mod's TestHash1
 * ```ts
 * import assert from "node:assert/strict";
 * import { hash1 } from "./dirhash.ts";
 * const open = (name: string) => new TextEncoder().encode("data for " + name);
 * assert.equal(hash1(["xyz", "abc"], open), "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=");
 * assert.throws(() => hash1(["xyz", "a\nbc"], open), /filenames with newlines/);
 * ```
 */
export function hash1(files: readonly string[], open: (name: string) => Uint8Array): string {
  // Sorted first so that files are opened, and a newline found, in Go's order.
  const sorted = files.map((name) => ({ name, key: utf8(name) }));
  sorted.sort((a, b) => compareUTF8(a.key, b.key));
  const digests: FileDigest[] = [];
  for (const { name } of sorted) {
    if (name.includes("\n")) throw new Error(errNewline);
    digests.push({ name, sha256: toHex(sha256(open(name))) });
  }
  return hash1FromDigests(digests);
}

/**
 * hashGoMod returns the h1: hash of a go.mod file's content, as recorded in
 * the "<path> <version>/go.mod h1:…" line: Hash1 over the single file
 * "go.mod".
 *
 * @example A toolchain module's go.mod
 * ```ts
 * import assert from "node:assert/strict";
 * import { hashGoMod } from "./dirhash.ts";
 * const gomod = new TextEncoder().encode("module golang.org/toolchain\n");
 * assert.equal(hashGoMod(gomod), "h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=");
 * ```
 */
export function hashGoMod(data: Uint8Array): string {
  return hash1(["go.mod"], () => data);
}
