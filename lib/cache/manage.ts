/**
 * Listing and removing toolchains in the module cache.
 *
 * @module
 */

import { join } from "../_internal/path.ts";
import { dlToGo, toolchainModule, unescapeVersion } from "../module/mod.ts";
import type { ModuleVersion } from "../modzip/mod.ts";
import type { WriteFs } from "./fs.ts";
import { cachePaths, isDownloaded } from "./layout.ts";
import { removeAll } from "./tree.ts";

/** A golang.org/toolchain version found in the module cache. */
export interface CachedToolchain {
  /** The module version, e.g. "v0.0.1-go1.22.0.linux-amd64". */
  version: string;
  /** The toolchain name, e.g. "go1.22.0". */
  name: string;
  goos: string;
  goarch: string;
  /** The extracted tree (GOROOT). */
  dir: string;
  /** Whether the go command would use it: extracted completely, .ziphash present, no .partial. */
  complete: boolean;
}

/**
 * listInstalled lists the golang.org/toolchain trees under gomodcache,
 * complete or not, sorted by directory name. Versions that do not have the
 * toolchain shape ("v0.0.1-<name>.<goos>-<goarch>") are skipped.
 */
export function listInstalled(fs: WriteFs, gomodcache: string): CachedToolchain[] {
  const parent = join(fs.pathStyle, gomodcache, "golang.org");
  let names: string[];
  try {
    names = fs.readDir(parent);
  } catch {
    return [];
  }
  const out: CachedToolchain[] = [];
  for (const entry of names.sort()) {
    if (!entry.startsWith("toolchain@")) continue;
    let version: string;
    try {
      version = unescapeVersion(entry.slice("toolchain@".length));
    } catch {
      continue;
    }
    if (dlToGo(version) === undefined) continue;
    const rest = version.slice(version.indexOf("-") + 1);
    const dot = rest.lastIndexOf(".");
    const plat = rest.slice(dot + 1);
    const dash = plat.indexOf("-");
    if (dot < 0 || dash < 0) continue;
    const p = cachePaths(gomodcache, { path: toolchainModule, version }, fs.pathStyle);
    if (!fs.stat(p.dir)?.isDirectory) continue;
    out.push({
      version,
      name: rest.slice(0, dot),
      goos: plat.slice(0, dash),
      goarch: plat.slice(dash + 1),
      dir: p.dir,
      complete: isDownloaded(fs, p),
    });
  }
  return out;
}

/**
 * remove deletes module version m from the module cache: the extracted tree
 * (made writable first) and its download files (.zip, .ziphash, .info,
 * .mod, stale temp files), under the version lock so it cannot interleave
 * with an install by gtc or the go command. It first writes .partial, so a
 * crash midway leaves the version invisible rather than half present; the
 * .lock file stays, as the go command leaves it. It reports whether
 * anything was there.
 */
export async function remove(fs: WriteFs, gomodcache: string, m: ModuleVersion): Promise<boolean> {
  const p = cachePaths(gomodcache, m, fs.pathStyle);
  const zipBase = p.zip.slice(p.downloadDir.length + 1);
  const present = () =>
    fs.lstat(p.dir) !== undefined || fs.lstat(p.zip) !== undefined ||
    fs.lstat(p.ziphash) !== undefined || fs.lstat(p.mod) !== undefined ||
    fs.lstat(p.info) !== undefined;
  if (!present()) return false;
  fs.mkdirAll(p.downloadDir, 0o777);
  const unlock = await fs.lock(p.lock);
  try {
    if (!present()) return false;
    fs.writeFile(p.partial, new Uint8Array(0), 0o666);
    removeAll(fs, p.dir);
    for (const f of [p.ziphash, p.zip, p.info, p.mod]) removeIfExists(fs, f);
    for (const name of fs.readDir(p.downloadDir)) {
      if (name.startsWith(zipBase) && name.endsWith(".tmp")) {
        removeIfExists(fs, join(fs.pathStyle, p.downloadDir, name));
      }
    }
    fs.remove(p.partial);
    return true;
  } finally {
    unlock();
  }
}

function removeIfExists(fs: WriteFs, path: string): void {
  if (fs.lstat(path) !== undefined) fs.remove(path);
}
