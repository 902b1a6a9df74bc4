/**
 * denoWriteFs implements lib/cache/fs.ts WriteFs (and so lib/modzip's
 * UnzipFs) on the real file system, with synchronous calls: under Deno a
 * synchronous write is ~10× cheaper than an async one (deno-stack §6), and
 * extracting a toolchain writes ten thousand files.
 *
 * @module
 */

import { MAX_READ_BYTES, refusedNotRegular, refusedTooLarge } from "../_internal/sys.ts";
import { denoFs, toFsError } from "./fs.ts";
import { lockFile } from "./lock.ts";
import type { WriteFs } from "../cache/fs.ts";
import type { FileWriter, RandomAccessFile } from "../modzip/mod.ts";

function wrap<T>(op: string, path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw toFsError(op, path, e);
  }
}

function writeAll(file: Deno.FsFile, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += file.writeSync(data.subarray(off));
}

class DenoRandomAccessFile implements RandomAccessFile {
  readonly size: number;
  #file: Deno.FsFile;
  #pos = -1;

  constructor(readonly path: string) {
    this.#file = wrap("open", path, () => Deno.openSync(path, { read: true }));
    try {
      this.size = this.#file.statSync().size;
    } catch (e) {
      this.#file.close();
      throw toFsError("stat", path, e);
    }
  }

  readAt(p: Uint8Array, off: number): number {
    if (off >= this.size || p.length === 0) return 0;
    return wrap("read", this.path, () => {
      if (this.#pos !== off) this.#file.seekSync(off, Deno.SeekMode.Start);
      let got = 0;
      while (got < p.length) {
        const n = this.#file.readSync(p.subarray(got));
        if (n === null || n === 0) break;
        got += n;
      }
      this.#pos = off + got;
      return got;
    });
  }

  close(): void {
    this.#file.close();
  }
}

function umask(): number {
  const d = Deno as unknown as { umask?: (mask?: number) => number };
  if (Deno.build.os === "windows" || typeof d.umask !== "function") return 0;
  // Reading the umask sets it; set it back at once, as Go's sysWriteBits does.
  const m = d.umask(0o777);
  d.umask(m);
  return m;
}

/** denoWriteFs is the real file system, read and write. */
export const denoWriteFs: WriteFs = {
  ...denoFs,
  pathStyle: Deno.build.os === "windows" ? "windows" : "posix",

  openRead(path) {
    return new DenoRandomAccessFile(path);
  },
  mkdirAll(path, mode) {
    wrap("mkdir", path, () => Deno.mkdirSync(path, { recursive: true, mode }));
  },
  writeNew(path, data, mode) {
    wrap("open", path, () => Deno.writeFileSync(path, data, { createNew: true, mode }));
  },
  createNew(path, mode): FileWriter {
    const file = wrap(
      "open",
      path,
      () => Deno.openSync(path, { write: true, createNew: true, mode }),
    );
    return {
      write: (data) => wrap("write", path, () => writeAll(file, data)),
      reset: () =>
        wrap("truncate", path, () => {
          file.truncateSync(0);
          file.seekSync(0, Deno.SeekMode.Start);
        }),
      close: () => wrap("close", path, () => file.close()),
    };
  },
  writeFile(path, data, mode) {
    wrap("open", path, () => Deno.writeFileSync(path, data, { mode }));
  },
  overwrite(path, data, mode) {
    const file = wrap(
      "open",
      path,
      () => Deno.openSync(path, { write: true, create: true, mode }),
    );
    try {
      wrap("write", path, () => writeAll(file, data));
    } finally {
      file.close();
    }
  },
  writeLocked(path, data) {
    const file = wrap(
      "open",
      path,
      () => Deno.openSync(path, { read: true, write: true, create: true, mode: 0o666 }),
    );
    try {
      wrap("lock", path, () => file.lockSync(true));
      try {
        wrap("truncate", path, () => file.truncateSync(0));
        wrap("truncate", path, () => file.truncateSync(data.length));
        wrap("write", path, () => {
          file.seekSync(0, Deno.SeekMode.Start);
          writeAll(file, data);
        });
      } finally {
        file.unlockSync();
      }
    } finally {
      file.close();
    }
  },
  rename(from, to) {
    wrap("rename", from, () => Deno.renameSync(from, to));
  },
  remove(path) {
    wrap("remove", path, () => Deno.removeSync(path));
  },
  removeAll(path) {
    try {
      Deno.removeSync(path, { recursive: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw toFsError("unlinkat", path, e);
    }
  },
  chmod(path, mode) {
    if (Deno.build.os === "windows") return;
    wrap("chmod", path, () => Deno.chmodSync(path, mode));
  },
  lock(path) {
    return lockFile(path);
  },
  umask,
};

/** TransformAbort stops transformFile without writing: its message is the error. */
export class TransformAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TransformAbort";
  }
}

function writeAt(file: Deno.FsFile, data: Uint8Array, off: number): void {
  file.seekSync(off, Deno.SeekMode.Start);
  writeAll(file, data);
}

/**
 * transformFile rewrites the file at path in place, as the go command's
 * lockedfile.Transform does for go.mod: open it read-write (through a
 * symbolic link, never replacing it, so the owner, mode and link survive),
 * take an exclusive lock, read it, let t compute the new bytes (undefined:
 * leave it as it is; throwing TransformAbort: fail with its message), and
 * write them over the old ones. A file that grows gets its tail written
 * first, so a full disk fails before the old bytes are touched; any failure
 * after that writes the old bytes back. Nothing else is created: no
 * temporary file is left behind whatever fails. Errors are FsError in Go's
 * words ("open /m/go.mod: read-only file system", "write /m/go.mod: no
 * space left on device"). Returns whether the file was written.
 */
export function transformFile(
  path: string,
  t: (old: Uint8Array) => Uint8Array | undefined,
): boolean {
  const file = wrap("open", path, () => Deno.openSync(path, { read: true, write: true }));
  try {
    const st = wrap("stat", path, () => file.statSync());
    if (!st.isFile) {
      throw refusedNotRegular(
        path,
        st.isFifo
          ? "a named pipe (FIFO)"
          : st.isCharDevice
          ? "a character device"
          : "a special file",
      );
    }
    if (st.size > MAX_READ_BYTES) throw refusedTooLarge(path, st.size);
    wrap("lock", path, () => file.lockSync(true));
    const chunks: Uint8Array[] = [];
    let size = 0;
    wrap("read", path, () => {
      for (;;) {
        const b = new Uint8Array(64 * 1024);
        const n = file.readSync(b);
        if (n === null || n === 0) break;
        chunks.push(b.subarray(0, n));
        size += n;
        if (size > MAX_READ_BYTES) throw refusedTooLarge(path, size);
      }
    });
    const old = new Uint8Array(size);
    let o = 0;
    for (const c of chunks) {
      old.set(c, o);
      o += c.length;
    }
    const next = t(old);
    if (next === undefined) return false;
    if (next.length > old.length) {
      try {
        writeAt(file, next.subarray(old.length), old.length);
      } catch (e) {
        // Best effort: drop an incomplete tail.
        try {
          file.truncateSync(old.length);
        } catch {
          // Nothing more to do.
        }
        throw toFsError("write", path, e);
      }
    }
    try {
      if (next.length >= old.length) {
        wrap("write", path, () => writeAt(file, next.subarray(0, old.length), 0));
      } else {
        wrap("write", path, () => writeAt(file, next, 0));
        // Shrink after writing: if the write fails, the space the old bytes
        // held is still reserved for them.
        wrap("truncate", path, () => file.truncateSync(next.length));
      }
    } catch (e) {
      // Best effort: put the old bytes back.
      try {
        writeAt(file, old, 0);
        file.truncateSync(old.length);
      } catch {
        // Nothing more to do.
      }
      throw e;
    }
    return true;
  } finally {
    file.close();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * rewriteFile writes next over the file at path with transformFile, as
 * modload.commitRequirements updates go.mod: nothing is written when the
 * file already holds next, and when expected is given and the file no
 * longer holds it (another process edited it meanwhile) it fails with the
 * go command's "existing contents have changed since last read". Returns
 * whether the file was written.
 */
export function rewriteFile(path: string, next: Uint8Array, expected?: Uint8Array): boolean {
  return transformFile(path, (old) => {
    if (sameBytes(old, next)) return undefined;
    if (expected !== undefined && !sameBytes(old, expected)) {
      throw new TransformAbort("existing contents have changed since last read");
    }
    return next;
  });
}
