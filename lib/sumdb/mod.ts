/**
 * The Go checksum database (x/mod/sumdb), without I/O: signed notes,
 * the transparency log and its tiles, h1: hashes, lookup records and the
 * GOSUMDB setting.
 *
 * A lookup answer is `<id>\n<record text>\n<signed tree note>`. The note is
 * text signed by the database key ("— <name> <base64 sig>" lines); its text is
 * the tree description `go.sum database tree\n<N>\n<base64 hash>\n`. The
 * record text is the go.sum lines of one module version; it is proven to be
 * record <id> of that tree by reading the stored hash through tiles
 * (`tile/H/L/NNN[.p/W]`) that are themselves checked against the tree hash.
 *
 * Everything is synchronous except Ed25519 (WebCrypto) and reads through the
 * HashReader and TileReader interfaces, which a network client implements.
 *
 * @example Checking a sum.golang.org answer for a toolchain
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   newVerifier,
 *   open,
 *   parseGOSUMDB,
 *   parseModuleRecord,
 *   parseRecord,
 *   parseTree,
 *   verifierList,
 * } from "./mod.ts";
 *
 * const body = new TextEncoder().encode(
 *   "24929362\n" +
 *     "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64 h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=\n" +
 *     "golang.org/toolchain v0.0.1-go1.21.9.linux-amd64/go.mod h1:8wlg68NqwW7eMnI1aABk/C2pDYXj8mrMY4TyRfiLeS0=\n" +
 *     "\n" +
 *     "go.sum database tree\n28905453\nf3f8U0MoQmXkWAgAEKDtXcaI3c2y6N9+55KNSRefF/w=\n\n" +
 *     "— sum.golang.org Az3grr4J9x4SApup87osjthKONInbYdbN37ZskrLF12HIbhDuxOBTzt8Z2jUKbCvxYWrw0yNgshddOzt7pZEl7aSCw8=\n",
 * );
 * const db = parseGOSUMDB("sum.golang.org");
 * const { id, text, rest } = parseRecord(body);
 * const note = await open(rest, verifierList([newVerifier(db.key)]));
 * const tree = parseTree(note.text);
 * assert.ok(id < tree.n);
 * const rec = parseModuleRecord(text, "golang.org/toolchain", "v0.0.1-go1.21.9.linux-amd64");
 * assert.equal(rec.zipHash, "h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0=");
 * // Still to do before trusting rec: read stored hash storedHashIndex(0, id)
 * // through tileHashReader(tree, tiles) and compare it with recordHash(text).
 * // Client.lookup does all of this, and keeps the trees consistent.
 * ```
 *
 * The I/O-facing part is {@link Client} (x/mod sumdb.Client) over the
 * {@link ClientOps} role interface (remote reads, the "key" and
 * "<name>/latest" config files, the tile and lookup cache); {@link dial} and
 * {@link checkSumDB} check a download the way cmd/go does; and
 * {@link sumdbBaseURL} finds the database through GOPROXY. lib/host's
 * diskClientOps implements ClientOps where the go command keeps its files.
 *
 * @module
 */

export {
  generateKey,
  InvalidSignatureError,
  newEd25519VerifierKey,
  newSigner,
  newVerifier,
  type Note,
  open,
  sign,
  type Signature,
  type Signer,
  UnknownVerifierError,
  UnverifiedNoteError,
  type Verifier,
  verifierList,
  type Verifiers,
} from "./note.ts";
export {
  checkRecord,
  checkTree,
  formatTree,
  type Hash,
  hashEqual,
  type HashReader,
  HashSize,
  nodeHash,
  parseHash,
  parseTree,
  proveRecord,
  proveTree,
  recordHash,
  type RecordProof,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashesForRecordHash,
  storedHashIndex,
  type Tree,
  treeHash,
  treeHashFrom,
  treeHashIndexes,
  type TreeProof,
} from "./tlog.ts";
export {
  hashFromTile,
  newTiles,
  parseTilePath,
  readTileData,
  type Tile,
  tileForIndex,
  tileHashReader,
  tilePath,
  type TileReader,
} from "./tile.ts";
export { type FileDigest, hash1, hash1FromDigests, hashGoMod } from "./dirhash.ts";
export {
  formatRecord,
  type ModuleRecord,
  type ParsedRecord,
  parseModuleRecord,
  parseRecord,
} from "./record.ts";
export { knownGOSUMDB, parseGOSUMDB, type SumDB } from "./gosumdb.ts";
export {
  Client,
  type ClientOps,
  type ClientOptions,
  type ForkEvidence,
  GONOSUMDBError,
  NotFoundError,
  SecurityError,
  WriteConflictError,
} from "./client.ts";
export {
  checkSumDB,
  ChecksumError,
  checkToolchainSum,
  dial,
  sumdbAbsent,
  type SumDBConn,
  sumdbMismatch,
} from "./check.ts";
export {
  getBytes,
  type HttpClient,
  httpReadRemote,
  type HttpResponse,
  type ProxyEntry,
  sumdbBaseURL,
} from "./remote.ts";
