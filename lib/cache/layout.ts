/**
 * Where the go command keeps a module version in the module cache
 * (cmd/go/internal/modfetch cache.go CachePath and DownloadDir, go1.26):
 *
 * ```
 * $GOMODCACHE/cache/download/<escaped path>/@v/<escaped version>.{zip,ziphash,lock,partial,info,mod}
 * $GOMODCACHE/<escaped path>@<escaped version>/          the extracted tree
 * ```
 *
 * lib/toolchain/locate.ts computes the same directory for the reader side
 * (toolchainCacheDir, isCachedToolchain); layout_test.ts checks they agree.
 *
 * @module
 */

import { join, type PathStyle } from "../_internal/path.ts";
import type { ReadFs } from "../_internal/sys.ts";
import { escapePath, escapeVersion } from "../module/mod.ts";
import type { ModuleVersion } from "../modzip/mod.ts";

/** The files of one module version in the module cache. */
export interface CachePaths {
  /** The extracted module tree, e.g. …/golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64. */
  dir: string;
  /** The download directory …/cache/download/golang.org/toolchain/@v. */
  downloadDir: string;
  zip: string;
  /** zip + "hash": "h1:…" (47 bytes, no newline). */
  ziphash: string;
  lock: string;
  partial: string;
  info: string;
  mod: string;
}

/**
 * cachePaths returns where module version m lives under gomodcache.
 *
 * @throws {Error} the path or version cannot be escaped (lib/module errors).
 */
export function cachePaths(
  gomodcache: string,
  m: ModuleVersion,
  style: PathStyle = "posix",
): CachePaths {
  const enc = escapePath(m.path);
  const encVer = escapeVersion(m.version);
  const downloadDir = join(style, gomodcache, "cache", "download", enc, "@v");
  const at = (suffix: string) => join(style, downloadDir, `${encVer}.${suffix}`);
  return {
    dir: join(style, gomodcache, `${enc}@${encVer}`),
    downloadDir,
    zip: at("zip"),
    ziphash: at("ziphash"),
    lock: at("lock"),
    partial: at("partial"),
    info: at("info"),
    mod: at("mod"),
  };
}

/**
 * isDownloaded reports whether the module tree is completely extracted, as
 * modfetch.DownloadDir decides: dir is a directory, there is no .partial
 * file, and the .ziphash file exists. (golang.org/fips140, which needs no
 * .ziphash, is not a module gtc installs.)
 */
export function isDownloaded(fs: ReadFs, p: CachePaths): boolean {
  if (!fs.stat(p.dir)?.isDirectory) return false;
  if (fs.stat(p.partial) !== undefined) return false;
  return fs.stat(p.ziphash) !== undefined;
}

/**
 * isValidSum mirrors modfetch.isValidSum on the trimmed .ziphash content: no
 * NUL byte (a crash between truncate and write leaves NULs) and exactly the
 * length of "h1:" plus a base64 SHA-256 (47 bytes).
 */
export function isValidSum(data: string): boolean {
  return !data.includes("\0") && data.length === 47;
}
