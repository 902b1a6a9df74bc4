/**
 * denoWriteFs implements lib/cache/fs.ts WriteFs (and so lib/modzip's
 * UnzipFs) on the real file system, with synchronous calls: under Deno a
 * synchronous write is ~10× cheaper than an async one (deno-stack §6), and
 * extracting a toolchain writes ten thousand files.
 *
 * @module
 */

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
