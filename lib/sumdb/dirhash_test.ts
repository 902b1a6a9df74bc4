// Ported from golang.org/x/mod/sumdb/dirhash/hash_test.go (x/mod 77d797e6).
// TestHashDir and TestHashZip become in-memory file lists: reading
// directories and zips is lib/host's job. Extra vectors were computed with
// Go 1.26 (slices.Sort + crypto/sha256, as Hash1).

import assert from "node:assert/strict";
import { sha256, toHex, utf8 } from "./_sha256.ts";
import { type FileDigest, hash1, hash1FromDigests, hashGoMod } from "./dirhash.ts";

function h(s: string): string {
  return toHex(sha256(utf8(s)));
}

function htop(k: string, s: string): string {
  return k + ":" + sha256(utf8(s)).toBase64();
}

const open = (name: string) => utf8("data for " + name);

Deno.test("TestHash1: hash1 over two files, and newlines rejected", () => {
  const want = htop("h1", `${h("data for abc")}  abc\n${h("data for xyz")}  xyz\n`);
  assert.equal(hash1(["xyz", "abc"], open), want);
  assert.equal(want, "h1:EP6WfDoQTSk9klnxcjriWJOGztueJUywHNmWeq+efB8=");
  assert.throws(() => hash1(["xyz", "a\nbc"], open), {
    message: "dirhash: filenames with newlines are not supported",
  });
});

Deno.test("TestHashDir: names carry the prefix, contents do not", () => {
  // HashDir(dir, "prefix", Hash1) names files prefix/<rel> and reads <rel>.
  const files: Record<string, string> = { xyz: "data for xyz", abc: "data for abc" };
  const got = hash1(
    Object.keys(files).map((f) => "prefix/" + f),
    (name) => utf8(files[name.slice("prefix/".length)]),
  );
  const want = htop(
    "h1",
    `${h("data for abc")}  prefix/abc\n${h("data for xyz")}  prefix/xyz\n`,
  );
  assert.equal(got, want);
  assert.equal(got, "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=");
});

Deno.test("TestHashZip: entries in zip order hash as sorted digests", () => {
  // The zip has prefix/xyz then prefix/abc; order in the archive does not matter.
  const entries: FileDigest[] = [
    { name: "prefix/xyz", sha256: h("data for xyz") },
    { name: "prefix/abc", sha256: h("data for abc") },
  ];
  assert.equal(hash1FromDigests(entries), "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=");
  assert.equal(
    hash1FromDigests(entries.toReversed()),
    "h1:rLyfpGMAgqOnGE2aKOY5Xb6cOc0/YQhPjHBHBwkblhs=",
  );
});

// hash1Tests: [name, files, want]; contents are "data for <name>", except
// directory entries ("…/"), which are empty as in a zip. Wants from Go 1.26.
const hash1Tests: [string, string[], string][] = [
  [
    // UTF-8 order puts U+FFFF before U+10000; UTF-16 order (JS's default sort)
    // would not. Directory entries are hashed like files.
    "UTF-8 byte order and a directory entry",
    ["\uffff", "\u{10000}", "a", "Z", "é", "dir/"],
    "h1:CjpJ4T/FAY8B1zKIvBPqxXYsIN6joN6n9XLafZySFFM=",
  ],
  ["no files", [], "h1:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
];

Deno.test("hash1() matches Go on ordering edge cases", async (t) => {
  const content = (n: string) => utf8(n.endsWith("/") ? "" : "data for " + n);
  for (const [name, files, want] of hash1Tests) {
    await t.step(`hash1(${name}) = ${want}`, () => {
      assert.equal(hash1(files, content), want);
      assert.equal(
        hash1FromDigests(files.map((f) => ({ name: f, sha256: toHex(sha256(content(f))) }))),
        want,
      );
    });
  }
});

Deno.test("hashGoMod() matches go.sum's /go.mod hashes", () => {
  assert.equal(
    hashGoMod(utf8("module golang.org/toolchain\n")),
    "h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=",
  );
  // cmd/go drops go.sum lines with this hash (an empty go.mod).
  assert.equal(hashGoMod(new Uint8Array()), "h1:G7mAYYxgmS0lVkHyy2hEOLQCFB0DlQFTMLWggykrydY=");
});

// Must-reject rows for hash1FromDigests.
const badDigests: [string, FileDigest[], RegExp][] = [
  ["newline in name", [{ name: "a\nb", sha256: h("") }], /filenames with newlines/],
  ["upper-case digest", [{ name: "a", sha256: h("").toUpperCase() }], /invalid SHA-256 digest/],
  ["short digest", [{ name: "a", sha256: h("").slice(1) }], /invalid SHA-256 digest/],
  ["long digest", [{ name: "a", sha256: h("") + "0" }], /invalid SHA-256 digest/],
  ["non-hex digest", [{ name: "a", sha256: "g" + h("").slice(1) }], /invalid SHA-256 digest/],
  ["empty digest", [{ name: "a", sha256: "" }], /invalid SHA-256 digest/],
];

Deno.test("hash1FromDigests() rejects bad input", async (t) => {
  for (const [name, files, want] of badDigests) {
    await t.step(`hash1FromDigests(${name}) fails`, () => {
      assert.throws(() => hash1FromDigests(files), want);
    });
  }
});

Deno.test("hash1FromDigests() uses the last digest of a duplicated name, like HashZip", () => {
  const files: FileDigest[] = [
    { name: "a", sha256: h("one") },
    { name: "a", sha256: h("two") },
  ];
  assert.equal(
    hash1FromDigests(files),
    htop("h1", `${h("two")}  a\n${h("two")}  a\n`),
  );
});

Deno.test("hash1() changes with any content, name or file set change", () => {
  const base = hash1(["a", "b"], open);
  assert.notEqual(hash1(["a", "b", "c"], open), base);
  assert.notEqual(hash1(["a"], open), base);
  assert.notEqual(hash1(["a", "c"], open), base);
  assert.notEqual(hash1(["a", "b"], (n) => utf8("data for " + n + " ")), base);
});
