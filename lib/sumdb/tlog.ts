/**
 * A tamper-evident log: record and tree hashes, stored-hash indexes,
 * inclusion and consistency proofs, and the signed tree description.
 *
 * Mirrors golang.org/x/mod/sumdb/tlog tlog.go and note.go (x/mod fe2ec04f,
 * as vendored in go1.26), which follow Certificate Transparency (RFC 6962);
 * proofs are compatible with it (see the Argon 2020 test). A behaviour change
 * here needs a failing table test first.
 *
 * Everything is synchronous except what reads hashes through a HashReader,
 * which may be backed by the network: the async boundary is one await per
 * call, around one readHashes request.
 *
 * Sizes and indexes are JS numbers where Go uses int64. They are exact up to
 * 2^53 (Number.MAX_SAFE_INTEGER); sum.golang.org holds about 2^26 records.
 * Shifts are written as multiplications and divisions by powers of two,
 * because JS bit operators truncate to 32 bits.
 *
 * @module
 */

import { decodeBase64, encodeBase64 } from "./_base64.ts";
import { sha256, utf8 } from "./_sha256.ts";

/** A Hash is a 32-byte SHA-256 hash identifying a log record or tree root. */
export type Hash = Uint8Array;

/** HashSize is the size of a Hash in bytes. */
export const HashSize = 32;

/** shl returns n·2^k (Go's n << k) without 32-bit truncation. */
export function shl(n: number, k: number): number {
  return n * 2 ** k;
}

/** shr returns ⌊n / 2^k⌋ (Go's n >> k for n ≥ 0) without 32-bit truncation. */
export function shr(n: number, k: number): number {
  return Math.floor(n / 2 ** k);
}

function trailingZeros(n: number): number {
  let z = 0;
  for (; n > 0 && n % 2 === 0; n /= 2) z++;
  return z;
}

/** hashEqual reports whether a and b hold the same bytes. */
export function hashEqual(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * parseHash parses the base64-encoded string form of a hash.
 *
 * @throws {Error} "malformed hash".
 */
export function parseHash(s: string): Hash {
  const h = decodeBase64(s);
  if (h === undefined || h.length !== HashSize) throw new Error("malformed hash");
  return h;
}

/** maxpow2 returns k, the largest power of 2 smaller than n, and l = log₂ k. */
function maxpow2(n: number): [number, number] {
  let l = 0;
  while (2 ** (l + 1) < n) l++;
  return [2 ** l, l];
}

/**
 * recordHash returns the content hash for the given record data:
 * SHA-256(0x00 ‖ data) (RFC 6962 §2.1).
 */
export function recordHash(data: Uint8Array): Hash {
  return sha256(new Uint8Array([0x00]), data);
}

/**
 * nodeHash returns the hash for an interior tree node with the given left and
 * right hashes: SHA-256(0x01 ‖ left ‖ right) (RFC 6962 §2.1).
 */
export function nodeHash(left: Hash, right: Hash): Hash {
  const buf = new Uint8Array(1 + 2 * HashSize);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + HashSize);
  return sha256(buf);
}

// For the stored hash index ordering, see section 3.3 of Crosby and Wallach,
// "Efficient Data Structures for Tamper-Evident Logging".

/**
 * storedHashIndex maps the tree coordinates (level, n) to a dense linear
 * ordering that can be used for hash storage.
 *
 * @example Level 1's first hash follows records 0 and 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitStoredHashIndex, storedHashIndex } from "./tlog.ts";
 * assert.equal(storedHashIndex(1, 0), 2);
 * assert.deepEqual(splitStoredHashIndex(2), [1, 0]);
 * ```
 */
export function storedHashIndex(level: number, n: number): number {
  // Level L's n'th hash is written right after level L+1's 2n+1'th hash.
  // Work our way down to the level 0 ordering.
  // We'll add back the original level count at the end.
  for (let l = level; l > 0; l--) n = 2 * n + 1;

  // Level 0's n'th hash is written at n+n/2+n/4+... (eventually n/2ⁱ hits zero).
  let i = 0;
  for (; n > 0; n = shr(n, 1)) i += n;
  return i + level;
}

/**
 * splitStoredHashIndex is the inverse of storedHashIndex: it returns
 * [level, n] such that storedHashIndex(level, n) === index.
 */
export function splitStoredHashIndex(index: number): [number, number] {
  // Determine level 0 record before index.
  // storedHashIndex(0, n) < 2*n,
  // so the n we want is in [index/2, index/2+log₂(index)].
  let n = shr(index, 1);
  let indexN = storedHashIndex(0, n);
  if (indexN > index) throw new Error("internal error: tlog: bad math");
  for (;;) {
    // Each new record n adds 1 + trailingZeros(n) hashes.
    const x = indexN + 1 + trailingZeros(n + 1);
    if (x > index) break;
    n++;
    indexN = x;
  }
  // The hash we want was committed with record n,
  // meaning it is one of (0, n), (1, n/2), (2, n/4), ...
  const level = index - indexN;
  return [level, shr(n, level)];
}

/** storedHashCount returns the number of stored hashes for a tree with n records. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  // The tree will have the hashes up to the last leaf hash.
  let numHash = storedHashIndex(0, n - 1) + 1;
  // And it will have any hashes for subtrees completed by that leaf.
  for (let i = n - 1; i % 2 === 1; i = shr(i, 1)) numHash++;
  return numHash;
}

/** A HashReader can read hashes for nodes in the log's tree structure. */
export interface HashReader {
  /**
   * readHashes returns the hashes with the given stored hash indexes (see
   * storedHashIndex). It must return exactly one hash per index, or throw.
   * It may run faster if indexes is sorted in increasing order. It may
   * answer synchronously.
   */
  readHashes(indexes: readonly number[]): Hash[] | Promise<Hash[]>;
}

async function readExactly(r: HashReader, indexes: readonly number[]): Promise<Hash[]> {
  const hashes = await r.readHashes(indexes);
  if (hashes.length !== indexes.length) {
    throw new Error(`tlog: ReadHashes(${indexes.length} indexes) = ${hashes.length} hashes`);
  }
  return hashes;
}

/**
 * storedHashes returns the hashes that must be stored when writing record n
 * with the given data, starting at storedHashIndex(0, n). It reads up to
 * log₂ n earlier hashes from r.
 */
export function storedHashes(n: number, data: Uint8Array, r: HashReader): Promise<Hash[]> {
  return storedHashesForRecordHash(n, recordHash(data), r);
}

/** storedHashesForRecordHash is like storedHashes but takes recordHash(data). */
export async function storedHashesForRecordHash(
  n: number,
  h: Hash,
  r: HashReader,
): Promise<Hash[]> {
  // Start with the record hash.
  const hashes = [h];

  // Build list of indexes needed for hashes for completed subtrees.
  // Each trailing 1 bit in the binary representation of n completes a subtree
  // and consumes a hash from an adjacent subtree.
  const m = trailingZeros(n + 1);
  const indexes = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    // We arrange indexes in sorted order.
    // Note that n>>i is always odd.
    indexes[m - 1 - i] = storedHashIndex(i, shr(n, i) - 1);
  }

  // Fetch hashes.
  const old = await readExactly(r, indexes);

  // Build new hashes.
  for (let i = 0; i < m; i++) {
    h = nodeHash(old[m - 1 - i], h);
    hashes.push(h);
  }
  return hashes;
}

/** emptyHash is the hash of the empty tree, per RFC 6962 §2.1: SHA-256(""). */
const emptyHash = sha256(new Uint8Array());

/**
 * treeHashIndexes returns the stored hash indexes treeHashFrom needs to
 * compute the hash of the tree with n records: at most 1 + log₂ n of them.
 */
export function treeHashIndexes(n: number): number[] {
  return subTreeIndex(0, n, []);
}

/** treeHashFrom computes the tree hash from the hashes at treeHashIndexes(n). */
export function treeHashFrom(n: number, hashes: readonly Hash[]): Hash {
  if (n === 0) return emptyHash.slice();
  const [hash, rest] = subTreeHash(0, n, hashes);
  if (rest.length !== 0) throw new Error("internal error: tlog: bad index math in TreeHash");
  return hash;
}

/**
 * treeHash computes the hash for the root of the tree with n records, using
 * one call to r.readHashes for at most 1 + log₂ n hashes.
 */
export async function treeHash(n: number, r: HashReader): Promise<Hash> {
  if (n === 0) return emptyHash.slice();
  const indexes = treeHashIndexes(n);
  return treeHashFrom(n, await readExactly(r, indexes));
}

/**
 * subTreeIndex returns the storage indexes needed to compute the hash for the
 * subtree containing records [lo, hi), appending them to need.
 */
function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  // See subTreeHash below for commentary.
  while (lo < hi) {
    const [k, level] = maxpow2(hi - lo + 1);
    if (lo % k !== 0) throw new Error("internal error: tlog: bad math in subTreeIndex");
    need.push(storedHashIndex(level, shr(lo, level)));
    lo += k;
  }
  return need;
}

/**
 * subTreeHash computes the hash for the subtree containing records [lo, hi),
 * assuming hashes correspond to the indexes from subTreeIndex(lo, hi). It
 * returns any leftover hashes.
 */
function subTreeHash(lo: number, hi: number, hashes: readonly Hash[]): [Hash, readonly Hash[]] {
  // Repeatedly partition the tree into a left side with 2^level nodes,
  // for as large a level as possible, and a right side with the fringe.
  // The left hash is stored directly and can be read from storage.
  // The right side needs further computation.
  let numTree = 0;
  while (lo < hi) {
    const [k] = maxpow2(hi - lo + 1);
    if (lo % k !== 0 || lo >= hi) throw new Error("internal error: tlog: bad math in subTreeHash");
    numTree++;
    lo += k;
  }
  if (hashes.length < numTree) {
    throw new Error("internal error: tlog: bad index math in subTreeHash");
  }
  // Reconstruct hash.
  let h = hashes[numTree - 1];
  for (let i = numTree - 2; i >= 0; i--) h = nodeHash(hashes[i], h);
  return [h, hashes.slice(numTree)];
}

/**
 * A RecordProof is a verifiable proof that a particular log root contains a
 * particular record. RFC 6962 calls this a "Merkle audit path".
 */
export type RecordProof = Hash[];

/** proveRecord returns the proof that the tree of size t contains the record with index n. */
export async function proveRecord(t: number, n: number, r: HashReader): Promise<RecordProof> {
  if (t < 0 || n < 0 || n >= t) throw new Error("tlog: invalid inputs in ProveRecord");
  const indexes = leafProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  const hashes = await readExactly(r, indexes);
  const [p, rest] = leafProof(0, t, n, hashes);
  if (rest.length !== 0) throw new Error("internal error: tlog: bad index math in ProveRecord");
  return p;
}

/**
 * leafProofIndex builds the list of indexes needed to construct the proof
 * that leaf n is contained in the subtree with leaves [lo, hi).
 */
function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  // See leafProof below for commentary.
  if (!(lo <= n && n < hi)) throw new Error("internal error: tlog: bad math in leafProofIndex");
  if (lo + 1 === hi) return need;
  const [k] = maxpow2(hi - lo);
  if (n < lo + k) {
    need = leafProofIndex(lo, lo + k, n, need);
    need = subTreeIndex(lo + k, hi, need);
  } else {
    need = subTreeIndex(lo, lo + k, need);
    need = leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

/**
 * leafProof constructs the proof that leaf n is contained in the subtree with
 * leaves [lo, hi). It returns any leftover hashes as well.
 */
function leafProof(
  lo: number,
  hi: number,
  n: number,
  hashes: readonly Hash[],
): [RecordProof, readonly Hash[]] {
  // We must have lo <= n < hi or else the code here has a bug.
  if (!(lo <= n && n < hi)) throw new Error("internal error: tlog: bad math in leafProof");

  if (lo + 1 === hi) {
    // Reached the leaf node.
    // The verifier knows what the leaf hash is, so we don't need to send it.
    return [[], hashes];
  }

  // Walk down the tree toward n.
  // Record the hash of the path not taken (needed for verifying the proof).
  let p: RecordProof;
  let th: Hash;
  const [k] = maxpow2(hi - lo);
  if (n < lo + k) {
    // n is on left side
    [p, hashes] = leafProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    // n is on right side
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = leafProof(lo + k, hi, n, hashes);
  }
  return [[...p, th], hashes];
}

const errProofFailed = "invalid transparency proof";

/**
 * checkRecord verifies that p is a valid proof that the tree of size t with
 * hash th has an n'th record with hash h.
 *
 * @throws {Error} "invalid transparency proof", or
 * "tlog: invalid inputs in CheckRecord".
 */
export function checkRecord(p: RecordProof, t: number, th: Hash, n: number, h: Hash): void {
  if (t < 0 || n < 0 || n >= t) throw new Error("tlog: invalid inputs in CheckRecord");
  const th2 = runRecordProof(p, 0, t, n, h);
  if (!hashEqual(th2, th)) throw new Error(errProofFailed);
}

/**
 * runRecordProof runs the proof p that leaf n is contained in the subtree with
 * leaves [lo, hi), returning the implied hash of that subtree.
 */
function runRecordProof(p: RecordProof, lo: number, hi: number, n: number, leafHash: Hash): Hash {
  // We must have lo <= n < hi or else the code here has a bug.
  if (!(lo <= n && n < hi)) throw new Error("internal error: tlog: bad math in runRecordProof");

  if (lo + 1 === hi) {
    // Reached the leaf node.
    // The proof must not have any unnecessary hashes.
    if (p.length !== 0) throw new Error(errProofFailed);
    return leafHash;
  }
  if (p.length === 0) throw new Error(errProofFailed);

  const [k] = maxpow2(hi - lo);
  const last = p[p.length - 1];
  if (n < lo + k) {
    return nodeHash(runRecordProof(p.slice(0, -1), lo, lo + k, n, leafHash), last);
  }
  return nodeHash(last, runRecordProof(p.slice(0, -1), lo + k, hi, n, leafHash));
}

/**
 * A TreeProof is a verifiable proof that a particular log tree contains as a
 * prefix all records present in an earlier tree. RFC 6962 calls this a
 * "Merkle consistency proof".
 */
export type TreeProof = Hash[];

/**
 * proveTree returns the proof that the tree of size t contains as a prefix
 * all the records from the tree of smaller size n.
 */
export async function proveTree(t: number, n: number, h: HashReader): Promise<TreeProof> {
  if (t < 1 || n < 1 || n > t) throw new Error("tlog: invalid inputs in ProveTree");
  const indexes = treeProofIndex(0, t, n, []);
  if (indexes.length === 0) return [];
  const hashes = await readExactly(h, indexes);
  const [p, rest] = treeProof(0, t, n, hashes);
  if (rest.length !== 0) throw new Error("internal error: tlog: bad index math in ProveTree");
  return p;
}

/**
 * treeProofIndex builds the list of indexes needed to construct the sub-proof
 * related to the subtree containing records [lo, hi) (RFC 6962 §2.1.2).
 */
function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  // See treeProof below for commentary.
  if (!(lo < n && n <= hi)) throw new Error("internal error: tlog: bad math in treeProofIndex");
  if (n === hi) {
    if (lo === 0) return need;
    return subTreeIndex(lo, hi, need);
  }
  const [k] = maxpow2(hi - lo);
  if (n <= lo + k) {
    need = treeProofIndex(lo, lo + k, n, need);
    need = subTreeIndex(lo + k, hi, need);
  } else {
    need = subTreeIndex(lo, lo + k, need);
    need = treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

/**
 * treeProof constructs the sub-proof related to the subtree containing
 * records [lo, hi). It returns any leftover hashes as well.
 */
function treeProof(
  lo: number,
  hi: number,
  n: number,
  hashes: readonly Hash[],
): [TreeProof, readonly Hash[]] {
  // We must have lo < n <= hi or else the code here has a bug.
  if (!(lo < n && n <= hi)) throw new Error("internal error: tlog: bad math in treeProof");

  // Reached common ground.
  if (n === hi) {
    if (lo === 0) {
      // This subtree corresponds exactly to the old tree.
      // The verifier knows that hash, so we don't need to send it.
      return [[], hashes];
    }
    const [th, rest] = subTreeHash(lo, hi, hashes);
    return [[th], rest];
  }

  // Interior node for the proof.
  // Decide whether to walk down the left or right side.
  let p: TreeProof;
  let th: Hash;
  const [k] = maxpow2(hi - lo);
  if (n <= lo + k) {
    // m is on left side
    [p, hashes] = treeProof(lo, lo + k, n, hashes);
    [th, hashes] = subTreeHash(lo + k, hi, hashes);
  } else {
    // m is on right side
    [th, hashes] = subTreeHash(lo, lo + k, hashes);
    [p, hashes] = treeProof(lo + k, hi, n, hashes);
  }
  return [[...p, th], hashes];
}

/**
 * checkTree verifies that p is a valid proof that the tree of size t with
 * hash th contains as a prefix the tree of size n with hash h.
 *
 * @throws {Error} "invalid transparency proof", or
 * "tlog: invalid inputs in CheckTree".
 */
export function checkTree(p: TreeProof, t: number, th: Hash, n: number, h: Hash): void {
  if (t < 1 || n < 1 || n > t) throw new Error("tlog: invalid inputs in CheckTree");
  const [h2, th2] = runTreeProof(p, 0, t, n, h);
  if (!hashEqual(th2, th) || !hashEqual(h2, h)) throw new Error(errProofFailed);
}

/**
 * runTreeProof runs the sub-proof p related to the subtree containing records
 * [lo, hi), where old is the hash of the old tree with n records, returning
 * the implied hashes of that subtree in the old and the new tree.
 */
function runTreeProof(p: TreeProof, lo: number, hi: number, n: number, old: Hash): [Hash, Hash] {
  // We must have lo < n <= hi or else the code here has a bug.
  if (!(lo < n && n <= hi)) throw new Error("internal error: tlog: bad math in runTreeProof");

  // Reached common ground.
  if (n === hi) {
    if (lo === 0) {
      if (p.length !== 0) throw new Error(errProofFailed);
      return [old, old];
    }
    if (p.length !== 1) throw new Error(errProofFailed);
    return [p[0], p[0]];
  }

  if (p.length === 0) throw new Error(errProofFailed);

  // Interior node for the proof.
  const [k] = maxpow2(hi - lo);
  const last = p[p.length - 1];
  if (n <= lo + k) {
    const [oh, th] = runTreeProof(p.slice(0, -1), lo, lo + k, n, old);
    return [oh, nodeHash(th, last)];
  }
  const [oh, th] = runTreeProof(p.slice(0, -1), lo + k, hi, n, old);
  return [nodeHash(last, oh), nodeHash(last, th)];
}

/** A Tree is a tree description, to be signed by a go.sum database server. */
export interface Tree {
  /** Number of records in the tree (0 ≤ n ≤ 2^53). */
  n: number;
  /** Tree hash (32 bytes). */
  hash: Hash;
}

/**
 * formatTree formats a tree description for inclusion in a note:
 * "go.sum database tree\n<N>\n<base64 hash>\n".
 */
export function formatTree(tree: Tree): string {
  return `go.sum database tree\n${tree.n}\n${encodeBase64(tree.hash)}\n`;
}

const errMalformedTree = "malformed tree note";
const treePrefix = "go.sum database tree\n";

/**
 * parseTree parses a formatted tree root description. Lines after the third
 * are ignored, for forward compatibility; a different first line ("… v2") is
 * an error.
 *
 * @throws {Error} "malformed tree note" — also, unlike Go, for N beyond 2^53.
 *
 * @example Parsing a tree note's text
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatTree, parseTree } from "./tlog.ts";
 * const text = "go.sum database tree\n28905453\nf3f8U0MoQmXkWAgAEKDtXcaI3c2y6N9+55KNSRefF/w=\n";
 * const tree = parseTree(text);
 * assert.equal(tree.n, 28905453);
 * assert.equal(formatTree(tree), text);
 * assert.throws(() => parseTree(text.replace("28905453", "028905453")), /malformed tree note/);
 * ```
 */
export function parseTree(text: string): Tree {
  // The message looks like:
  //
  //	go.sum database tree
  //	2
  //	nND/nri/U0xuHUrYSy0HtMeal2vzD9V4k/BO79C+QeI=
  //
  // For forwards compatibility, extra text lines after the encoding are ignored.
  const lines = text.split("\n");
  if (
    !text.startsWith(treePrefix) || lines.length - 1 < 3 ||
    (text.length > 1e6 / 3 && utf8(text).length > 1e6)
  ) {
    throw new Error(errMalformedTree);
  }
  // strconv.ParseInt then FormatInt must round-trip: no sign, no leading zeros.
  if (!/^(0|[1-9][0-9]*)$/.test(lines[1])) throw new Error(errMalformedTree);
  const n = Number(lines[1]);
  if (!Number.isSafeInteger(n)) throw new Error(errMalformedTree);
  const h = decodeBase64(lines[2]);
  if (h === undefined || h.length !== HashSize) throw new Error(errMalformedTree);
  return { n, hash: h };
}
