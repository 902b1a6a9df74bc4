/**
 * What an answer depends on. Rather than guess which files matter (go.mod,
 * go.work, the go env file, $GOROOT/go.env, VERSION, PATH entries…), the
 * daemon resolves through a file system that records every path resolve
 * touched, including the ones that did not exist. Each path becomes a
 * (directory, entry name) pair to watch: its parent directory, or for a
 * missing parent the nearest existing ancestor and the first missing
 * component (so `mkdir -p ~/.config/go` is seen, then the env file inside).
 * readDir (the PATH scan for go1.X.Y programs) depends on every entry of the
 * directory. Symbolic links are followed hop by hop, so retargeting
 * /etc/alternatives/go is seen as well as replacing /usr/bin/go.
 *
 * @module
 */

import type { Host } from "../mod.ts";

type ReadFs = Host["fs"];
type FileInfo = NonNullable<ReturnType<ReadFs["stat"]>>;

/**
 * HeavyInput is thrown by a RecordingFs with an inline limit for a file
 * larger than it: the answer is computed off the main thread instead
 * (daemon/heavy.ts), so one directory's huge go.mod never holds up the
 * other clients.
 */
export class HeavyInput extends Error {
  constructor(readonly path: string, readonly size: number) {
    super(`${path}: ${size} bytes, computed in a worker`);
    this.name = "HeavyInput";
  }
}

/** RecordingFsOptions adjust a RecordingFs. */
export interface RecordingFsOptions {
  /** Files larger than this many bytes throw HeavyInput instead of being read. */
  inlineMax?: number;
  /** Told each path just before it is read. */
  onRead?: (path: string) => void;
  /** Answers readFile for one path with this error instead of reading it. */
  fail?: { path: string; error: Error };
  /** With inlineMax: the error for a larger file instead of HeavyInput. */
  heavyAs?: (path: string, size: number) => Error;
}

/** RecordingFs is a ReadFs that remembers every path read through it. */
export class RecordingFs implements ReadFs {
  readonly paths = new Set<string>();
  readonly listed = new Set<string>();
  /**
   * The first file that threw HeavyInput: set even when a reader swallowed
   * the error (an unreadable go env file is skipped), so the answer computed
   * without it is never used.
   */
  heavy: HeavyInput | undefined;
  #inner: ReadFs;
  #opts: RecordingFsOptions;

  constructor(inner: ReadFs, opts: RecordingFsOptions = {}) {
    this.#inner = inner;
    this.#opts = opts;
  }

  readFile(path: string): Uint8Array {
    this.paths.add(path);
    const o = this.#opts;
    if (o.fail !== undefined && o.fail.path === path) throw o.fail.error;
    if (o.inlineMax !== undefined) {
      const st = this.#inner.stat(path);
      if (st !== undefined && st.isFile && st.size > o.inlineMax) {
        if (o.heavyAs !== undefined) throw o.heavyAs(path, st.size);
        throw this.heavy ??= new HeavyInput(path, st.size);
      }
    }
    o.onRead?.(path);
    return this.#inner.readFile(path);
  }
  stat(path: string): FileInfo | undefined {
    this.paths.add(path);
    return this.#inner.stat(path);
  }
  lstat(path: string): FileInfo | undefined {
    this.paths.add(path);
    return this.#inner.lstat(path);
  }
  readLink(path: string): string {
    this.paths.add(path);
    return this.#inner.readLink(path);
  }
  realPath(path: string): string {
    this.paths.add(path);
    return this.#inner.realPath(path);
  }
  readDir(path: string): string[] {
    this.listed.add(path);
    return this.#inner.readDir(path);
  }
  isExecutable(path: string): boolean {
    this.paths.add(path);
    return this.#inner.isExecutable(path);
  }
}

/** Deps maps a directory to the entry names that matter in it; null = every entry. */
export type Deps = Map<string, Set<string> | null>;

function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

// normalize removes ".", ".." and repeated slashes from an absolute path.
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}

function isDir(p: string): boolean {
  try {
    return Deno.statSync(p).isDirectory;
  } catch {
    return false;
  }
}

function add(deps: Deps, dir: string, name: string | null): void {
  const cur = deps.get(dir);
  if (cur === null) return;
  if (name === null) {
    deps.set(dir, null);
    return;
  }
  if (cur === undefined) deps.set(dir, new Set([name]));
  else cur.add(name);
}

// addPath adds the watch that sees p appear, change or go: in its parent,
// or in the nearest existing ancestor when the parent is missing.
function addPath(deps: Deps, p: string, dirCache: Map<string, boolean>): void {
  if (!p.startsWith("/")) return;
  let name = basename(p);
  let dir = dirname(p);
  for (;;) {
    let ok = dirCache.get(dir);
    if (ok === undefined) dirCache.set(dir, ok = isDir(dir));
    if (ok || dir === "/") break;
    name = basename(dir);
    dir = dirname(dir);
  }
  if (name === "") return;
  add(deps, dir, name);
}

/** depsOf returns the watches that cover everything rec read (POSIX paths). */
export function depsOf(rec: Pick<RecordingFs, "paths" | "listed">): Deps {
  const deps: Deps = new Map();
  const dirCache = new Map<string, boolean>();
  for (const p of rec.paths) {
    addPath(deps, p, dirCache);
    // Follow a final-component symlink chain: each hop's directory matters.
    let cur = p;
    for (let hop = 0; hop < 40; hop++) {
      let target: string;
      try {
        if (!Deno.lstatSync(cur).isSymlink) break;
        target = Deno.readLinkSync(cur);
      } catch {
        break;
      }
      cur = normalize(target.startsWith("/") ? target : `${dirname(cur)}/${target}`);
      addPath(deps, cur, dirCache);
    }
  }
  for (const d of rec.listed) {
    if (isDir(d)) add(deps, d, null);
    else addPath(deps, d, dirCache);
  }
  return deps;
}
