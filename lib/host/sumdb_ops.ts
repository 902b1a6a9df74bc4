/**
 * The checksum database client's ClientOps on disk, where the go command
 * keeps the same files, so gtc and go share one trusted timeline and cache:
 *
 * - "key": not stored; it comes from GOSUMDB.
 * - "<name>/latest": $GOPATH/pkg/sumdb/<name>/latest (first GOPATH entry;
 *   cmd/go cfg.SumdbDir), read under a shared lock and replaced by
 *   compare-and-swap under an exclusive lock (lockedfile.Read / Edit).
 * - cache files: $GOMODCACHE/cache/download/sumdb/<name>/lookup/… and
 *   …/tile/…, read under a shared lock (a zero-length file counts as
 *   missing) and written under an exclusive lock (lockedfile.Read / Write).
 *
 * Locks are flock(2), as Go's lockedfile on Unix: Deno.FsFile.lock is flock
 * on Unix and LockFileEx on Windows (see lock.ts and sumdb_ops_test.ts,
 * which checks exclusion against flock(1)).
 *
 * Mirrors cmd/go/internal/modfetch sumdb.go dbClient (go1.26).
 *
 * @module
 */

import { join } from "node:path";
import {
  type ClientOps,
  type HttpClient,
  httpReadRemote,
  type ProxyEntry,
  type SumDB,
  WriteConflictError,
} from "../sumdb/mod.ts";

/** Options for diskClientOps. */
export interface DiskClientOpsOptions {
  /** The database GOSUMDB selects (parseGOSUMDB). */
  db: SumDB;
  /** The first GOPATH entry (absolute); "latest" lives under <gopath>/pkg/sumdb. */
  gopath: string;
  /** GOMODCACHE (absolute); cache files live under <gomodcache>/cache/download/sumdb. */
  gomodcache: string;
  /**
   * Remote reads: either an HttpClient and the GOPROXY entries (the base URL
   * is found on first need, as cmd/go initBase), or a readRemote function.
   */
  remote:
    | { http: HttpClient; proxies: readonly ProxyEntry[] }
    | ((path: string) => Promise<Uint8Array>);
  /** Receives the security report before the client throws SecurityError. @default {ignore} */
  securityError?: (msg: string) => void;
  /** Receives log messages. @default {ignore} */
  log?: (msg: string) => void;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function readAll(f: Deno.FsFile): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const k = await f.read(buf);
    if (k === null) break;
    chunks.push(buf.slice(0, k));
    n += k;
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

async function writeAll(f: Deno.FsFile, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await f.write(data.subarray(off));
}

/** lockedRead mirrors lockedfile.Read: open read-only, flock(LOCK_SH), read. */
export async function lockedRead(path: string): Promise<Uint8Array> {
  const f = await Deno.open(path, { read: true });
  try {
    await f.lock(false);
    return await readAll(f);
  } finally {
    f.close(); // closing releases the lock
  }
}

/**
 * lockedWrite mirrors lockedfile.Write: open write-only, creating it with
 * mode 0666 (before umask), flock(LOCK_EX), truncate, write. It is not
 * atomic: a reader may see the file empty.
 */
export async function lockedWrite(path: string, data: Uint8Array): Promise<void> {
  const f = await Deno.open(path, { write: true, create: true, mode: 0o666 });
  try {
    await f.lock(true);
    await f.truncate(0);
    await writeAll(f, data);
  } finally {
    f.close();
  }
}

/**
 * diskClientOps returns ClientOps that keep the database's files where the
 * go command keeps them (see the module doc).
 *
 * @example Where the files go
 * ```ts ignore
 * const ops = diskClientOps({ db: parseGOSUMDB("sum.golang.org"), gopath, gomodcache, remote: { http, proxies } });
 * // ops.readConfig("sum.golang.org/latest") reads <gopath>/pkg/sumdb/sum.golang.org/latest
 * ```
 */
export function diskClientOps(opts: DiskClientOpsOptions): ClientOps {
  const sumdbDir = join(opts.gopath, "pkg", "sumdb");
  const cacheDir = join(opts.gomodcache, "cache", "download", "sumdb");
  const remote = typeof opts.remote === "function"
    ? opts.remote
    : httpReadRemote(opts.db, opts.remote.proxies, opts.remote.http);
  const key = new TextEncoder().encode(opts.db.key);

  return {
    readRemote: remote,

    async readConfig(file) {
      if (file === "key") return key.slice();
      try {
        return await lockedRead(join(sumdbDir, file));
      } catch (err) {
        // Treat non-existent as empty, to bootstrap the "latest" file the
        // first time we connect to a given database.
        if (err instanceof Deno.errors.NotFound) return new Uint8Array();
        throw err;
      }
    },

    async writeConfig(file, old, next) {
      // Should not happen.
      if (file === "key") throw new Error("cannot write key");
      const targ = join(sumdbDir, file);
      await Deno.mkdir(join(targ, ".."), { recursive: true, mode: 0o777 });
      // lockedfile.Edit: O_RDWR|O_CREATE 0666, flock(LOCK_EX).
      const f = await Deno.open(targ, { read: true, write: true, create: true, mode: 0o666 });
      try {
        await f.lock(true);
        const data = await readAll(f);
        if (data.length > 0 && !equalBytes(data, old)) throw new WriteConflictError();
        await f.seek(0, Deno.SeekMode.Start);
        await f.truncate(0);
        await writeAll(f, next);
      } finally {
        f.close();
      }
    },

    async readCache(file) {
      try {
        const data = await lockedRead(join(cacheDir, file));
        // lockedfile.Write does not atomically create the file with
        // contents: an empty file may be one being written. Treat it as
        // not found.
        return data.length === 0 ? undefined : data;
      } catch {
        return undefined;
      }
    },

    async writeCache(file, data) {
      const targ = join(cacheDir, file);
      try {
        await Deno.mkdir(join(targ, ".."), { recursive: true, mode: 0o777 });
        await lockedWrite(targ, data);
      } catch (err) {
        // cmd/go ignores these errors: the next run fetches again.
        opts.log?.(`sumdb: writing ${targ}: ${(err as Error).message}`);
      }
    },

    log(msg) {
      opts.log?.(msg);
    },

    securityError(msg) {
      opts.securityError?.(msg);
    },
  };
}
