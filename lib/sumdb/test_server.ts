/**
 * An in-memory checksum database for tests: it holds records, signs tree
 * notes with a real Ed25519 key and serves the checksum database protocol
 * (/lookup/, /latest, /tile/) from a fetch-style handler, so tests can use
 * it in memory or over loopback HTTP (Deno.serve), also as GOSUMDB for the
 * real go command. Hooks make it misbehave for tamper tests.
 *
 * Mirrors golang.org/x/mod/sumdb test.go (TestServer) and server.go
 * (Server.ServeHTTP), x/mod fe2ec04f as vendored in go1.26.
 *
 * Also holds MemClientOps, an in-memory ClientOps that checks its contract
 * (compare-and-swap config, authenticated-only cache writes are visible).
 *
 * @module
 */

import { unescapePath, unescapeVersion } from "../module/mod.ts";
import type { ClientOps } from "./client.ts";
import { NotFoundError, WriteConflictError } from "./client.ts";
import { newSigner, sign, type Signer } from "./note.ts";
import { formatRecord } from "./record.ts";
import { readTileData, type Tile } from "./tile.ts";
import { parseTilePath } from "./tile.ts";
import {
  formatTree,
  type Hash,
  type HashReader,
  recordHash,
  storedHashCount,
  storedHashesForRecordHash,
  treeHash,
} from "./tlog.ts";

const modVerRE = /^[^@]+@v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)?$/;

/** Ways to make a TestServer misbehave. Every hook is off by default. */
export interface Misbehavior {
  /**
   * Serve (in /lookup/ answers and /latest) the signed tree of this size
   * instead of the current one: a rollback to an earlier, consistent tree.
   */
  treeSize?: number;
  /** Rewrite a hash or data tile (path "tile/…") before serving it; undefined answers 404. */
  tile?: (path: string, data: Uint8Array) => Uint8Array | undefined;
  /** Rewrite a record's text in /lookup/ answers (the signed tree is unchanged). */
  record?: (path: string, version: string, text: Uint8Array) => Uint8Array;
}

/** Options for TestServer.create. */
export interface TestServerOptions {
  /**
   * gosum computes the go.sum lines of a module version the server does not
   * have yet, which it then appends as a new record (Go's TestServer gosum
   * callback). Throwing a NotFoundError makes the lookup a 404.
   * @default {undefined} unknown modules are not found
   */
  gosum?: (path: string, version: string) => Uint8Array | Promise<Uint8Array>;
}

/** A TestServer is an in-memory checksum database. */
export class TestServer {
  #signer: Signer;
  readonly #gosum: TestServerOptions["gosum"];
  #records: Uint8Array[] = [];
  #hashes: Hash[] = [];
  #lookup = new Map<string, number>();
  /** Signed notes by tree size, so each tree is signed once. */
  #signed = new Map<number, Promise<Uint8Array>>();
  /** Request paths served, in order (for tests that count network use). */
  readonly requests: string[] = [];
  /** Active misbehavior; tests set and clear its fields. */
  misbehave: Misbehavior = {};

  private constructor(signer: Signer, gosum: TestServerOptions["gosum"]) {
    this.#signer = signer;
    this.#gosum = gosum;
  }

  /** create returns a server signing with the signer key skey ("PRIVATE+KEY+…"). */
  static async create(skey: string, options: TestServerOptions = {}): Promise<TestServer> {
    return new TestServer(await newSigner(skey), options.gosum);
  }

  /** size returns the number of records in the log. */
  get size(): number {
    return this.#records.length;
  }

  /** hashes is a HashReader over the server's stored hashes. */
  get hashes(): HashReader {
    return {
      readHashes: (indexes) =>
        indexes.map((i) => {
          if (i < 0 || i >= this.#hashes.length) throw new NotFoundError(`no hash ${i}`);
          return this.#hashes[i];
        }),
    };
  }

  /**
   * addRecord appends the record text (go.sum lines, ending in "\n") for
   * path@version and returns its id. Adding a module version twice returns
   * the first id.
   */
  async addRecord(path: string, version: string, text: string | Uint8Array): Promise<number> {
    const key = `${path}@${version}`;
    const have = this.#lookup.get(key);
    if (have !== undefined) return have;
    const data = typeof text === "string" ? new TextEncoder().encode(text) : text;
    formatRecord(0, data); // validates the text
    const id = this.#records.length;
    const hashes = await storedHashesForRecordHash(id, recordHash(data), this.hashes);
    // Another addRecord may have run while this one awaited (it cannot, as
    // readHashes above answers synchronously, but check the invariant).
    if (this.#records.length !== id) throw new Error("internal error: concurrent addRecord");
    this.#records.push(data);
    this.#hashes.push(...hashes);
    this.#lookup.set(key, id);
    if (this.#hashes.length !== storedHashCount(this.#records.length)) {
      throw new Error("internal error: stored hash count");
    }
    return id;
  }

  /**
   * fork returns an independent copy of the server with the same key and
   * records; records added to one later are not in the other. Serving both
   * to one client is the misbehavior a fork check must catch.
   */
  fork(): TestServer {
    const s = new TestServer(this.#signer, this.#gosum);
    s.#records = [...this.#records];
    s.#hashes = [...this.#hashes];
    s.#lookup = new Map(this.#lookup);
    s.#signed = new Map(this.#signed);
    return s;
  }

  /** signWith makes the server sign future tree notes with another key. */
  async signWith(skey: string): Promise<void> {
    this.#signer = await newSigner(skey);
    this.#signed.clear();
  }

  /** signed returns the signed tree note for the tree of the given size (default: served size). */
  signed(size?: number): Promise<Uint8Array> {
    const n = size ?? this.misbehave.treeSize ?? this.#records.length;
    let p = this.#signed.get(n);
    if (p === undefined) {
      p = (async () => {
        const hash = await treeHash(n, this.hashes);
        return await sign({ text: formatTree({ n, hash }), sigs: [], unverifiedSigs: [] }, [
          this.#signer,
        ]);
      })();
      this.#signed.set(n, p);
    }
    return p;
  }

  /** readTileData returns the hashes of tile t (t.l ≥ 0), or throws NotFoundError beyond the log. */
  readTileData(t: Tile): Promise<Uint8Array> {
    return readTileData(t, this.hashes);
  }

  /**
   * handler serves the checksum database protocol for a request: paths
   * "/lookup/<path>@<version>", "/latest" and "/tile/…" relative to the
   * URL's origin (a path prefix before them is ignored, so the server can
   * be mounted as "<proxy>/sumdb/<name>/…"; "…/supported" answers 200).
   */
  async handler(req: Request): Promise<Response> {
    let path = new URL(req.url).pathname;
    const m = /\/(lookup\/.*|latest|tile\/.*|supported)$/.exec(path);
    path = m ? "/" + m[1] : path;
    this.requests.push(path);
    try {
      return await this.#serve(path);
    } catch (err) {
      if (err instanceof NotFoundError) return text(404, err.message + "\n");
      return text(500, (err as Error).message + "\n");
    }
  }

  async #serve(path: string): Promise<Response> {
    if (path === "/supported") return text(200, "");
    if (path.startsWith("/lookup/")) {
      const mod = path.slice("/lookup/".length);
      if (!modVerRE.test(mod)) return text(400, "invalid module@version syntax\n");
      const at = mod.indexOf("@");
      let modPath: string, vers: string;
      try {
        modPath = unescapePath(mod.slice(0, at));
        vers = unescapeVersion(mod.slice(at + 1));
      } catch (err) {
        return text(500, (err as Error).message + "\n");
      }
      let id = this.#lookup.get(`${modPath}@${vers}`);
      if (id === undefined) {
        if (this.#gosum === undefined) {
          throw new NotFoundError(`not found: ${modPath}@${vers}`);
        }
        id = await this.addRecord(modPath, vers, await this.#gosum(modPath, vers));
      }
      let rec = this.#records[id];
      if (this.misbehave.record) rec = this.misbehave.record(modPath, vers, rec);
      const msg = formatRecord(id, rec);
      const signed = await this.signed();
      return bytes(200, concat(msg, signed), "text/plain; charset=UTF-8");
    }
    if (path === "/latest") {
      return bytes(200, await this.signed(), "text/plain; charset=UTF-8");
    }
    if (path.startsWith("/tile/")) {
      let t: Tile;
      try {
        t = parseTilePath(path.slice(1));
      } catch {
        return text(400, "invalid tile syntax\n");
      }
      let data: Uint8Array;
      if (t.l === -1) {
        // Record data: formatted records without their id lines.
        const start = t.n * 2 ** t.h;
        if (start + t.w > this.#records.length) throw new NotFoundError("missing records");
        const parts: Uint8Array[] = [];
        for (let i = 0; i < t.w; i++) {
          const msg = formatRecord(start + i, this.#records[start + i]);
          parts.push(msg.subarray(msg.indexOf(0x0a) + 1));
        }
        data = concat(...parts);
      } else {
        data = await this.readTileData(t);
      }
      if (this.misbehave.tile) {
        const d = this.misbehave.tile(path.slice(1), data.slice());
        if (d === undefined) throw new NotFoundError(`not found: ${path.slice(1)}`);
        data = d;
      }
      return bytes(
        200,
        data,
        t.l === -1 ? "text/plain; charset=UTF-8" : "application/octet-stream",
      );
    }
    return text(404, "404 page not found\n");
  }
}

function text(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

function bytes(status: number, body: Uint8Array, contentType: string): Response {
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status,
    headers: { "Content-Type": contentType },
  });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * MemClientOps is an in-memory ClientOps: config and cache are maps, and
 * remote reads go to a TestServer's handler (or any path → bytes function).
 * writeConfig is a real compare-and-swap; securityError and log record
 * their messages.
 */
export class MemClientOps implements ClientOps {
  /** Configuration files ("key", "<name>/latest"). */
  readonly config = new Map<string, Uint8Array>();
  /** Cache files ("<name>/lookup/…", "<name>/tile/…"). */
  readonly cache = new Map<string, Uint8Array>();
  /** Messages passed to securityError. */
  readonly security: string[] = [];
  /** Messages passed to log. */
  readonly logs: string[] = [];
  /** Remote paths read, in order. */
  readonly remoteReads: string[] = [];
  /** Whether remote reads are allowed at all. */
  getOK = true;
  /** Whether remote reads of tiles are allowed. */
  getTileOK = true;
  readonly #remote: (path: string) => Promise<Uint8Array>;

  /**
   * @param vkey the verifier key returned for the "key" config file.
   * @param remote a TestServer, or a function answering remote paths.
   */
  constructor(vkey: string, remote: TestServer | ((path: string) => Promise<Uint8Array>)) {
    this.config.set("key", new TextEncoder().encode(vkey + "\n"));
    this.#remote = remote instanceof TestServer
      ? async (path) => {
        const res = await remote.handler(new Request("http://sumdb.test" + path));
        const body = new Uint8Array(await res.arrayBuffer());
        if (res.status === 404 || res.status === 410) {
          throw new NotFoundError(`reading ${path}: ${res.status}`);
        }
        if (res.status !== 200) throw new Error(`reading ${path}: ${res.status}`);
        return body;
      }
      : remote;
  }

  readRemote(path: string): Promise<Uint8Array> {
    if (!this.getOK) return Promise.reject(new Error(`disallowed remote read ${path}`));
    if (path.includes("/tile/") && !this.getTileOK) {
      return Promise.reject(new Error(`disallowed remote tile read ${path}`));
    }
    this.remoteReads.push(path);
    return this.#remote(path);
  }

  readConfig(file: string): Promise<Uint8Array> {
    const data = this.config.get(file);
    if (data === undefined) {
      // Like cmd/go: a missing latest is the empty tree.
      if (file.endsWith("/latest")) return Promise.resolve(new Uint8Array());
      return Promise.reject(new Error(`no config ${file}`));
    }
    return Promise.resolve(data);
  }

  writeConfig(file: string, old: Uint8Array, next: Uint8Array): Promise<void> {
    if (file === "key") return Promise.reject(new Error("cannot write key"));
    const data = this.config.get(file) ?? new Uint8Array();
    if (!equalBytes(old, data)) return Promise.reject(new WriteConflictError());
    this.config.set(file, next.slice());
    return Promise.resolve();
  }

  readCache(file: string): Promise<Uint8Array | undefined> {
    return Promise.resolve(this.cache.get(file));
  }

  writeCache(file: string, data: Uint8Array): Promise<void> {
    this.cache.set(file, data.slice());
    return Promise.resolve();
  }

  log(msg: string): void {
    this.logs.push(msg);
  }

  securityError(msg: string): void {
    this.security.push(msg);
  }
}
