/**
 * The file-system role gtc's toolchain store writes through. Only lib/host
 * implements it on the real machine (lib/host/store_fs.ts).
 *
 * Calls are synchronous where they touch one file: per-file synchronous
 * writes are an order of magnitude cheaper than async ones under Deno
 * (shared/spec/deno-stack.md §6), and an archive extraction is thousands of
 * them. Paths are absolute and use the host's separator.
 *
 * @module
 */

import type { FileInfo } from "../_internal/sys.ts";

/** DirEntry is one name in a directory, without following symlinks. */
export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  isSymlink: boolean;
}

/** FileSink is a file open for writing. */
export interface FileSink {
  /** write appends all of data. */
  write(data: Uint8Array): void;
  /** close flushes and closes the file; the sink is unusable afterwards. */
  close(): void;
}

/** Sha256 is a streaming SHA-256 hash. */
export interface Sha256 {
  update(data: Uint8Array): void;
  /** digest returns the lowercase hex digest; the hash is unusable afterwards. */
  digest(): string;
}

/** StoreFs is what the store needs from the file system. Errors are thrown as FsError. */
export interface StoreFs {
  /** mkdir creates a directory (mode 0o755 before umask); with recursive, missing parents too and no error if it exists. */
  mkdir(path: string, opts?: { recursive?: boolean }): void;
  /**
   * create creates a new file with the given permission bits (narrowed by the
   * process umask) and opens it for
   * writing. It fails if path exists (O_CREAT|O_EXCL), so two archive entries
   * for one file are an error, not an overwrite.
   */
  create(path: string, opts: { mode: number }): FileSink;
  /** writeFile writes a whole small file, replacing any existing one. */
  writeFile(path: string, data: Uint8Array, opts?: { mode?: number }): void;
  /** readFile reads a whole small file. */
  readFile(path: string): Uint8Array;
  /** openRead streams a file's bytes; the file is closed when the stream ends or is cancelled. */
  openRead(path: string): ReadableStream<Uint8Array>;
  /** readDir lists a directory; an empty list when it does not exist. */
  readDir(path: string): DirEntry[];
  /** lstat describes path without following a final symlink; undefined when missing. */
  lstat(path: string): FileInfo | undefined;
  /**
   * rename moves from to to atomically (rename(2)). A file replaces an
   * existing file; a directory's target must not exist.
   */
  rename(from: string, to: string): void;
  /** remove deletes path (recursively when asked); no error when it does not exist. */
  remove(path: string, opts?: { recursive?: boolean }): void;
  /** symlink creates path as a symbolic link to target (stored as given, relative or absolute). */
  symlink(target: string, path: string): void;
  /** readLink returns a symlink's target as stored. */
  readLink(path: string): string;
  /**
   * lock takes an exclusive advisory lock on path (flock(2); the file is
   * created if missing), waiting for other holders, and resolves to the
   * function that releases it.
   */
  lock(path: string): Promise<() => void>;
  /** randomName returns a fresh random string usable in a file name ([a-z0-9], ≥ 12 characters). */
  randomName(): string;
  /** sha256 starts a streaming SHA-256. */
  sha256(): Sha256;
}
