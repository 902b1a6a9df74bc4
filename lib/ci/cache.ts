/**
 * The caches a CI job keeps between runs: the module cache (GOMODCACHE) and
 * the build cache (GOCACHE), where the go command puts them, and a cache key
 * that changes when the toolchain, the platform or the module requirements
 * (the go.sum and go.work.sum files) change.
 *
 * The key is `gtc-go-GOOS-GOARCH-TOOLCHAIN-HASH`, HASH the SHA-256 over every
 * go.sum and go.work.sum below the module or workspace root (the directory of
 * the go.work or go.mod the go command consulted), each as "relative path,
 * NUL, SHA-256 of its content, newline" in path order — what
 * `hashFiles('**\/go.sum', '**\/go.work.sum')` covers, with directories the go
 * command ignores skipped (names starting with "." or "_", testdata). The
 * restore key is the same without HASH, so a job after a dependency change
 * starts from the previous cache of the same toolchain and platform.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { ReadFs } from "../_internal/sys.ts";
import { isAbs, join, type PathStyle, splitList } from "../_internal/path.ts";

/** The go settings the cache paths come from (a GoEnv fits). */
export interface CacheSettings {
  /** The value as the go command reads it (process, go env file, $GOROOT/go.env), no defaults. */
  getenv(key: string): string;
  /** The effective value with the go command's defaults (GOPATH → $HOME/go). */
  lookup(key: string): { value: string };
  /** The raw process environment value ("" when unset). */
  osGetenv(key: string): string;
}

/** What `gtc ci` prints about caches, in every format. */
export interface CiCache {
  /** The module cache directory (go env GOMODCACHE). */
  gomodcache: string;
  /** The build cache directory (go env GOCACHE), or "off". */
  gocache: string;
  /** The directories to save and restore (gocache left out when off). */
  paths: string[];
  /** The exact key. */
  key: string;
  /** The prefix to fall back to (actions/cache restore-keys). */
  restoreKey: string;
  /** The go.sum / go.work.sum files hashed, relative to root, in order. */
  sumFiles: string[];
  /** The directory searched for them. */
  root: string;
}

/**
 * userCacheDir is os.UserCacheDir for goos, or an error text.
 */
export function userCacheDir(
  env: Pick<CacheSettings, "osGetenv">,
  goos: string,
  style: PathStyle,
): { dir: string } | { error: string } {
  const get = (k: string) => env.osGetenv(k);
  switch (goos) {
    case "windows": {
      const d = get("LocalAppData");
      return d === "" ? { error: "%LocalAppData% is not defined" } : { dir: d };
    }
    case "darwin":
    case "ios": {
      const h = get("HOME");
      return h === ""
        ? { error: "$HOME is not defined" }
        : { dir: join(style, h, "Library", "Caches") };
    }
    case "plan9": {
      const h = get("home");
      return h === "" ? { error: "$home is not defined" } : { dir: join(style, h, "lib", "cache") };
    }
  }
  const x = get("XDG_CACHE_HOME");
  if (x !== "") {
    return isAbs(x, style) ? { dir: x } : { error: "path in $XDG_CACHE_HOME is relative" };
  }
  const h = get("HOME");
  return h === ""
    ? { error: "neither $XDG_CACHE_HOME nor $HOME are defined" }
    : { dir: join(style, h, ".cache") };
}

/**
 * goCacheDir is `go env GOCACHE` (cmd/go/internal/cache.DefaultDir): $GOCACHE
 * when absolute or "off", else os.UserCacheDir()/go-build.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { goCacheDir } from "./cache.ts";
 * const env = (m: Record<string, string>) => ({
 *   getenv: (k: string) => m[k] ?? "",
 *   osGetenv: (k: string) => m[k] ?? "",
 * });
 * assert.deepEqual(goCacheDir(env({ HOME: "/h" }), "linux", "posix"), { dir: "/h/.cache/go-build" });
 * assert.deepEqual(goCacheDir(env({ GOCACHE: "off" }), "linux", "posix"), { dir: "off" });
 * ```
 */
export function goCacheDir(
  env: Pick<CacheSettings, "getenv" | "osGetenv">,
  goos: string,
  style: PathStyle,
): { dir: string } | { error: string } {
  const v = env.getenv("GOCACHE");
  if (v !== "") {
    return isAbs(v, style) || v === "off"
      ? { dir: v }
      : { error: "GOCACHE is not an absolute path" };
  }
  const u = userCacheDir(env, goos, style);
  if ("error" in u) return { error: `GOCACHE is not defined and ${u.error}` };
  return { dir: join(style, u.dir, "go-build") };
}

/** goModCacheDir is `go env GOMODCACHE`: $GOMODCACHE, else the first GOPATH entry's pkg/mod. */
export function goModCacheDir(
  env: Pick<CacheSettings, "lookup">,
  style: PathStyle,
): { dir: string } | { error: string } {
  const v = env.lookup("GOMODCACHE").value;
  if (v === "") {
    const gopath = splitList(env.lookup("GOPATH").value, style)[0] ?? "";
    return { error: gopath === "" ? "GOPATH is not set: no module cache" : "no module cache" };
  }
  if (!isAbs(v, style)) return { error: "GOMODCACHE entry is relative; must be absolute path" };
  return { dir: v };
}

/**
 * sumFiles lists the go.sum and go.work.sum files below root, relative to
 * it with "/" separators, sorted; it does not follow directory symlinks and
 * skips directories whose names start with "." or "_" and testdata.
 */
export function sumFiles(fs: ReadFs, root: string, style: PathStyle): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = fs.readDir(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(style, dir, n);
      const r = rel === "" ? n : `${rel}/${n}`;
      const info = fs.lstat(p);
      if (info === undefined) continue;
      if (info.isDirectory) {
        if (n.startsWith(".") || n.startsWith("_") || n === "testdata") continue;
        walk(p, r);
      } else if ((n === "go.sum" || n === "go.work.sum") && (info.isFile || fs.stat(p)?.isFile)) {
        out.push(r);
      }
    }
  };
  walk(root, "");
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** sumHash is the hash over the files (see the module comment). */
export function sumHash(
  fs: ReadFs,
  root: string,
  files: readonly string[],
  style: PathStyle,
): string {
  const h = createHash("sha256");
  for (const f of files) {
    const content = fs.readFile(join(style, root, ...f.split("/")));
    h.update(`${f}\0${createHash("sha256").update(content).digest("hex")}\n`);
  }
  return h.digest("hex");
}

/** What ciCache needs. */
export interface CiCacheInput {
  fs: ReadFs;
  env: CacheSettings;
  style: PathStyle;
  /** The host's GOOS and GOARCH (the runner's platform). */
  goos: string;
  goarch: string;
  /** The selected toolchain's name. */
  toolchain: string;
  /** The module or workspace root (the directory of the consulted go.work/go.mod), else the directory evaluated. */
  root: string;
}

/**
 * ciCache computes the cache paths and keys, or throws an Error with the go
 * command's reason when it has no module or build cache location.
 */
export function ciCache(input: CiCacheInput): CiCache {
  const mod = goModCacheDir(input.env, input.style);
  if ("error" in mod) throw new Error(mod.error);
  const build = goCacheDir(input.env, input.goos, input.style);
  if ("error" in build) throw new Error(build.error);
  const files = sumFiles(input.fs, input.root, input.style);
  const restoreKey = `gtc-go-${input.goos}-${input.goarch}-${input.toolchain}-`;
  return {
    gomodcache: mod.dir,
    gocache: build.dir,
    paths: build.dir === "off" ? [mod.dir] : [mod.dir, build.dir],
    key: restoreKey + sumHash(input.fs, input.root, files, input.style),
    restoreKey,
    sumFiles: files,
    root: input.root,
  };
}
