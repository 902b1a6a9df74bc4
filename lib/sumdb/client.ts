/**
 * The checksum database client: looks up the go.sum lines of a module
 * version and proves them, and every signed tree it is shown, consistent
 * with the newest tree it has trusted before.
 *
 * Mirrors golang.org/x/mod/sumdb client.go (x/mod fe2ec04f, as vendored in
 * go1.26). A behaviour change here needs a failing test first: this code
 * decides whether a download is trusted.
 *
 * The client never requests /latest. It opens the signed tree note that
 * comes with each /lookup answer, proves the record is in that tree by
 * reading tiles (each tile authenticated against the signed tree hash before
 * any hash in it is used or saved), and checks that the tree and the stored
 * "latest" tree describe one timeline: the older one must be a prefix of the
 * newer one. A fork is a SecurityError carrying both notes and a proof.
 *
 * @module
 */

import { encodeBase64 } from "./_base64.ts";
import { escapePath, escapeVersion } from "../module/mod.ts";
import { sha256 } from "./_sha256.ts";
import { newVerifier, open, verifierList, type Verifiers } from "./note.ts";
import { parseRecord } from "./record.ts";
import {
  checkTree,
  type Hash,
  hashEqual,
  type HashReader,
  parseTree,
  proveTree,
  recordHash,
  storedHashIndex,
  type Tree,
  treeHash,
} from "./tlog.ts";
import { type Tile, tileHashReader, tilePath, type TileReader } from "./tile.ts";

/**
 * A ClientOps provides the external operations (file caching, HTTP fetches,
 * and so on) needed by the Client. The methods may be called concurrently
 * (several calls in flight at once) and must be safe for that.
 */
export interface ClientOps {
  /**
   * readRemote returns the content served at path on the remote database
   * server. The path begins with "/lookup/" or "/tile/" and needs no
   * parsing; turning it into a URL is the implementation's job. It must
   * throw for any response other than 200, and throw a NotFoundError for
   * 404 and 410 (the only answers that mean "the server has no such file").
   */
  readRemote(path: string): Promise<Uint8Array>;

  /**
   * readConfig returns the content of the named configuration file. There
   * is a fixed set of them:
   *
   * - "key": the verifier key of the server ("<name>+<hash>+<keydata>");
   * - "<name>/latest": the newest signed tree note trusted so far. To start
   *   from the empty tree (first use of a database), return zero bytes.
   *
   * It throws only when the file exists but cannot be read.
   */
  readConfig(file: string): Promise<Uint8Array>;

  /**
   * writeConfig replaces the content of the named configuration file, old,
   * with next, as one atomic compare-and-swap: if the stored content is not
   * old, it must throw a WriteConflictError and change nothing. (cmd/go also
   * lets an empty or missing stored file match any old; either is safe, as
   * the client re-reads and merges after a conflict.) "key" is never written.
   */
  writeConfig(file: string, old: Uint8Array, next: Uint8Array): Promise<void>;

  /**
   * readCache returns the content of the named cache file, or undefined if
   * it does not exist. Any failure counts as "does not exist": the client
   * then asks the server. Cache files are named like
   * "<name>/lookup/<escaped path>@<escaped version>" and
   * "<name>/tile/8/1/x123/456". The client also treats zero bytes as
   * missing, since a file being written may be seen empty.
   */
  readCache(file: string): Promise<Uint8Array | undefined>;

  /**
   * writeCache writes the named cache file. The client only writes data it
   * has authenticated. Failures are ignored (a later run fetches again), so
   * it should not throw.
   */
  writeCache(file: string, data: Uint8Array): Promise<void>;

  /** log reports a progress message (such as with console.error). */
  log(msg: string): void;

  /**
   * securityError reports a security error message (the evidence of a
   * misbehaving server) before the client throws a SecurityError with the
   * same message. A program typically prints it; it must not throw.
   */
  securityError(msg: string): void;
}

/** A NotFoundError says the server has no such file (HTTP 404 or 410). */
export class NotFoundError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

/** A WriteConflictError signals a lost compare-and-swap in ClientOps.writeConfig. */
export class WriteConflictError extends Error {
  constructor() {
    super("write conflict");
    this.name = "WriteConflictError";
  }
}

/** The lookup of a path that matches GONOSUMDB (Go's ErrGONOSUMDB). */
export class GONOSUMDBError extends Error {
  constructor() {
    super("skipped (listed in GONOSUMDB)");
    this.name = "GONOSUMDBError";
  }
}

/** The evidence of a fork in the database's timeline. */
export interface ForkEvidence {
  /** The smaller tree and its signed note, as stored or received. */
  older: { tree: Tree; note: Uint8Array };
  /** The larger (or equal-size) tree and its signed note. */
  newer: { tree: Tree; note: Uint8Array };
  /** The hash of the first older.tree.n records according to newer's tiles; it is not older.tree.hash. */
  olderHashInNewer: Hash;
  /**
   * The proof, from newer's tiles, that newer contains a tree of size
   * older.tree.n with hash olderHashInNewer (checkTree accepts it), or
   * undefined when it could not be built.
   */
  proof: Hash[] | undefined;
}

/**
 * A SecurityError reports proof that the checksum database misbehaved: two
 * signed trees that cannot both be true. Its message is Go's report
 * ("SECURITY ERROR\ngo.sum database server misbehavior detected!\n…"),
 * which holds both signed notes and the proof, so it can be checked without
 * the server. Nothing the server said in that exchange is trusted or saved.
 */
export class SecurityError extends Error {
  constructor(message: string, readonly evidence: ForkEvidence) {
    super(message);
    this.name = "SecurityError";
  }
}

/** Options for a Client. */
export interface ClientOptions {
  /**
   * Tile height the server uses.
   * @default {8}
   */
  tileHeight?: number;
  /**
   * skip reports whether lookups of a module path must be refused with a
   * GONOSUMDBError (GONOSUMDB patterns, matched by module.MatchPrefixPatterns).
   * @default {() => false}
   */
  skip?: (path: string) => boolean;
}

const msgPast = 1, msgNow = 2, msgFuture = 3;
type When = typeof msgPast | typeof msgNow | typeof msgFuture;

function tileKey(t: Tile): string {
  return `${t.h}/${t.l}/${t.n}/${t.w}`;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const decoder = new TextDecoder();

/** emptyTreeHash is tlog.TreeHash(0, nil): SHA-256 of nothing (RFC 6962 §2.1). */
const emptyTreeHash = sha256();

/**
 * A Client is a client connection to a checksum database. Its methods may
 * be called concurrently.
 *
 * @example Looking up a module in an in-memory database
 * ```ts
 * import assert from "node:assert/strict";
 * import { Client } from "./client.ts";
 * import { MemClientOps, TestServer } from "./test_server.ts";
 * import { generateKey } from "./note.ts";
 *
 * const { skey, vkey } = await generateKey("sum.example.com");
 * const server = await TestServer.create(skey);
 * server.addRecord("example.com/m", "v1.0.0", "example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
 * const ops = new MemClientOps(vkey, server);
 * const lines = await new Client(ops).lookup("example.com/m", "v1.0.0");
 * assert.deepEqual(lines, ["example.com/m v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]);
 * ```
 */
export class Client {
  readonly #ops: ClientOps;
  readonly #tileHeight: number;
  readonly #skip: (path: string) => boolean;

  #init: Promise<void> | undefined;
  #name = "";
  #verifiers: Verifiers | undefined;

  /** Record lookups, keyed by cache file name; errors are remembered too. */
  readonly #records = new Map<string, Promise<Uint8Array>>();
  /** Tile reads, keyed by tile; errors are remembered too. */
  readonly #tileCache = new Map<string, Promise<Uint8Array>>();
  /** Tiles already in the on-disk cache (read from it or written to it). */
  readonly #tileSaved = new Set<string>();

  /** The latest known tree and its signed note (empty: the empty tree). */
  #latest: Tree = { n: 0, hash: emptyTreeHash };
  #latestMsg: Uint8Array = new Uint8Array();

  readonly #tileReader: TileReader;

  constructor(ops: ClientOps, options: ClientOptions = {}) {
    const h = options.tileHeight ?? 8;
    if (!Number.isInteger(h) || h <= 0 || h > 30) {
      throw new Error("invalid call to SetTileHeight");
    }
    this.#ops = ops;
    this.#tileHeight = h;
    this.#skip = options.skip ?? (() => false);
    this.#tileReader = {
      height: () => this.#tileHeight,
      readTiles: (tiles) => this.#readTiles(tiles),
      saveTiles: (tiles, data) => this.#saveTiles(tiles, data),
    };
  }

  /** name returns the database name from the verifier key, once a lookup has started. */
  get name(): string {
    return this.#name;
  }

  /** init initializes the client once, remembering any error. */
  #initOnce(): Promise<void> {
    this.#init ??= this.#initWork().catch((err) => {
      if (err instanceof SecurityError) throw err;
      throw new Error(`initializing sumdb.Client: ${message(err)}`, { cause: err });
    });
    return this.#init;
  }

  async #initWork(): Promise<void> {
    const vkey = await this.#ops.readConfig("key");
    const verifier = newVerifier(decoder.decode(vkey).trim());
    this.#verifiers = verifierList([verifier]);
    this.#name = verifier.name();

    const data = await this.#ops.readConfig(this.#name + "/latest");
    await this.#mergeLatest(data);
  }

  /**
   * lookup returns the go.sum lines for the given module path and version:
   * the lines of the proven record that start with "<path> <vers> ". The
   * version may end in "/go.mod", for the go.mod-only hash line.
   *
   * @throws {GONOSUMDBError} when options.skip matches path.
   * @throws {SecurityError} when the server's trees fork.
   * @throws {Error} "<path>@<vers>: <reason>" for everything else: a bad
   * path or version, a network failure (the cause is a NotFoundError for
   * 404/410), a malformed or badly signed answer, a record not proven to be
   * in the tree ("cannot authenticate record data in server response"), or
   * tiles that do not match the signed tree ("downloaded inconsistent tile").
   */
  async lookup(path: string, vers: string): Promise<string[]> {
    if (this.#skip(path)) throw new GONOSUMDBError();
    let text: Uint8Array;
    try {
      await this.#initOnce();

      // Prepare encoded cache filename / URL.
      const epath = escapePath(path);
      const evers = escapeVersion(vers.endsWith("/go.mod") ? vers.slice(0, -7) : vers);
      const remotePath = "/lookup/" + epath + "@" + evers;
      const file = this.#name + remotePath;

      // The record map avoids redundant readCache/readRemote calls (go.sum
      // lines come in pairs for a path and version) and keeps one request
      // in flight per record.
      let p = this.#records.get(file);
      if (p === undefined) {
        p = this.#fetchRecord(file, remotePath);
        this.#records.set(file, p);
      }
      text = await p;
    } catch (err) {
      if (err instanceof SecurityError) throw err;
      throw new Error(`${path}@${vers}: ${message(err)}`, { cause: err });
    }

    // Extract the lines for the specific version we want (with or without /go.mod).
    const prefix = path + " " + vers + " ";
    return decoder.decode(text).split("\n").filter((line) => line.startsWith(prefix));
  }

  async #fetchRecord(file: string, remotePath: string): Promise<Uint8Array> {
    // Try the on-disk cache, or else get from web.
    let writeCache = false;
    let data = await this.#readCache(file);
    if (data === undefined) {
      data = await this.#ops.readRemote(remotePath);
      writeCache = true;
    }

    // Validate the record before using it for anything.
    const { id, text, rest } = parseRecord(data);
    await this.#mergeLatest(rest);
    await this.#checkRecord(id, text);

    // Now that we've validated the record, save it to the on-disk cache
    // (unless that's where it came from).
    if (writeCache) await this.#writeCache(file, data);
    return text;
  }

  /**
   * mergeLatest merges the tree head in msg with the current latest tree
   * head, ensuring the result is a consistent timeline, and moves the
   * "<name>/latest" configuration file forward if the latest tree moved,
   * merging independent updates made to it meanwhile.
   */
  async #mergeLatest(msg: Uint8Array): Promise<void> {
    // Merge msg into our in-memory copy of the latest tree head.
    const when = await this.#mergeLatestMem(msg);
    if (when !== msgFuture) {
      // msg matched our present or was in the past.
      // No change to our present, so no update of config file.
      return;
    }

    // Flush our extended timeline back out to the configuration file.
    // If the configuration file has been updated in the interim,
    // we need to merge any updates made there as well.
    // Note that writeConfig is an atomic compare-and-swap.
    for (;;) {
      const msg = await this.#ops.readConfig(this.#name + "/latest");
      const when = await this.#mergeLatestMem(msg);
      if (when !== msgPast) {
        // msg matched our present or was from the future,
        // and now our in-memory copy matches.
        return;
      }
      // msg (== config) is in the past, so we need to update it.
      try {
        await this.#ops.writeConfig(this.#name + "/latest", msg, this.#latestMsg);
        return;
      } catch (err) {
        if (!(err instanceof WriteConflictError)) throw err;
      }
    }
  }

  /**
   * mergeLatestMem is like mergeLatest but only updates the in-memory latest
   * tree head, reporting when msg happened relative to it: msgPast (before
   * it), msgNow (exactly it) or msgFuture (after it; it is now the latest).
   */
  async #mergeLatestMem(msg: Uint8Array): Promise<When> {
    if (msg.length === 0) {
      // Accept empty msg as the unsigned, empty timeline.
      return this.#latest.n === 0 ? msgNow : msgPast;
    }

    let text: string;
    try {
      text = (await open(msg, this.#verifiers!)).text;
    } catch (err) {
      throw new Error(`reading tree note: ${message(err)}\nnote:\n${decoder.decode(msg)}`, {
        cause: err,
      });
    }
    let tree: Tree;
    try {
      tree = parseTree(text);
    } catch (err) {
      throw new Error(`reading tree: ${message(err)}\ntree:\n${text}`, { cause: err });
    }

    // Other lookups may be calling mergeLatest with other heads, so
    // #latest may change while tiles are fetched: loop trying to update it.
    let latest = this.#latest;
    let latestMsg = this.#latestMsg;
    for (;;) {
      // If the tree head looks old, check that it is on our timeline.
      if (tree.n <= latest.n) {
        await this.#checkTrees(tree, msg, latest, latestMsg);
        return tree.n < latest.n ? msgPast : msgNow;
      }

      // The tree head looks new. Check that we are on its timeline and try
      // to move our timeline forward.
      await this.#checkTrees(latest, latestMsg, tree, msg);

      // Install our msg if possible. Otherwise we will go around again.
      if (this.#latest === latest) {
        this.#latest = tree;
        this.#latestMsg = msg;
        return msgFuture;
      }
      latest = this.#latest;
      latestMsg = this.#latestMsg;
    }
  }

  /**
   * checkTrees checks that older (from olderNote) is contained in newer
   * (from newerNote). It throws a plain Error for malformed data or a
   * network problem, and a SecurityError, after reporting it through
   * ops.securityError, when it finds evidence of misbehavior.
   */
  async #checkTrees(
    older: Tree,
    olderNote: Uint8Array,
    newer: Tree,
    newerNote: Uint8Array,
  ): Promise<void> {
    // gtc: tiles read here are saved only once the trees are proven
    // consistent. Go saves them as soon as they match newer's signed hash,
    // so after a fork the forked tree's tiles stay in the cache, where they
    // would break later checks of the honest tree.
    const pending: [readonly Tile[], readonly Uint8Array[]][] = [];
    const thr = tileHashReader(newer, {
      height: () => this.#tileHeight,
      readTiles: (tiles) => this.#readTiles(tiles),
      saveTiles: (tiles, data) => void pending.push([tiles, data]),
    });
    let h: Hash;
    try {
      h = await treeHash(older.n, thr);
    } catch (err) {
      if (older.n === newer.n) {
        throw new Error(`checking tree#${older.n}: ${message(err)}`, { cause: err });
      }
      throw new Error(`checking tree#${older.n} against tree#${newer.n}: ${message(err)}`, {
        cause: err,
      });
    }
    if (hashEqual(h, older.hash)) {
      for (const [tiles, data] of pending) await this.#saveTiles(tiles, data);
      return;
    }

    // Detected a fork in the tree timeline.
    // Start by reporting the inconsistent signed tree notes.
    const indent = (b: Uint8Array) => decoder.decode(b).replaceAll("\n", "\n\t");
    let buf = "SECURITY ERROR\n";
    buf += "go.sum database server misbehavior detected!\n\n";
    buf += `old database:\n\t${indent(olderNote)}\n`;
    buf += `new database:\n\t${indent(newerNote)}\n`;

    // The notes alone are not enough to prove the inconsistency. We also
    // need to show that the newer note's tree hash for older.n does not
    // match older.hash. We hold all the bits needed to prove it right now,
    // so print them and make the report not depend on the continued
    // availability of the misbehaving server. This only reuses the tiles
    // treeHash read above (the client caches them), so there is no new
    // access to the server here.
    buf += `proof of misbehavior:\n\t${encodeBase64(h)}`;
    let proof: Hash[] | undefined;
    try {
      const p = await proveTree(newer.n, older.n, thr);
      try {
        checkTree(p, newer.n, newer.hash, older.n, h);
        proof = p;
        for (const ph of p) buf += `\n\t${encodeBase64(ph)}`;
      } catch {
        buf += "\tinternal error: generated inconsistent proof\n";
      }
    } catch (err) {
      buf += `\tinternal error: ${message(err)}\n`;
    }
    this.#ops.securityError(buf);
    throw new SecurityError(buf, {
      older: { tree: older, note: olderNote },
      newer: { tree: newer, note: newerNote },
      olderHashInNewer: h,
      proof,
    });
  }

  /** checkRecord checks that record #id's hash matches data. */
  async #checkRecord(id: number, data: Uint8Array): Promise<void> {
    const latest = this.#latest;
    if (id >= latest.n) {
      throw new Error(`cannot validate record ${id} in tree of size ${latest.n}`);
    }
    // A negative id parses (strconv.ParseInt) and Go's tlog panics on it
    // deep in the index math; refuse it here.
    if (id < 0) throw new Error(`cannot validate record ${id} in tree of size ${latest.n}`);
    const reader: HashReader = tileHashReader(latest, this.#tileReader);
    const hashes = await reader.readHashes([storedHashIndex(0, id)]);
    if (hashEqual(hashes[0], recordHash(data))) return;
    throw new Error("cannot authenticate record data in server response");
  }

  /**
   * readTiles reads the requested tiles, from the on-disk cache or the
   * server, all at once; it fails with the first failing tile's error, in
   * request order.
   */
  async #readTiles(tiles: readonly Tile[]): Promise<Uint8Array[]> {
    const results = await Promise.allSettled(tiles.map((t) => this.#readTile(t)));
    return results.map((r) => {
      if (r.status === "rejected") throw r.reason;
      return r.value;
    });
  }

  #readTile(tile: Tile): Promise<Uint8Array> {
    const key = tileKey(tile);
    let p = this.#tileCache.get(key);
    if (p === undefined) {
      p = this.#readTileOnce(tile);
      this.#tileCache.set(key, p);
    }
    return p;
  }

  async #readTileOnce(tile: Tile): Promise<Uint8Array> {
    const cacheKey = (t: Tile) => this.#name + "/" + tilePath(t);
    const remotePath = (t: Tile) => "/" + tilePath(t);

    // Try the requested tile in on-disk cache.
    const data = await this.#readCache(cacheKey(tile));
    if (data !== undefined) {
      this.#tileSaved.add(tileKey(tile));
      return data;
    }

    // Try the full tile in on-disk cache (if requested tile not already
    // full). Only authenticated tiles are saved to the on-disk cache, so the
    // recreated prefix is equally authenticated.
    const full: Tile = { ...tile, w: 2 ** tile.h };
    const isFull = tile.w === full.w;
    if (!isFull) {
      const data = await this.#readCache(cacheKey(full));
      if (data !== undefined) {
        this.#tileSaved.add(tileKey(tile)); // don't save tile later; we already have full
        return data.subarray(0, Math.floor(data.length / full.w) * tile.w);
      }
    }

    // Try requested tile from server.
    try {
      return await this.#ops.readRemote(remotePath(tile));
    } catch (err) {
      // Try full tile on server. If the partial tile does not exist, it
      // should be because the tile has been completed and only the
      // complete one is available.
      if (!isFull) {
        try {
          const data = await this.#ops.readRemote(remotePath(full));
          // The full tile could be saved here, but it is not known to be
          // valid yet, and only its prefix will be checked. saveTiles
          // saves the partial tile; the full one is fetched again later,
          // once more (or all) of it can be validated.
          return data.subarray(0, Math.floor(data.length / full.w) * tile.w);
        } catch {
          // Report the error for the requested (not full) tile.
        }
      }
      throw err;
    }
  }

  /** saveTiles saves the now validated tiles that did not come from the cache. */
  async #saveTiles(tiles: readonly Tile[], data: readonly Uint8Array[]): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [i, tile] of tiles.entries()) {
      const key = tileKey(tile);
      if (this.#tileSaved.has(key)) continue;
      // If the write fails, the tile stays marked saved and is not written
      // again by this client; a later run downloads it again.
      this.#tileSaved.add(key);
      writes.push(this.#writeCache(this.#name + "/" + tilePath(tile), data[i]));
    }
    await Promise.all(writes);
  }

  async #readCache(file: string): Promise<Uint8Array | undefined> {
    try {
      const data = await this.#ops.readCache(file);
      // A zero-length file may be one being written: treat it as missing.
      return data === undefined || data.length === 0 ? undefined : data;
    } catch {
      return undefined;
    }
  }

  async #writeCache(file: string, data: Uint8Array): Promise<void> {
    try {
      await this.#ops.writeCache(file, data);
    } catch (err) {
      this.#ops.log(`sumdb: writing cache file ${file}: ${message(err)}`);
    }
  }
}
