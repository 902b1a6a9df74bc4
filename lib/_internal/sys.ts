/**
 * The file-system role that lib/ reads through. Only lib/host/ implements it
 * on the real machine; lib/_internal/mem_fs.ts implements it in memory for
 * tests. Paths are absolute and use the host's separator.
 *
 * The calls are synchronous on purpose: selection reads a handful of small
 * files and synchronous reads are an order of magnitude cheaper than async
 * ones under Deno (shared/spec/deno-stack.md §6).
 *
 * @module
 */

/** FileInfo describes a file as stat or lstat found it. */
export interface FileInfo {
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
  /** Unix permission bits (0o777 mask), or null where the host has none (Windows). */
  mode: number | null;
  /** Size in bytes. */
  size: number;
}

/** The kinds of failure callers tell apart. */
export type FsErrorKind = "not-exist" | "permission" | "not-dir" | "other";

/**
 * FsError is a failed file operation, printed the way Go prints an
 * *fs.PathError: "open /x/go.mod: permission denied".
 */
export class FsError extends Error {
  constructor(
    readonly op: string,
    readonly path: string,
    readonly kind: FsErrorKind,
    readonly detail: string,
  ) {
    super(`${op} ${path}: ${detail}`);
    this.name = "FsError";
  }
}

/** ReadFs is read-only access to files. */
export interface ReadFs {
  /** readFile returns the file's bytes, or throws FsError ("open" op). */
  readFile(path: string): Uint8Array;
  /** stat follows symlinks; it returns undefined when the path does not exist or cannot be reached. */
  stat(path: string): FileInfo | undefined;
  /** lstat does not follow a final symlink; undefined when missing. */
  lstat(path: string): FileInfo | undefined;
  /** readLink returns a symlink's target as stored, or throws FsError. */
  readLink(path: string): string;
  /** realPath resolves every symlink in path (filepath.EvalSymlinks), or throws FsError. */
  realPath(path: string): string;
  /** readDir lists entry names of a directory (unsorted), or throws FsError. */
  readDir(path: string): string[];
  /** isExecutable reports whether path is a file the current user may execute (Unix access(X_OK)). */
  isExecutable(path: string): boolean;
}
