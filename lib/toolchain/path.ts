/**
 * Finding programs in PATH the way the go command does.
 *
 * Mirrors os/exec.LookPath (lp_unix.go, lp_windows.go) and
 * cmd/go/internal/toolchain pathDirs/pathVersion (go1.26).
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import { isAbs, join, type PathStyle, splitList } from "../_internal/path.ts";

/** The PATH-related environment a lookup reads. */
export interface PathEnv {
  /** $PATH (%PATH% on Windows). */
  path: string;
  /** %PATHEXT% on Windows; ignored elsewhere. */
  pathext?: string;
  style: PathStyle;
  /** The current directory, against which relative PATH entries are checked. */
  cwd?: string;
}

/** The result of lookPath. */
export type LookPathResult =
  | { found: true; path: string }
  | {
    found: false;
    /** Go's error text: `exec: "go1.22.0": executable file not found in $PATH`. */
    error: string;
    /**
     * Set when the first match was relative to the current directory, which
     * exec.LookPath refuses (ErrDot) instead of trying later PATH entries.
     */
    dotPath?: string;
  };

/**
 * lookPath searches PATH for an executable named file, mirroring
 * exec.LookPath: the first hit wins; an empty element means "."; a hit in a
 * relative directory fails with ErrDot rather than continuing.
 */
export function lookPath(fs: ReadFs, file: string, env: PathEnv): LookPathResult {
  const { style } = env;
  if (style === "windows") return lookPathWindows(fs, file, env);
  if (file.includes("/")) {
    if (fs.isExecutable(file)) return { found: true, path: file };
    return { found: false, error: `exec: "${file}": permission denied or not found` };
  }
  for (let dir of splitList(env.path, style)) {
    // Unix shell semantics: an empty PATH element means ".".
    if (dir === "") dir = ".";
    const p = join(style, dir, file);
    if (!isAbs(p, style)) {
      // A hit relative to the current directory is refused (ErrDot), and
      // the search stops there: it does not go on to later entries.
      if (env.cwd !== undefined && fs.isExecutable(join(style, env.cwd, p))) {
        return {
          found: false,
          dotPath: p,
          error: `exec: "${file}": cannot run executable found relative to current directory`,
        };
      }
      continue;
    }
    if (fs.isExecutable(p)) return { found: true, path: p };
  }
  return { found: false, error: `exec: "${file}": executable file not found in $PATH` };
}

/** pathExts returns the executable extensions from %PATHEXT%, lower-cased. */
export function pathExts(pathext: string | undefined): string[] {
  const def = [".com", ".exe", ".bat", ".cmd"];
  if (!pathext) return def;
  const exts: string[] = [];
  for (let e of pathext.toLowerCase().split(";")) {
    if (e === "") continue;
    if (e[0] !== ".") e = "." + e;
    exts.push(e);
  }
  return exts.length > 0 ? exts : def;
}

function lookPathWindows(fs: ReadFs, file: string, env: PathEnv): LookPathResult {
  const exts = pathExts(env.pathext);
  const hasExt = exts.some((e) => file.toLowerCase().endsWith(e));
  const candidates = (base: string) => hasExt ? [base] : exts.map((e) => base + e);
  for (const dir of splitList(env.path, "windows")) {
    if (dir === "" || !isAbs(dir, "windows")) continue;
    for (const c of candidates(join("windows", dir, file))) {
      if (fs.stat(c)?.isFile) return { found: true, path: c };
    }
  }
  return { found: false, error: `exec: "${file}": executable file not found in %PATH%` };
}

/**
 * pathToolchainNames lists the names of "go1.*" programs in the absolute
 * PATH directories that the current user may execute, with any Windows
 * PATHEXT extension removed, as toolchain.pathToolchains scans them.
 */
export function pathToolchainNames(fs: ReadFs, env: PathEnv): string[] {
  const names: string[] = [];
  const exts = env.style === "windows" ? pathExts(env.pathext) : [];
  for (const dir of splitList(env.path, env.style)) {
    // Refuse to use local directories in $PATH (hard-coding exec.ErrDot).
    if (dir === "" || !isAbs(dir, env.style)) continue;
    let entries: string[];
    try {
      entries = fs.readDir(dir);
    } catch {
      continue;
    }
    for (const name of entries) {
      if (!name.startsWith("go1.")) continue;
      const p = join(env.style, dir, name);
      const info = fs.stat(p);
      if (info === undefined || info.isDirectory) continue;
      if (env.style === "windows") {
        const ext = exts.find((e) => name.toLowerCase().endsWith(e));
        if (ext === undefined) continue;
        names.push(name.slice(0, name.length - ext.length));
      } else {
        if (!fs.isExecutable(p)) continue;
        names.push(name);
      }
    }
  }
  return names;
}
