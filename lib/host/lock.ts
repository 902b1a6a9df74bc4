/**
 * File locks compatible with the go command's lockedfile package.
 *
 * lockedfile.MutexAt(path).Lock() opens path O_RDWR|O_CREATE 0666 and takes
 * flock(2) LOCK_EX on Unix (LockFileEx on Windows). Deno.FsFile.lock(true)
 * is the same call: Deno 2.9's ext/fs implements it with flock(LOCK_EX) on
 * Unix and LockFileEx on Windows. lock_test.ts checks the
 * exclusion across processes against flock(1), which uses flock(2) as well.
 *
 * flock locks belong to the open file description, so two opens of the same
 * file in one process exclude each other too, which is what lets a process
 * wait for itself safely (no re-entrancy).
 *
 * @module
 */

import { toFsError } from "./fs.ts";
import type { Unlock } from "../cache/fs.ts";

/**
 * lockFile takes an exclusive lock on path (created 0666 if missing) and
 * resolves with the function that releases it. It waits as long as another
 * holder keeps the lock.
 *
 * @throws {FsError} the file cannot be opened or locked.
 */
export async function lockFile(path: string): Promise<Unlock> {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o666 });
  } catch (e) {
    throw toFsError("open", path, e);
  }
  try {
    await file.lock(true);
  } catch (e) {
    file.close();
    throw toFsError("lock", path, e);
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    try {
      file.unlockSync();
    } finally {
      file.close();
    }
  };
}
