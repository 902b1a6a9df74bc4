/**
 * Permission changes on extracted module trees, as the go command makes
 * them: makeDirsReadOnly and RemoveAll (cmd/go/internal/modfetch fetch.go),
 * and the toolchain's first-use fix-ups, exec bits and _go.mod restoration
 * (cmd/go/internal/toolchain select.go Exec and raceSafeCopy), go1.26.
 *
 * The order of the fix-ups is part of the go command's protocol with other
 * go commands racing on the same tree; a change here needs a failing test
 * first.
 *
 * @module
 */

import { join } from "../_internal/path.ts";
import type { WriteFs } from "./fs.ts";

function compareBytes(a: string, b: string): number {
  // Go sorts directory entries by name, byte-wise; for UTF-8 that is code
  // point order, which differs from UTF-16 order only past the BMP.
  const ca = [...a];
  const cb = [...b];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const d = ca[i].codePointAt(0)! - cb[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/** A visited path: its path and whether it is a directory (lstat). */
interface Visit {
  path: string;
  isDir: boolean;
}

/**
 * walkDir visits root and everything below it in lexical order, parents
 * before children, like filepath.WalkDir. A missing root throws (as
 * WalkDir's first callback error does when returned); unreadable
 * subdirectories are skipped when skipErrors is set.
 */
export function walkDir(
  fs: WriteFs,
  root: string,
  visit: (v: Visit) => void,
  skipErrors = false,
): void {
  const st = fs.lstat(root);
  if (st === undefined) {
    if (skipErrors) return;
    throw new Error(`lstat ${root}: no such file or directory`);
  }
  const rec = (path: string, isDir: boolean) => {
    visit({ path, isDir });
    if (!isDir) return;
    let names: string[];
    try {
      names = fs.readDir(path);
    } catch (e) {
      if (skipErrors) return;
      throw e;
    }
    names.sort(compareBytes);
    for (const name of names) {
      const child = join(fs.pathStyle, path, name);
      const cst = fs.lstat(child);
      if (cst === undefined) continue;
      rec(child, cst.isDirectory);
    }
  };
  rec(root, st.isDirectory);
}

/**
 * makeDirsReadOnly removes the write bits from every directory under dir,
 * children before parents, best effort (modfetch.makeDirsReadOnly).
 */
export function makeDirsReadOnly(fs: WriteFs, dir: string): void {
  const dirs: { path: string; mode: number }[] = [];
  walkDir(fs, dir, (v) => {
    if (!v.isDir) return;
    const mode = fs.stat(v.path)?.mode;
    if (mode != null && (mode & 0o222) !== 0) dirs.push({ path: v.path, mode });
  }, true);
  for (let i = dirs.length - 1; i >= 0; i--) {
    try {
      fs.chmod(dirs[i].path, dirs[i].mode & ~0o222);
    } catch {
      // best effort, as in Go
    }
  }
}

/**
 * removeAll removes a tree written by unzip, first making its directories
 * writable (modfetch.RemoveAll). A missing dir is not an error.
 */
export function removeAll(fs: WriteFs, dir: string): void {
  walkDir(fs, dir, (v) => {
    if (!v.isDir) return;
    try {
      fs.chmod(v.path, 0o777);
    } catch {
      // ignore, as Go does; removal reports what matters
    }
  }, true);
  fs.removeAll(dir);
}

/** sysWriteBits mirrors toolchain.sysWriteBits: the write bits the umask lets new files have. */
export function sysWriteBits(umask: number): number {
  if ((umask & 0o22) === 0o22) return 0o700;
  if ((umask & 0o2) === 0o2) return 0o770;
  return 0o777;
}

function size(fs: WriteFs, path: string): number {
  return fs.stat(path)?.size ?? -1;
}

// execPattern is filepath.Match("go_?*_?*_exec", name).
const execPattern = /^go_[^/][^/]*_[^/][^/]*_exec$/s;

/**
 * raceSafeCopy copies old to new so that go commands doing the same at the
 * same time all succeed and end with the right content: new is opened
 * without truncation and written whole, the directory is made writable only
 * for the copy, and new ends with old's mode (toolchain.raceSafeCopy).
 */
export function raceSafeCopy(
  fs: WriteFs,
  old: string,
  nw: string,
  writeBits: number,
  readOnlyTree = false,
): void {
  const oldInfo = fs.stat(old);
  if (oldInfo === undefined) throw new Error(`stat ${old}: no such file or directory`);
  const newInfo = fs.stat(nw);
  if (newInfo !== undefined && newInfo.size === oldInfo.size) return;
  const data = fs.readFile(old);
  const dir = old.slice(0, old.length - (old.split(/[\\/]/).pop()!.length + 1));
  const info = fs.stat(dir);
  if (info === undefined) throw new Error(`stat ${dir}: no such file or directory`);
  // In a read-only tree the directory's mode to restore is known: a racing
  // go command may have added the write bits we just read, and restoring
  // them, as Go's deferred Chmod does, would leave it writable for good.
  const restore = readOnlyTree ? (info.mode ?? 0o555) & ~0o222 : info.mode ?? 0o555;
  fs.chmod(dir, (info.mode ?? 0o555) | writeBits);
  try {
    try {
      fs.overwrite(nw, data, writeBits & ~0o111);
    } catch (e) {
      // A racing go command finished first and the file or directory is
      // read-only again: that counts as success.
      if (size(fs, old) === size(fs, nw)) return;
      throw e;
    }
    fs.chmod(nw, oldInfo.mode ?? 0o444);
  } finally {
    try {
      fs.chmod(dir, restore);
    } catch {
      // best effort, as Go's deferred Chmod
    }
  }
}

/**
 * firstUse applies the go command's first-use fix-ups to an extracted
 * toolchain in dir, exactly as toolchain.Exec does before running it, and is
 * a no-op on a tree they were already applied to:
 *
 * 1. unless on Windows, if bin/go has no execute bit: add 0o111 to every
 *    file in pkg/tool, then lib/** files named go_?*_?*_exec, then
 *    bin/gofmt, then bin/** — pkg/tool and lib before bin/go, so a racing go
 *    command that sees bin/go executable never runs a tool that is not;
 * 2. if src/go.mod and src/_go.mod differ in size: copy every other _go.mod
 *    to a go.mod beside it, then src/_go.mod to src/go.mod last, the signal
 *    to racing go commands that the copies are done.
 *
 * @throws {Error} Go's walk errors, e.g. "lstat <dir>/pkg/tool: no such file
 * or directory" when the tree lacks pkg/tool (the go command fails the same
 * way: "download goX: lstat …").
 */
export function firstUse(fs: WriteFs, dir: string, goos: string): void {
  const p = (...elems: string[]) => join(fs.pathStyle, dir, ...elems);
  if (goos !== "windows") {
    const info = fs.stat(p("bin", "go"));
    if (info === undefined) throw new Error(`stat ${p("bin", "go")}: no such file or directory`);
    if (((info.mode ?? 0) & 0o111) === 0) {
      const allowExec = (root: string, pattern?: RegExp) => {
        walkDir(fs, root, (v) => {
          if (v.isDir) return;
          const name = v.path.split(/[\\/]/).pop()!;
          if (pattern && !pattern.test(name)) return;
          const st = fs.stat(v.path);
          if (st === undefined) throw new Error(`stat ${v.path}: no such file or directory`);
          fs.chmod(v.path, ((st.mode ?? 0) & 0o777) | 0o111);
        });
      };
      allowExec(p("pkg", "tool"));
      allowExec(p("lib"), execPattern);
      allowExec(p("bin", "gofmt"));
      allowExec(p("bin"));
    }
  }

  const srcUGoMod = p("src", "_go.mod");
  const srcGoMod = p("src", "go.mod");
  if (size(fs, srcGoMod) !== size(fs, srcUGoMod)) {
    const writeBits = sysWriteBits(fs.umask());
    // Extracted without -modcacherw: directories end read-only.
    const readOnlyTree = ((fs.stat(dir)?.mode ?? 0o777) & 0o222) === 0;
    walkDir(fs, dir, (v) => {
      if (v.path === srcUGoMod) return; // last, see below
      const slash = Math.max(v.path.lastIndexOf("/"), v.path.lastIndexOf("\\"));
      if (v.path.slice(slash + 1) === "_go.mod") {
        raceSafeCopy(fs, v.path, v.path.slice(0, slash + 1) + "go.mod", writeBits, readOnlyTree);
      }
    });
    raceSafeCopy(fs, srcUGoMod, srcGoMod, writeBits, readOnlyTree);
  }
}
