/**
 * MemFs is an in-memory ReadFs for tests of pure rules: POSIX paths, files,
 * directories (created implicitly), symlinks and permission bits. It follows
 * symlinks like the kernel does (up to 40 hops) and refuses relative paths,
 * so a rule that forgets to make a path absolute fails its test.
 *
 * @module
 */

import { type FileInfo, FsError, type ReadFs } from "./sys.ts";

type Node =
  | { type: "file"; data: Uint8Array; mode: number }
  | { type: "dir"; mode: number }
  | { type: "link"; target: string };

/** MemFs holds a tree of files in memory. */
export class MemFs implements ReadFs {
  #nodes = new Map<string, Node>([["/", { type: "dir", mode: 0o755 }]]);

  /**
   * Builds a MemFs from a map of path → contents. A path ending in "/" is a
   * directory; a value starting with "-> " is a symlink target.
   */
  constructor(files: Record<string, string> = {}) {
    for (const [p, v] of Object.entries(files)) {
      if (p.endsWith("/")) this.mkdir(p.slice(0, -1) || "/");
      else if (v.startsWith("-> ")) this.symlink(p, v.slice(3));
      else this.write(p, v);
    }
  }

  /** write creates or replaces a file, creating its parent directories. */
  write(path: string, data: string | Uint8Array, mode = 0o644): this {
    this.#parent(path);
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    this.#nodes.set(clean(path), { type: "file", data: bytes, mode });
    return this;
  }

  /** mkdir creates a directory and its parents. */
  mkdir(path: string, mode = 0o755): this {
    const p = clean(path);
    if (p !== "/") this.#parent(p);
    this.#nodes.set(p, { type: "dir", mode });
    return this;
  }

  /** symlink creates a symbolic link at path pointing to target. */
  symlink(path: string, target: string): this {
    this.#parent(path);
    this.#nodes.set(clean(path), { type: "link", target });
    return this;
  }

  /** remove deletes a path (and everything below a directory). */
  remove(path: string): this {
    const p = clean(path);
    for (const k of [...this.#nodes.keys()]) {
      if (k === p || k.startsWith(p + "/")) this.#nodes.delete(k);
    }
    return this;
  }

  #parent(path: string) {
    const dir = dirname(clean(path));
    if (!this.#nodes.has(dir)) this.mkdir(dir);
  }

  // resolve follows symlinks in every element (and the last one when follow).
  #resolve(path: string, follow: boolean): string | undefined {
    let parts = splitPath(clean(path));
    let cur = "/";
    let hops = 0;
    while (parts.length > 0) {
      const name = parts.shift()!;
      const next = cur === "/" ? "/" + name : cur + "/" + name;
      const n = this.#nodes.get(next);
      if (n === undefined) return parts.length === 0 ? next : undefined;
      if (n.type === "link" && (parts.length > 0 || follow)) {
        if (++hops > 40) return undefined;
        const t = n.target.startsWith("/") ? n.target : cur + "/" + n.target;
        parts = [...splitPath(clean(t)), ...parts];
        cur = "/";
        continue;
      }
      if (n.type === "file" && parts.length > 0) return undefined;
      cur = next;
    }
    return cur;
  }

  #node(path: string, follow: boolean): Node | undefined {
    const r = this.#resolve(path, follow);
    return r === undefined ? undefined : this.#nodes.get(r);
  }

  readFile(path: string): Uint8Array {
    const n = this.#node(path, true);
    if (n === undefined) throw new FsError("open", path, "not-exist", "no such file or directory");
    if (n.type === "dir") throw new FsError("read", path, "other", "is a directory");
    if (n.type !== "file") {
      throw new FsError("open", path, "other", "too many levels of symbolic links");
    }
    if ((n.mode & 0o444) === 0) throw new FsError("open", path, "permission", "permission denied");
    return n.data;
  }

  stat(path: string): FileInfo | undefined {
    return infoOf(this.#node(path, true));
  }

  lstat(path: string): FileInfo | undefined {
    return infoOf(this.#node(path, false));
  }

  readLink(path: string): string {
    const n = this.#node(path, false);
    if (n?.type !== "link") throw new FsError("readlink", path, "other", "invalid argument");
    return n.target;
  }

  realPath(path: string): string {
    const r = this.#resolve(path, true);
    if (r === undefined || !this.#nodes.has(r)) {
      throw new FsError("lstat", path, "not-exist", "no such file or directory");
    }
    return r;
  }

  readDir(path: string): string[] {
    const r = this.#resolve(path, true);
    const n = r === undefined ? undefined : this.#nodes.get(r);
    if (n === undefined) throw new FsError("open", path, "not-exist", "no such file or directory");
    if (n.type !== "dir") throw new FsError("readdirent", path, "not-dir", "not a directory");
    const prefix = r === "/" ? "/" : r + "/";
    const names: string[] = [];
    for (const k of this.#nodes.keys()) {
      if (k !== "/" && k.startsWith(prefix) && !k.slice(prefix.length).includes("/")) {
        names.push(k.slice(prefix.length));
      }
    }
    return names;
  }

  isExecutable(path: string): boolean {
    const n = this.#node(path, true);
    return n?.type === "file" && (n.mode & 0o111) !== 0;
  }
}

function infoOf(n: Node | undefined): FileInfo | undefined {
  if (n === undefined) return undefined;
  switch (n.type) {
    case "file":
      return {
        isFile: true,
        isDirectory: false,
        isSymlink: false,
        mode: n.mode,
        size: n.data.length,
      };
    case "dir":
      return { isFile: false, isDirectory: true, isSymlink: false, mode: n.mode, size: 0 };
    case "link":
      return {
        isFile: false,
        isDirectory: false,
        isSymlink: true,
        mode: 0o777,
        size: n.target.length,
      };
  }
}

function splitPath(p: string): string[] {
  return p.split("/").filter((s) => s !== "");
}

function clean(p: string): string {
  if (!p.startsWith("/")) throw new Error(`internal error: MemFs path ${p} is not absolute`);
  const out: string[] = [];
  for (const s of splitPath(p)) {
    if (s === ".") continue;
    if (s === "..") out.pop();
    else out.push(s);
  }
  return "/" + out.join("/");
}

function dirname(p: string): string {
  const i = p.lastIndexOf("/");
  return i <= 0 ? "/" : p.slice(0, i);
}
