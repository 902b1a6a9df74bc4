/**
 * Which go.work or go.mod governs a directory, found the way the go command
 * finds them at startup, and whether modules are on at all.
 *
 * Mirrors cmd/go/internal/modload init.go (go1.26): FindGoWork and
 * findWorkspaceFile, FindGoMod and findModuleRoot, WillBeEnabled, with
 * cmd/go/internal/search.InDir for the temporary-directory rule. A behaviour
 * change here needs a failing table or differential test first: these rules
 * decide which file's go and toolchain lines select the toolchain.
 *
 * Paths are absolute. POSIX paths are complete; Windows paths work for drive
 * letters with either separator (style "windows"), not for UNC shares.
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { clean, dirname, isAbs, join, type PathStyle } from "../_internal/path.ts";

/**
 * GoWorkError is a GOWORK setting the go command refuses. Its message is the
 * go command's, byte for byte.
 */
export class GoWorkError extends Error {
  /** The GOWORK value that was refused. */
  readonly gowork: string;

  constructor(gowork: string) {
    super("go: invalid GOWORK: not an absolute path");
    this.name = "GoWorkError";
    this.gowork = gowork;
  }
}

/** FindGoWorkOptions are the settings findGoWork reads. */
export interface FindGoWorkOptions {
  /** The GOWORK setting: "off", "" or "auto", or an absolute path. @default "" */
  gowork?: string;
  /** The GOROOT in use (cfg.GOROOT, a cleaned path); the upward search never enters it from below. @default "" */
  goroot?: string;
  /** Path syntax. @default "posix" */
  style?: PathStyle;
}

/**
 * findGoWork returns the go.work file that governs dir, or undefined when
 * there is none. Mirrors modload.FindGoWork (go1.26):
 *
 * - GOWORK=off: none.
 * - GOWORK unset, "" or "auto": the first dir/go.work, going upward, that
 *   exists and is not a directory. The search stops without a result when the
 *   next parent to visit is exactly GOROOT, so a go.work in GOROOT or above it
 *   never applies to GOROOT's own source tree.
 * - anything else must be an absolute path, and is returned as is, even if no
 *   file exists there (the caller decides; Select falls back to go.mod).
 *
 * @param fs the file system to stat
 * @param dir the absolute working directory (after `go -C`)
 * @throws {GoWorkError} when GOWORK is a relative path
 *
 * @example A go.work above the module wins the search
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { findGoWork } from "./find.ts";
 * const fs = new MemFs({ "/w/go.work": "go 1.22\n", "/w/m/go.mod": "module m\n" });
 * assert.equal(findGoWork(fs, "/w/m", {}), "/w/go.work");
 * assert.equal(findGoWork(fs, "/w/m", { gowork: "off" }), undefined);
 * ```
 */
export function findGoWork(
  fs: ReadFs,
  dir: string,
  options: FindGoWorkOptions = {},
): string | undefined {
  const { gowork = "", goroot = "", style = "posix" } = options;
  switch (gowork) {
    case "off":
      return undefined;
    case "":
    case "auto":
      return findWorkspaceFile(fs, dir, goroot, style);
    default:
      if (!isAbs(gowork, style)) throw new GoWorkError(gowork);
      return gowork;
  }
}

// findWorkspaceFile mirrors modload.findWorkspaceFile.
function findWorkspaceFile(
  fs: ReadFs,
  dir: string,
  goroot: string,
  style: PathStyle,
): string | undefined {
  if (dir === "") throw new Error("internal error: dir not set");
  dir = clean(dir, style);
  for (;;) {
    const f = join(style, dir, "go.work");
    const fi = fs.stat(f);
    if (fi !== undefined && !fi.isDirectory) return f;
    const d = dirname(dir, style);
    if (d === dir) break;
    if (d === goroot) {
      // Don't cross GOROOT to find a go.work file: the standard library and
      // commands built in go always use their vendored dependencies, so a
      // go.work above GOROOT is almost certainly irrelevant to them.
      return undefined;
    }
    dir = d;
  }
  return undefined;
}

/** FindGoModOptions are the settings findGoMod reads. */
export interface FindGoModOptions {
  /**
   * The system temporary directory (Go's os.TempDir(): $TMPDIR, else "/tmp"
   * on Unix). A go.mod found directly in it is ignored. @default "/tmp"
   */
  tempDir?: string;
  /** Path syntax. @default "posix" */
  style?: PathStyle;
}

/**
 * findGoMod returns the go.mod file that governs dir, or undefined. Mirrors
 * modload.FindGoMod (go1.26): the first dir/go.mod, going upward, that stat
 * finds and that is not a directory (a symlink to a file counts; a broken
 * symlink does not). If that go.mod is in the temporary directory itself
 * (compared as written and after resolving symlinks in either path), the
 * result is undefined and the search does not go on: a stray /tmp/go.mod
 * would otherwise capture every scratch directory under /tmp
 * (golang/go#26708).
 *
 * @param fs the file system to stat and read links from
 * @param dir the absolute working directory
 *
 * @example The nearest go.mod wins; /tmp/go.mod never does
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { findGoMod } from "./find.ts";
 * const fs = new MemFs({ "/src/m/go.mod": "module m\n", "/tmp/go.mod": "module t\n", "/tmp/x/" : "" });
 * assert.equal(findGoMod(fs, "/src/m/internal", {}), "/src/m/go.mod");
 * assert.equal(findGoMod(fs, "/tmp/x", { tempDir: "/tmp" }), undefined);
 * ```
 */
export function findGoMod(
  fs: ReadFs,
  dir: string,
  options: FindGoModOptions = {},
): string | undefined {
  const { tempDir = "/tmp", style = "posix" } = options;
  const modRoot = findModuleRoot(fs, dir, style);
  if (modRoot === undefined) return undefined;
  if (inDir(fs, modRoot, tempDir, style) === ".") {
    // If you create /tmp/go.mod for experimenting, then any tests that create
    // work directories under /tmp will find it and get modules when they're
    // not expecting them (golang/go#26708).
    return undefined;
  }
  return join(style, modRoot, "go.mod");
}

// findModuleRoot mirrors modload.findModuleRoot.
function findModuleRoot(fs: ReadFs, dir: string, style: PathStyle): string | undefined {
  if (dir === "") throw new Error("internal error: dir not set");
  dir = clean(dir, style);
  for (;;) {
    const fi = fs.stat(join(style, dir, "go.mod"));
    if (fi !== undefined && !fi.isDirectory) return dir;
    const d = dirname(dir, style);
    if (d === dir) break;
    dir = d;
  }
  return undefined;
}

// inDir mirrors search.InDir: path's location relative to dir ("." when they
// are the same directory), checked lexically and then with symlinks resolved
// in either; "" when path is not in dir.
function inDir(fs: ReadFs, path: string, dir: string, style: PathStyle): string {
  const inDirLex = (path: string, dir: string): string | undefined => {
    if (dir === "") return path;
    const rel = trimFilePathPrefix(path, dir, style);
    if (rel === path) return undefined;
    return rel === "" ? "." : rel;
  };
  let rel = inDirLex(path, dir);
  if (rel !== undefined) return rel;
  let xpath = evalSymlinks(fs, path, style);
  if (xpath === undefined || xpath === path) {
    xpath = undefined;
  } else {
    rel = inDirLex(xpath, dir);
    if (rel !== undefined) return rel;
  }
  const xdir = evalSymlinks(fs, dir, style);
  if (xdir !== undefined && xdir !== dir) {
    rel = inDirLex(path, xdir);
    if (rel !== undefined) return rel;
    if (xpath !== undefined) {
      rel = inDirLex(xpath, xdir);
      if (rel !== undefined) return rel;
    }
  }
  return "";
}

// trimFilePathPrefix mirrors str.TrimFilePathPrefix for absolute paths.
function trimFilePathPrefix(s: string, prefix: string, style: PathStyle): string {
  if (prefix === "") return s;
  if (!hasFilePathPrefix(s, prefix, style)) return s;
  let trimmed = s.slice(prefix.length);
  if (trimmed.length > 0 && isSep(trimmed[0], style)) trimmed = trimmed.slice(1);
  return trimmed;
}

// hasFilePathPrefix mirrors str.HasFilePathPrefix: prefix is s, or a leading
// run of whole path elements of s. Windows volume names compare without case.
function hasFilePathPrefix(s: string, prefix: string, style: PathStyle): boolean {
  let sv = "";
  let pv = "";
  if (style === "windows") {
    const vol = (p: string) => /^[A-Za-z]:/.test(p) ? p.slice(0, 2).toUpperCase() : "";
    sv = vol(s);
    pv = vol(prefix);
    s = s.slice(sv.length);
    prefix = prefix.slice(pv.length);
  }
  if (sv !== pv) return false;
  if (s.length === prefix.length) return s === prefix;
  if (prefix === "") return true;
  if (s.length > prefix.length) {
    if (isSep(prefix[prefix.length - 1], style)) return s.startsWith(prefix);
    return isSep(s[prefix.length], style) && s.startsWith(prefix);
  }
  return false;
}

function isSep(c: string, style: PathStyle): boolean {
  return c === "/" || (style === "windows" && c === "\\");
}

// evalSymlinks is filepath.EvalSymlinks through ReadFs.realPath: undefined
// where Go returns an error (a missing element, a loop, a relative path).
function evalSymlinks(fs: ReadFs, path: string, style: PathStyle): string | undefined {
  if (!isAbs(path, style)) return undefined;
  try {
    return fs.realPath(path);
  } catch {
    return undefined;
  }
}

/** WillBeEnabledOptions are the settings willBeEnabled reads. */
export interface WillBeEnabledOptions extends FindGoModOptions {
  /** The GO111MODULE setting. @default "" */
  go111module?: string;
}

/**
 * willBeEnabled reports whether module mode is on for a go command started in
 * dir. Mirrors modload.WillBeEnabled (go1.26): GO111MODULE "on" or "" (unset)
 * means on; "auto" means on only when findGoMod finds a go.mod; any other
 * value ("off", or a typo) means off.
 *
 * Go master (after go1.26, golang/go#76728) also counts a go.work under
 * "auto"; go1.26 does not, and neither does this function.
 *
 * @param fs the file system to search
 * @param dir the absolute working directory
 *
 * @example GO111MODULE=auto outside a module
 * ```ts
 * import assert from "node:assert/strict";
 * import { MemFs } from "../_internal/mem_fs.ts";
 * import { willBeEnabled } from "./find.ts";
 * const fs = new MemFs({ "/w/go.work": "go 1.22\n", "/w/x/": "" });
 * assert.equal(willBeEnabled(fs, "/w/x", { go111module: "auto" }), false);
 * assert.equal(willBeEnabled(fs, "/w/x", {}), true);
 * ```
 */
export function willBeEnabled(
  fs: ReadFs,
  dir: string,
  options: WillBeEnabledOptions = {},
): boolean {
  switch (options.go111module ?? "") {
    case "on":
    case "":
      return true;
    case "auto":
      break;
    default:
      return false;
  }
  return findGoMod(fs, dir, options) !== undefined;
}
