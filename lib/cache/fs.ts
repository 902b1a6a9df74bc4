/**
 * WriteFs: the file-system calls the module cache needs, declared here and
 * implemented on the real machine by lib/host/fs_write.ts. Paths are
 * absolute in the host's style. Calls are synchronous except lock, because
 * synchronous file calls are an order of magnitude cheaper under Deno
 * (shared/spec/deno-stack.md §6) and extraction makes ten thousand of them.
 *
 * Every method throws lib/_internal/sys.ts FsError on failure, with Go's
 * *fs.PathError wording ("open /x: permission denied").
 *
 * @module
 */

import type { ReadFs } from "../_internal/sys.ts";
import type { UnzipFs } from "../modzip/mod.ts";

/** Unlock releases a lock taken by WriteFs.lock. Calling it twice is harmless. */
export type Unlock = () => void;

/** WriteFs is read and write access to files, with flock-compatible locks. */
export interface WriteFs extends ReadFs, UnzipFs {
  /**
   * writeFile creates or truncates path (mode before umask when created) and
   * writes data, like os.WriteFile.
   */
  writeFile(path: string, data: Uint8Array, mode: number): void;
  /**
   * writeLocked writes data the way cmd/go writes .ziphash files:
   * lockedfile.Create (O_RDWR|O_CREATE|O_TRUNC 0666 under an exclusive
   * flock), Truncate(len(data)), WriteAt(data, 0), unlock, close. A crash
   * midway leaves NUL bytes, which readers reject.
   */
  writeLocked(path: string, data: Uint8Array): void;
  /**
   * overwrite opens path O_WRONLY|O_CREATE without O_TRUNC (mode before umask
   * when created) and writes data from offset 0, as raceSafeCopy does so
   * that concurrent writers of the same content never expose a truncated
   * file.
   */
  overwrite(path: string, data: Uint8Array, mode: number): void;
  /** rename renames (moves) from to to, replacing to when it is a file (os.Rename). */
  rename(from: string, to: string): void;
  /** remove deletes a file or an empty directory (os.Remove). */
  remove(path: string): void;
  /** removeAll deletes path and everything below it; a missing path is not an error (os.RemoveAll). */
  removeAll(path: string): void;
  /** chmod sets the permission bits of path (os.Chmod). */
  chmod(path: string, mode: number): void;
  /**
   * lock takes an exclusive lock on path as lockedfile.MutexAt(path).Lock()
   * does: open O_RDWR|O_CREATE 0666, then flock(LOCK_EX) (LockFileEx on
   * Windows), waiting as long as another process holds it. The file is left
   * in place. Processes running the go command and gtc exclude each other.
   */
  lock(path: string): Promise<Unlock>;
  /** umask returns the process umask (0o022 typically; 0 where there is none). */
  umask(): number;
}
