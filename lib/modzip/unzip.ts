/**
 * Safe extraction and hashing of module zips: x/mod zip Unzip and
 * sumdb/dirhash HashZip (x/mod as vendored in go1.26).
 *
 * Unzip writes only regular files (0444, O_EXCL) and directories (0777)
 * under the target: names are checked (clean, relative, CheckFilePath) before
 * anything is written, file modes in the zip are ignored, and a symlink entry
 * becomes a plain file holding the link text — exactly as the go command
 * extracts, so both produce the same tree.
 *
 * @module
 */

import { dirname, join, type PathStyle } from "../_internal/path.ts";
import { hash1FromDigests } from "../sumdb/mod.ts";
import { encodeName, isValidUTF8 } from "./_bytes.ts";
import { checkZipFile, type ModuleVersion } from "./check.ts";
import {
  type Codec,
  type Inflater,
  isDirEntry,
  type RandomAccessFile,
  readEntry,
  readZip,
  type ZipEntry,
} from "./reader.ts";

/** A FileWriter writes a new file sequentially. */
export interface FileWriter {
  write(data: Uint8Array): void;
  /** reset discards everything written so far (Seek(0) + Truncate(0)). */
  reset(): void;
  close(): void;
}

/** UnzipFs is the file access unzip and hashZip need. lib/host/fs_write.ts implements it. */
export interface UnzipFs {
  /** "posix" unless the host is Windows. */
  readonly pathStyle: PathStyle;
  /** openRead opens a file for reading at offsets; throws FsError when it cannot. */
  openRead(path: string): RandomAccessFile;
  /** readDir lists a directory's entry names; throws when it cannot be read (missing included). */
  readDir(path: string): string[];
  /** mkdirAll creates path and missing parents with mode (before umask), like os.MkdirAll. */
  mkdirAll(path: string, mode: number): void;
  /** writeNew creates path with O_WRONLY|O_CREATE|O_EXCL and mode, writes data and closes it. */
  writeNew(path: string, data: Uint8Array, mode: number): void;
  /** createNew creates path as writeNew does and returns a writer for it. */
  createNew(path: string, mode: number): FileWriter;
}

/**
 * ModZipError is an unzip or hash failure, printed as x/mod's zipError:
 * "unzip /path/to/x.zip: <cause>". cause is the underlying error.
 */
export class ModZipError extends Error {
  constructor(readonly verb: string, readonly path: string, override readonly cause: Error) {
    super(path === "" ? `${verb}: ${cause.message}` : `${verb} ${path}: ${cause.message}`, {
      cause,
    });
    this.name = "ModZipError";
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * unzip extracts the module zip zipFile for m into dir, mirroring x/mod
 * zip.Unzip: dir must be empty or missing; the whole zip is checked
 * (checkZipFile) before anything is written; files are created 0444 with
 * O_EXCL and directories 0777 (modes before umask); each file's content is
 * held to its declared size. Files may have been written when a later entry
 * fails; the caller removes dir.
 *
 * @throws {ModZipError} "unzip <zipFile>: <cause>", with Go's cause text.
 */
export function unzip(
  fs: UnzipFs,
  input: { dir: string; module: ModuleVersion; zipFile: string; codec: Codec },
): void {
  const { dir, module: m, zipFile, codec } = input;
  try {
    let existing: string[] = [];
    try {
      existing = fs.readDir(dir);
    } catch {
      // A missing or unreadable directory counts as empty, as in Go.
    }
    if (existing.length > 0) throw new Error(`target directory ${dir} exists and is not empty`);

    const f = fs.openRead(zipFile);
    try {
      const { entries, checked } = checkZipFile(m, f);
      const err = checked.err();
      if (err) throw err;

      const prefix = `${m.path}@${m.version}/`;
      fs.mkdirAll(dir, 0o777);
      const made = new Set<string>([dir]);
      const inf = codec.newInflater();
      try {
        for (const zf of entries) {
          const name = zf.name.slice(prefix.length);
          if (name === "" || name.endsWith("/")) continue;
          const dst = join(fs.pathStyle, dir, name);
          const parent = dirname(dst, fs.pathStyle);
          if (!made.has(parent)) {
            fs.mkdirAll(parent, 0o777);
            made.add(parent);
          }
          extractEntry(fs, f, zf, dst, codec, inf);
        }
      } finally {
        inf.close();
      }
    } finally {
      f.close();
    }
  } catch (e) {
    throw new ModZipError("unzip", zipFile, asError(e));
  }
}

// Files up to this size are written with one call (one syscall sequence per
// file matters with thousands of files), from one reused buffer; larger ones
// are written as they are inflated, so memory stays bounded.
const wholeFileLimit = 1 << 20;
let fileBuf: Uint8Array | undefined; // made on first use

function extractEntry(
  fs: UnzipFs,
  f: RandomAccessFile,
  zf: ZipEntry,
  dst: string,
  codec: Codec,
  inf: Inflater,
): void {
  const buf = fileBuf ??= new Uint8Array(wholeFileLimit);
  let held = 0;
  let w: FileWriter | undefined;
  try {
    readEntry(f, zf, codec, (d) => {
      if (w === undefined && held + d.length > wholeFileLimit) {
        w = fs.createNew(dst, 0o444);
        w.write(buf.subarray(0, held));
      }
      if (w !== undefined) return w.write(d);
      buf.set(d, held);
      held += d.length;
    }, inf);
    if (w === undefined) fs.writeNew(dst, buf.subarray(0, held), 0o444);
  } finally {
    w?.close();
  }
}

/**
 * hashZip returns the h1: hash of a zip file's entries, as
 * dirhash.HashZip(zipFile, dirhash.Hash1): every entry, directory entries
 * included (with empty content), by name in UTF-8 byte order, contents as
 * read through Go's zip reader checks. With a name listed twice, the last
 * entry's content is hashed for both, as Go does.
 *
 * Entry names that are not valid UTF-8 are hashed as the bytes stored.
 *
 * @throws {ZipFormatError} Go's zip reader errors, unwrapped as Go returns them.
 * @throws {Error} "dirhash: filenames with newlines are not supported".
 */
export function hashZip(fs: UnzipFs, zipFile: string, codec: Codec): string {
  const f = fs.openRead(zipFile);
  try {
    return hashZipFile(f, codec);
  } finally {
    f.close();
  }
}

/** hashZipFile is hashZip over an open file. */
export function hashZipFile(f: RandomAccessFile, codec: Codec): string {
  const entries = readZip(f);
  const last = new Map<string, ZipEntry>();
  for (const e of entries) last.set(e.name, e);
  // Hash in Go's order (sorted names) so the first failure is Go's.
  const names = entries.map((e) => e.name);
  const keys = new Map(names.map((n) => [n, encodeName(n)]));
  names.sort((a, b) => compareBytes(keys.get(a)!, keys.get(b)!));
  const digests = new Map<string, string>();
  const inf = codec.newInflater();
  try {
    for (const name of names) {
      if (name.includes("\n")) {
        throw new Error("dirhash: filenames with newlines are not supported");
      }
      if (digests.has(name)) continue;
      const e = last.get(name)!;
      const h = codec.newSha256();
      if (isDirEntry(e)) {
        readEntry(f, e, codec, () => {}, inf);
      } else {
        readEntry(f, e, codec, (d) => h.update(d), inf);
      }
      digests.set(name, h.digestHex());
    }
  } finally {
    inf.close();
  }
  if (names.every(isValidUTF8)) {
    return hash1FromDigests(names.map((name) => ({ name, sha256: digests.get(name)! })));
  }
  // Names that are not UTF-8: the summary holds their bytes as stored.
  const h = codec.newSha256();
  const enc = new TextEncoder();
  for (const name of names) {
    h.update(enc.encode(`${digests.get(name)}  `));
    h.update(keys.get(name)!);
    h.update(enc.encode("\n"));
  }
  return "h1:" + btoa(String.fromCharCode(...hexBytes(h.digestHex())));
}

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * checkZip mirrors x/mod zip.CheckZip: it opens zipFile and checks it for m.
 * The returned result's checked.err() tells whether the zip is valid.
 *
 * @throws {ModZipCheckError} bad module version or path, or zip too large.
 * @throws {ZipFormatError} the zip cannot be read.
 */
export function checkZip(fs: UnzipFs, m: ModuleVersion, zipFile: string) {
  const f = fs.openRead(zipFile);
  try {
    return checkZipFile(m, f).checked;
  } finally {
    f.close();
  }
}
