/**
 * Putting a module version into the go command's module cache the way the
 * go command does, so that each accepts what the other wrote: the sequence of
 * modfetch.Download (download, DownloadZip, downloadZip, hashZip, unzip,
 * checkMod in cmd/go/internal/modfetch fetch.go, go1.26), followed for
 * golang.org/toolchain by the first-use fix-ups of toolchain.Exec.
 *
 * Crash safety is Go's: the .zip appears by rename only after its hash was
 * verified and .ziphash written; the tree is extracted in place while a
 * .partial file marks it incomplete; a tree without .ziphash or with
 * .partial is invisible to both the go command and gtc and is removed by
 * the next install, under the per-version lock.
 *
 * Two deliberate differences, same end state. The zip's h1: hash is
 * computed as the bytes arrive (lib/modzip ZipHashStream) instead of in a
 * second pass over the file; the stream's hash is used only when the
 * central directory on disk names exactly the entries it hashed, else the
 * file is hashed as the go command does. And gtc applies the
 * toolchain fix-ups (exec bits, _go.mod copies) and makes directories
 * read-only *before* removing .partial, so a tree that becomes visible is
 * already final. The go command does these after, and skips them when it
 * finds them done (bin/go executable, src/go.mod the size of src/_go.mod).
 *
 * A behaviour change here needs a failing test first (install_test.ts, the
 * real-go tests in tests/gocmd).
 *
 * @module
 */

import { dirname } from "../_internal/path.ts";
import { goQuote } from "../_internal/go_quote.ts";
import {
  type Codec,
  type FileWriter,
  hashZip,
  type ModuleVersion,
  readZip,
  unzip,
  ZipHashStream,
} from "../modzip/mod.ts";
import type { WriteFs } from "./fs.ts";
import { type CachePaths, cachePaths, isDownloaded, isValidSum } from "./layout.ts";
import { firstUse, makeDirsReadOnly, removeAll } from "./tree.ts";

/** The machine and settings an install works with. */
export interface CacheEnv {
  fs: WriteFs;
  codec: Codec;
  /** Absolute GOMODCACHE. */
  gomodcache: string;
  /** runtime.GOOS of the toolchains (fix-ups skip exec bits on "windows"). */
  goos: string;
  /** Returns a random integer in [0, n) (rand.Intn); tests pass a seeded one. */
  randomInt?: (n: number) => number;
  /** -modcacherw: leave extracted directories writable. @default false */
  modCacheRW?: boolean;
}

/** What install reports as it goes. */
export type InstallEvent =
  /** The go command's "go: downloading …" line, printed before the lock is taken. */
  | { kind: "downloading"; message: string }
  | { kind: "progress"; bytes: number; total?: number }
  | { kind: "downloaded"; bytes: number }
  | { kind: "extracting"; dir: string };

/** An install of one module version. */
export interface InstallRequest {
  module: ModuleVersion;
  /**
   * fetchZip opens the module zip (e.g. from a GOPROXY). It is called at
   * most once, while the version lock is held, and only when no verified
   * zip is cached. A failure leaves nothing behind.
   */
  fetchZip?: () => Promise<ReadableStream<Uint8Array>>;
  /**
   * fetchZipTo is fetchZip for sources that may fail part way and try
   * another (a GOPROXY list): it writes into dst and calls dst.reset() before
   * each new attempt, as the go command truncates its temp file. Exactly one
   * of fetchZip and fetchZipTo must be given.
   */
  fetchZipTo?: (dst: ZipSink) => Promise<void>;
  /**
   * verify checks the zip's h1: hash, normally against the checksum
   * database (checkModSum). It throws to refuse; the error propagates
   * unchanged and nothing becomes visible. It is called on every install,
   * cache hits included, as the go command's checkMod is.
   */
  verify: (h1: string) => Promise<void> | void;
  onEvent?: (e: InstallEvent) => void;
  /**
   * Apply toolchain.Exec's first-use fix-ups (exec bits, _go.mod copies).
   * @default true for golang.org/toolchain, false otherwise
   */
  fixups?: boolean;
}

/** ZipSink receives a zip as it streams in (the shape lib/proxy writes into). */
export interface ZipSink {
  write(chunk: Uint8Array): Promise<void> | void;
  reset(): Promise<void> | void;
  declaredSize?(bytes: number): void;
}

/** The outcome of install. */
export interface InstallResult {
  /** The extracted module tree (a GOROOT for toolchains). */
  dir: string;
  /** The verified h1: hash, as in .ziphash. */
  h1: string;
  /** Whether the zip was downloaded by this call. */
  downloaded: boolean;
  /** Whether the tree was extracted by this call. */
  extracted: boolean;
  /**
   * Whether the h1: hash of a zip downloaded by this call was computed from
   * the bytes as they arrived (one pass), rather than by reading the file
   * again (zips whose layout the stream cannot vouch for; see
   * lib/modzip/stream.ts).
   */
  hashedWhileDownloading: boolean;
}

function randomInt(env: CacheEnv, n: number): number {
  return env.randomInt ? env.randomInt(n) : Math.floor(Math.random() * n);
}

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf("/"), p.lastIndexOf("\\")) + 1);
}

// downloadingMessage is the go command's "go: downloading" line
// (modfetch.DownloadZip), shortened for toolchains:
// v0.0.1-go1.13.1.darwin-amd64 → "go1.13.1 (darwin/amd64)".
function downloadingMessage(m: ModuleVersion): string {
  if (m.path !== "golang.org/toolchain") return `go: downloading ${m.path} ${m.version}`;
  let vers = m.version;
  const dash = vers.indexOf("-");
  vers = dash >= 0 ? vers.slice(dash + 1) : "";
  const i = vers.lastIndexOf(".");
  if (i >= 0) {
    const plat = vers.slice(i + 1);
    const j = plat.indexOf("-");
    const goos = j >= 0 ? plat.slice(0, j) : plat;
    const goarch = j >= 0 ? plat.slice(j + 1) : "";
    vers = `${vers.slice(0, i)} (${goos}/${goarch})`;
  }
  return `go: downloading ${vers}`;
}

async function withLock<T>(env: CacheEnv, p: CachePaths, f: () => Promise<T> | T): Promise<T> {
  env.fs.mkdirAll(dirname(p.lock, env.fs.pathStyle), 0o777);
  const unlock = await env.fs.lock(p.lock);
  try {
    return await f();
  } finally {
    unlock();
  }
}

/**
 * install makes module version req.module present, verified and (for
 * toolchains) ready to run in env.gomodcache, mirroring modfetch.Download
 * then toolchain.Exec's fix-ups. Safe to run concurrently with other gtc
 * and go processes: they serialize on the version's .lock file.
 *
 * @throws whatever req.verify or req.fetchZip throws; ModZipError for a zip
 * that fails x/mod's checks; FsError for file-system failures.
 */
export async function install(env: CacheEnv, req: InstallRequest): Promise<InstallResult> {
  const { fs } = env;
  const m = req.module;
  const p = cachePaths(env.gomodcache, m, fs.pathStyle);
  const fixups = req.fixups ?? m.path === "golang.org/toolchain";
  const result: InstallResult = {
    dir: p.dir,
    h1: "",
    downloaded: false,
    extracted: false,
    hashedWhileDownloading: false,
  };
  let verified = "";

  if (!isDownloaded(fs, p)) {
    // DownloadZip: return early if the zip and its hash exist.
    if (fs.stat(p.zip) === undefined || fs.stat(p.ziphash) === undefined) {
      req.onEvent?.({ kind: "downloading", message: downloadingMessage(m) });
      verified = await withLock(env, p, () => downloadZip(env, req, p, result));
    }
    await withLock(env, p, () => extract(env, req, p, result, fixups));
  } else if (fixups && needsFixups(env, p.dir)) {
    // Extracted by `go mod download`, which does not apply toolchain.Exec's
    // first-use fix-ups (the go command applies them on each switch that
    // finds bin/go not executable): apply them now, so the GOROOT gtc
    // returns runs. firstUse is idempotent and safe against racers.
    await withLock(env, p, () => firstUse(fs, p.dir, env.goos));
  }

  // checkMod: every time, cache hit or not.
  result.h1 = await checkMod(env, req, p, verified);
  return result;
}

// downloadZip mirrors modfetch.downloadZip, run under the lock. It returns
// the hash it verified ("" if it found the files already there).
async function downloadZip(
  env: CacheEnv,
  req: InstallRequest,
  p: CachePaths,
  result: InstallResult,
): Promise<string> {
  const { fs } = env;
  const zipExists = fs.stat(p.zip) !== undefined;
  const ziphashExists = fs.stat(p.ziphash) !== undefined;
  if (zipExists && ziphashExists) return "";
  fs.mkdirAll(p.downloadDir, 0o777);

  // Stale temp files of crashed writers: safe to delete under the lock.
  const zipBase = basename(p.zip);
  for (const name of safeReadDir(fs, p.downloadDir)) {
    if (name.startsWith(zipBase) && name.endsWith(".tmp")) {
      try {
        fs.remove(`${p.downloadDir}${sep(env)}${name}`);
      } catch {
        // best effort
      }
    }
  }

  // The zip exists without its hash (lost in a crash): re-hash, no download.
  if (zipExists) return await hashAndRecord(env, req, p, p.zip);

  const [tmp, w] = createTemp(env, p);
  // The zip is hashed as it arrives (download → hash → verify → extract in
  // one pass over the bytes); the stream is only trusted once the central
  // directory on disk is shown to name exactly the entries it hashed.
  const hs = new ZipHashStream(env.codec);
  let ok = false;
  try {
    let bytes = 0;
    try {
      if (req.fetchZipTo !== undefined) {
        let total: number | undefined;
        await req.fetchZipTo({
          write: (chunk) => {
            w.write(chunk);
            hs.write(chunk);
            bytes += chunk.length;
            req.onEvent?.({ kind: "progress", bytes, total });
          },
          reset: () => {
            w.reset();
            hs.reset();
            bytes = 0;
          },
          declaredSize: (n) => total = n,
        });
      } else if (req.fetchZip !== undefined) {
        const stream = await req.fetchZip();
        for await (const chunk of stream) {
          w.write(chunk);
          hs.write(chunk);
          bytes += chunk.length;
        }
      } else {
        throw new Error("internal error: install needs fetchZip or fetchZipTo");
      }
    } finally {
      w.close();
    }
    req.onEvent?.({ kind: "downloaded", bytes });

    // Double-check that the paths within the zip file are well-formed.
    const prefix = `${req.module.path}@${req.module.version}/`;
    const f = fs.openRead(tmp);
    let streamed: string | undefined;
    try {
      const central = readZip(f);
      for (const zf of central) {
        if (!zf.name.startsWith(prefix)) {
          throw new Error(`zip for ${prefix.slice(0, -1)} has unexpected file ${zf.name}`);
        }
      }
      streamed = hs.finish(central);
    } finally {
      f.close();
    }

    const h = await hashAndRecord(env, req, p, tmp, streamed);
    fs.rename(tmp, p.zip);
    result.downloaded = true;
    result.hashedWhileDownloading = streamed !== undefined;
    ok = true;
    return h;
  } finally {
    hs.close();
    if (!ok) {
      try {
        fs.remove(tmp);
      } catch {
        // already gone
      }
    }
  }
}

function sep(env: CacheEnv): string {
  return env.fs.pathStyle === "windows" ? "\\" : "/";
}

function safeReadDir(fs: WriteFs, dir: string): string[] {
  try {
    return fs.readDir(dir);
  } catch {
    return [];
  }
}

// createTemp mirrors modfetch.tempFile: <zip><random>.tmp, created O_EXCL
// 0666, retrying on a name clash.
function createTemp(env: CacheEnv, p: CachePaths): [string, FileWriter] {
  let err: unknown;
  for (let i = 0; i < 10000; i++) {
    const name = `${p.zip}${randomInt(env, 1000000000)}.tmp`;
    try {
      return [name, env.fs.createNew(name, 0o666)];
    } catch (e) {
      err = e;
      if (env.fs.lstat(name) === undefined) break; // not a clash
    }
  }
  throw err;
}

// hashAndRecord mirrors modfetch.hashZip: hash, verify, then write .ziphash
// (lockedfile.Create + Truncate + WriteAt). Nothing is written on failure.
// streamed is the hash computed while downloading, when the stream could
// vouch for it; otherwise the file is hashed as the go command does.
async function hashAndRecord(
  env: CacheEnv,
  req: InstallRequest,
  p: CachePaths,
  zipFile: string,
  streamed?: string,
): Promise<string> {
  const h = streamed ?? hashZip(env.fs, zipFile, env.codec);
  await req.verify(h);
  env.fs.writeLocked(p.ziphash, new TextEncoder().encode(h));
  return h;
}

// extract mirrors modfetch.unzip, run under the lock, plus the fix-ups.
function extract(
  env: CacheEnv,
  req: InstallRequest,
  p: CachePaths,
  result: InstallResult,
  fixups: boolean,
): void {
  const { fs } = env;
  // Populated while we waited for the lock?
  if (isDownloaded(fs, p)) return;
  const dirExists = fs.lstat(p.dir) !== undefined;

  // Remove temporary directories of old go versions (before 1.16) and the
  // partially extracted tree: the lock says their writers are gone.
  const parent = dirname(p.dir, fs.pathStyle);
  const tmpPrefix = basename(p.dir) + ".tmp-";
  for (const name of safeReadDir(fs, parent)) {
    if (name.startsWith(tmpPrefix)) {
      try {
        removeAll(fs, `${parent}${sep(env)}${name}`);
      } catch {
        // best effort
      }
    }
  }
  if (dirExists) removeAll(fs, p.dir);

  fs.mkdirAll(parent, 0o777);
  fs.writeFile(p.partial, new Uint8Array(0), 0o666);
  req.onEvent?.({ kind: "extracting", dir: p.dir });
  try {
    unzip(fs, { dir: p.dir, module: req.module, zipFile: p.zip, codec: env.codec });
    if (fixups) firstUse(fs, p.dir, env.goos);
  } catch (e) {
    // As Go: the .partial marker goes only once the tree is gone.
    try {
      removeAll(fs, p.dir);
      fs.remove(p.partial);
    } catch {
      // leave .partial: the tree stays invisible
    }
    throw e;
  }
  if (!env.modCacheRW) makeDirsReadOnly(fs, p.dir);
  fs.remove(p.partial);
  result.extracted = true;
}

// checkMod mirrors modfetch.checkMod: read .ziphash; if it is damaged,
// re-hash the zip (and rewrite .ziphash); then verify the hash.
async function checkMod(
  env: CacheEnv,
  req: InstallRequest,
  p: CachePaths,
  verified: string,
): Promise<string> {
  const m = req.module;
  let data: string;
  try {
    data = new TextDecoder().decode(env.fs.readFile(p.ziphash)).trim();
  } catch (e) {
    throw new Error(`verifying ${m.path}@${m.version}: ${(e as Error).message}`, { cause: e });
  }
  if (!isValidSum(data)) {
    return await hashAndRecord(env, req, p, p.zip);
  }
  if (!data.startsWith("h1:")) {
    throw new Error(`verifying ${m.path}@${m.version}: unexpected ziphash: ${goQuote(data)}`);
  }
  if (data !== verified) await req.verify(data);
  return data;
}

// needsFixups reports whether an extracted toolchain still lacks the first-use
// fix-ups: bin/go without an exec bit, or src/go.mod not yet restored.
function needsFixups(env: CacheEnv, dir: string): boolean {
  const { fs } = env;
  const sep = fs.pathStyle === "windows" ? "\\" : "/";
  if (env.goos !== "windows") {
    const bin = fs.stat(`${dir}${sep}bin${sep}go`);
    if (bin !== undefined && ((bin.mode ?? 0) & 0o111) === 0) return true;
  }
  const u = fs.stat(`${dir}${sep}src${sep}_go.mod`);
  const g = fs.stat(`${dir}${sep}src${sep}go.mod`);
  return u !== undefined && (g === undefined || g.size !== u.size);
}
