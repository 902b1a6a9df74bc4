/**
 * denoStoreFs implements lib/store/fs.ts StoreFs on the real file system,
 * with synchronous per-file calls and node:crypto for SHA-256
 * (shared/spec/deno-stack.md §6, §7).
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { DirEntry, FileSink, Sha256, StoreFs } from "../store/fs.ts";
import { denoFs, toFsError } from "./fs.ts";

const readChunk = 1 << 20;

function info(i: Deno.FileInfo) {
  return {
    isFile: i.isFile,
    isDirectory: i.isDirectory,
    isSymlink: i.isSymlink,
    mode: i.mode === null ? null : i.mode & 0o7777,
    size: i.size,
  };
}

/** denoStoreFs writes the real file system. */
export const denoStoreFs: StoreFs = {
  mkdir(path, opts) {
    try {
      Deno.mkdirSync(path, { recursive: opts?.recursive ?? false, mode: 0o755 });
    } catch (e) {
      throw toFsError("mkdir", path, e);
    }
  },
  create(path, opts): FileSink {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(path, { write: true, createNew: true, mode: opts.mode });
    } catch (e) {
      throw toFsError("open", path, e);
    }
    return {
      write(data) {
        try {
          let off = 0;
          while (off < data.length) off += f.writeSync(data.subarray(off));
        } catch (e) {
          throw toFsError("write", path, e);
        }
      },
      close() {
        // The process umask applies to the mode, as it does for tar run by a user.
        f.close();
      },
    };
  },
  writeFile(path, data, opts) {
    try {
      Deno.writeFileSync(path, data, opts?.mode === undefined ? {} : { mode: opts.mode });
    } catch (e) {
      throw toFsError("open", path, e);
    }
  },
  readFile(path) {
    return denoFs.readFile(path);
  },
  openRead(path) {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(path, { read: true });
    } catch (e) {
      throw toFsError("open", path, e);
    }
    let closed = false;
    const close = () => {
      if (!closed) {
        closed = true;
        f.close();
      }
    };
    return new ReadableStream<Uint8Array>({
      pull(c) {
        const buf = new Uint8Array(readChunk);
        const n = f.readSync(buf);
        if (n === null) {
          close();
          c.close();
          return;
        }
        c.enqueue(buf.subarray(0, n));
      },
      cancel() {
        close();
      },
    });
  },
  readDir(path): DirEntry[] {
    try {
      return [...Deno.readDirSync(path)].map((e) => ({
        name: e.name,
        isFile: e.isFile,
        isDirectory: e.isDirectory,
        isSymlink: e.isSymlink,
      }));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return [];
      throw toFsError("open", path, e);
    }
  },
  lstat(path) {
    try {
      return info(Deno.lstatSync(path));
    } catch {
      return undefined;
    }
  },
  rename(from, to) {
    try {
      Deno.renameSync(from, to);
    } catch (e) {
      throw toFsError("rename", `${from} ${to}`, e);
    }
  },
  remove(path, opts) {
    try {
      Deno.removeSync(path, { recursive: opts?.recursive ?? false });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw toFsError("remove", path, e);
    }
  },
  symlink(target, path) {
    try {
      Deno.symlinkSync(target, path, { type: "file" });
    } catch (e) {
      throw toFsError("symlink", path, e);
    }
  },
  readLink(path) {
    try {
      return Deno.readLinkSync(path);
    } catch (e) {
      throw toFsError("readlink", path, e);
    }
  },
  async lock(path) {
    let f: Deno.FsFile;
    try {
      f = Deno.openSync(path, { read: true, write: true, create: true, mode: 0o644 });
    } catch (e) {
      throw toFsError("open", path, e);
    }
    await f.lock(true);
    return () => {
      try {
        f.unlockSync();
      } finally {
        f.close();
      }
    };
  },
  randomName() {
    const b = crypto.getRandomValues(new Uint8Array(10));
    return [...b].map((x) => x.toString(36).padStart(2, "0")).join("");
  },
  sha256(): Sha256 {
    const h = createHash("sha256");
    return {
      update(data) {
        h.update(data);
      },
      digest() {
        return h.digest("hex");
      },
    };
  },
};
