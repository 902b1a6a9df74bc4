/**
 * denoFs implements lib/_internal/sys.ts ReadFs on the real file system.
 *
 * @module
 */

import * as nodeFs from "node:fs";
import { gid, hostOs, isDeno, uid as currentUid } from "./runtime.ts";
import {
  type FileInfo,
  FsError,
  type FsErrorKind,
  MAX_READ_BYTES,
  type ReadFs,
  refusedNotRegular,
  refusedTooLarge,
} from "../_internal/sys.ts";

function info(i: nodeFs.Stats): FileInfo {
  return {
    isFile: i.isFile(),
    isDirectory: i.isDirectory(),
    isSymlink: i.isSymbolicLink(),
    // Windows has no permission bits (node:fs makes some up from the read-only flag).
    mode: hostOs === "windows" ? null : i.mode & 0o7777,
    size: i.size,
  };
}

// toFsError turns a Deno or node:fs error into Go's *fs.PathError wording.
export function toFsError(op: string, path: string, e: unknown): FsError {
  // node:fs errors (on either runtime) carry the syscall; Deno's own do not.
  if (!isDeno || (e instanceof Error && "syscall" in e)) return nodeFsError(op, path, e);
  let kind: FsErrorKind = "other";
  let detail = e instanceof Error ? e.message : String(e);
  if (e instanceof Deno.errors.NotFound) {
    kind = "not-exist";
    detail = "no such file or directory";
  } else if (e instanceof Deno.errors.PermissionDenied) {
    kind = "permission";
    detail = "permission denied";
  } else if (e instanceof Deno.errors.NotADirectory) {
    kind = "not-dir";
    detail = "not a directory";
  } else if (e instanceof Deno.errors.IsADirectory) {
    detail = "is a directory";
  } else {
    // Deno appends ": <syscall> '<path>'" to OS errors; Go prints the bare errno text.
    detail = detail.replace(/ \(os error \d+\)/, "").replace(/[,:] [a-z]+ '.*'$/, "");
    detail = detail.charAt(0).toLowerCase() + detail.slice(1);
  }
  return new FsError(op, path, kind, detail);
}

// Go's texts (glibc's strerror, lower-cased) for the errors an open can
// give; node:fs reports libuv's wording, which differs ("too many symbolic
// links encountered").
const errnoText: Record<string, [FsErrorKind, string]> = {
  ENOENT: ["not-exist", "no such file or directory"],
  EACCES: ["permission", "permission denied"],
  EPERM: ["permission", "operation not permitted"],
  ENOTDIR: ["not-dir", "not a directory"],
  EISDIR: ["other", "is a directory"],
  ELOOP: ["other", "too many levels of symbolic links"],
  ENAMETOOLONG: ["other", "file name too long"],
  ENXIO: ["other", "no such device or address"],
  ENODEV: ["other", "no such device"],
  EIO: ["other", "input/output error"],
  EMFILE: ["other", "too many open files"],
  ENFILE: ["other", "too many open files in system"],
  EOVERFLOW: ["other", "value too large for defined data type"],
  EINVAL: ["other", "invalid argument"],
  ETXTBSY: ["other", "text file busy"],
  EBUSY: ["other", "device or resource busy"],
  EAGAIN: ["other", "resource temporarily unavailable"],
};

// nodeFsError turns a node:fs error into Go's *fs.PathError wording.
function nodeFsError(op: string, path: string, e: unknown): FsError {
  const code = (e as { code?: unknown }).code;
  const known = typeof code === "string" ? errnoText[code] : undefined;
  if (known !== undefined) return new FsError(op, path, known[0], known[1]);
  if (isDeno && e instanceof Error && !("code" in e)) return toFsError(op, path, e);
  // "EXDEV: cross-device link not permitted, open '/x'" → the middle part.
  const m = /^[A-Z0-9]+: (.*?)(?:, [a-z]+ '.*')?$/.exec(e instanceof Error ? e.message : "");
  return new FsError(op, path, "other", m?.[1] ?? String(e));
}

// O_NONBLOCK makes open return at once on a named pipe with no writer
// (plain open blocks until one appears); it changes nothing for a regular
// file. fstat on the open descriptor then decides, with no window in which
// the path could be swapped for a pipe between a check and the open.
const openFlags = nodeFs.constants.O_RDONLY | (nodeFs.constants.O_NONBLOCK ?? 0);

function notRegularWhat(st: nodeFs.Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "a special file";
}

/**
 * readRegularFile reads a regular file of at most limit bytes without ever
 * blocking on a pipe or reading a device: the one read path every gtc
 * reader (CLI, daemon, REPL) goes through (see ReadFs.readFile).
 */
export function readRegularFile(path: string, limit: number = MAX_READ_BYTES): Uint8Array {
  let fd: number;
  try {
    fd = nodeFs.openSync(path, openFlags);
  } catch (e) {
    // A Unix socket cannot be opened (ENXIO): say what it is.
    if ((e as { code?: unknown }).code === "ENXIO" && denoFs.stat(path) !== undefined) {
      throw refusedNotRegular(path, "a socket");
    }
    throw nodeFsError("open", path, e);
  }
  try {
    let st: nodeFs.Stats;
    try {
      st = nodeFs.fstatSync(fd);
    } catch (e) {
      throw nodeFsError("stat", path, e);
    }
    // os.ReadFile opens a directory fine and fails reading it.
    if (st.isDirectory()) throw new FsError("read", path, "other", "is a directory");
    if (!st.isFile()) throw refusedNotRegular(path, notRegularWhat(st));
    if (st.size > limit) throw refusedTooLarge(path, st.size);
    // The file may grow while it is read: read at most limit+1 bytes.
    let buf = new Uint8Array(Math.min(st.size, limit) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > limit) throw refusedTooLarge(path, n);
        const bigger = new Uint8Array(Math.min(buf.length * 2, limit + 1));
        bigger.set(buf);
        buf = bigger;
      }
      let got: number;
      try {
        got = nodeFs.readSync(fd, buf, n, buf.length - n, null);
      } catch (e) {
        throw nodeFsError("read", path, e);
      }
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n);
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** denoFs reads the real file system. */
export const denoFs: ReadFs = {
  readFile(path) {
    return readRegularFile(path);
  },
  stat(path) {
    // Most stats in a selection look for files that are not there (go.work,
    // version files in every parent). Measured on Deno per missing path:
    // existsSync ~9 µs; statSync with throwIfNoEntry: false ~45 µs (Deno's
    // node:fs throws and catches inside); a thrown Deno.statSync ~100 µs.
    if (!nodeFs.existsSync(path)) return undefined;
    try {
      const st = nodeFs.statSync(path, { throwIfNoEntry: false });
      return st === undefined ? undefined : info(st);
    } catch {
      return undefined;
    }
  },
  lstat(path) {
    try {
      const st = nodeFs.lstatSync(path, { throwIfNoEntry: false });
      return st === undefined ? undefined : info(st);
    } catch {
      return undefined;
    }
  },
  readLink(path) {
    try {
      return nodeFs.readlinkSync(path);
    } catch (e) {
      throw toFsError("readlink", path, e);
    }
  },
  realPath(path) {
    try {
      return nodeFs.realpathSync.native(path);
    } catch (e) {
      throw toFsError("lstat", path, e);
    }
  },
  readDir(path) {
    try {
      return nodeFs.readdirSync(path);
    } catch (e) {
      throw toFsError("open", path, e);
    }
  },
  isExecutable(path) {
    try {
      const i = nodeFs.statSync(path);
      if (!i.isFile()) return false;
      if (hostOs === "windows") return true;
      // access(X_OK) as the current user: approximate with the mode bits
      // that apply to us. Root may execute a file when any x bit is set.
      const mode = i.mode ?? 0;
      const uid = currentUid() ?? -1;
      if (uid === 0) return (mode & 0o111) !== 0;
      if (uid === i.uid) return (mode & 0o100) !== 0;
      if (gid() === i.gid) return (mode & 0o010) !== 0;
      return (mode & 0o001) !== 0;
    } catch {
      return false;
    }
  },
};
