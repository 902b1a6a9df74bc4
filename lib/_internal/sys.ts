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

/**
 * The kinds of failure callers tell apart. "refused" is gtc's own: a file
 * it will not read (not a regular file, or larger than MAX_READ_BYTES),
 * where the go command would block or read without bound.
 */
export type FsErrorKind = "not-exist" | "permission" | "not-dir" | "refused" | "other";

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

/**
 * MAX_READ_BYTES bounds every file gtc reads for selection (go.mod, go.work,
 * the go env file, $GOROOT/go.env, VERSION…): 64 MiB. Real go.mod files are
 * kilobytes (the largest public ones a few MiB); the go command's own limit
 * for a go.mod in a module zip is 16 MiB (codehost.MaxGoMod), and the
 * parser is benchmarked on a 21 MB go.mod, so 64 MiB refuses nothing real
 * while a 3 GB sparse file or /dev/zero can no longer take the daemon's
 * memory and every client's time.
 */
export const MAX_READ_BYTES = 64 << 20;

/**
 * refusedNotRegular is the error for a path that is not a regular file
 * (what: "a named pipe (FIFO)", "a character device"…). It says what the go
 * command would do, since gtc answers for it: os.ReadFile blocks on a pipe
 * until something writes to it, and reads a device until it ends (never,
 * for /dev/zero: it runs out of memory).
 */
export function refusedNotRegular(path: string, what: string): FsError {
  const goDoes = what.includes("pipe")
    ? "the go command would block reading it until something writes to it"
    : what.includes("socket")
    ? "the go command cannot open it either"
    : "the go command would read it until it ends, which for /dev/zero is never: " +
      "it runs out of memory";
  return new FsError(
    "open",
    path,
    "refused",
    `${what}, not a regular file: gtc reads only regular files (${goDoes})`,
  );
}

/** refusedTooLarge is the error for a file larger than MAX_READ_BYTES. */
export function refusedTooLarge(path: string, size: number): FsError {
  return new FsError(
    "read",
    path,
    "refused",
    `file is larger than ${MAX_READ_BYTES >> 20} MiB (${size} bytes): gtc does not read it ` +
      "(the go command would read all of it into memory first)",
  );
}

/** ReadFs is read-only access to files. */
export interface ReadFs {
  /**
   * readFile returns the bytes of a regular file of at most MAX_READ_BYTES,
   * or throws FsError ("open" op; kind "refused" for anything else). It
   * never blocks on a named pipe or reads a device.
   */
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
