/**
 * Safe extraction of Go distribution archives (go.dev/dl and Microsoft
 * tar.gz and zip files) into an empty directory.
 *
 * These archives are not module zips, so x/mod/zip's checks do not apply
 * (shared/spec/toolchain-download.md §7); gtc's rules are:
 *
 * - every entry lives under the top-level `go/` directory, which is stripped;
 * - names are relative and clean: no leading "/", no "", "." or ".."
 *   elements, no "\", ":" or NUL (which some file systems read as separators
 *   or streams);
 * - tar entries are regular files or directories only. Go distributions
 *   contain no symlinks, hardlinks, devices or FIFOs, so any such entry is
 *   refused outright rather than checked for where it points: a refused link
 *   cannot be used to escape, however it is spelled. (pax global headers,
 *   which carry no file, are skipped.) Zip entries are always written as
 *   plain files: the streaming reader does not see Unix modes, so a zip
 *   "symlink" becomes a small file holding its target, as in x/mod/zip;
 * - every file is created with O_EXCL, so a repeated name is an error;
 * - file modes keep only the owner/group/other rwx bits (no setuid, setgid
 *   or sticky), and owner read/write are always set;
 * - caps: entries, bytes per file and total bytes (Limits); a header that
 *   declares more than the cap is refused before its body is read.
 *
 * Every refusal is an ArchiveError; the caller deletes the partial directory.
 *
 * @module
 */

import { createTarDecoder } from "modern-tar";
import { Unzip, UnzipInflate, UnzipPassThrough } from "fflate";
import { join, type PathStyle } from "../_internal/path.ts";
import { SecurityError } from "../sources/mod.ts";
import type { FileSink, StoreFs } from "./fs.ts";

/** Limits caps what an archive may contain. */
export interface Limits {
  /** Largest download accepted, in bytes, when the source declares no size. @default 1 GiB */
  maxArchiveBytes: number;
  /** Largest single file, in bytes. @default 512 MiB */
  maxFileBytes: number;
  /** Largest total of file bytes. @default 2 GiB */
  maxTotalBytes: number;
  /** Most entries (files and directories). @default 100000 */
  maxEntries: number;
}

/** defaultLimits are generous for Go distributions (go1.26 linux-amd64: ~70 MB packed, ~250 MB, ~15k entries). */
export const defaultLimits: Limits = {
  maxArchiveBytes: 1 << 30,
  maxFileBytes: 512 << 20,
  maxTotalBytes: 2 * (1 << 30),
  maxEntries: 100_000,
};

/** ArchiveError is an archive entry gtc refuses to extract. It is a SecurityError: final. */
export class ArchiveError extends SecurityError {
  constructor(readonly archive: string, readonly entry: string, detail: string) {
    super(`extracting ${archive}: ${JSON.stringify(entry)}: ${detail}`, { archive, entry });
    this.name = "ArchiveError";
  }
}

/**
 * archivePath checks an entry name and returns its path below `go/` with "/"
 * separators ("" for the `go/` directory itself), or throws ArchiveError.
 */
export function archivePath(archive: string, name: string, isDir: boolean): string {
  const bad = (detail: string) => new ArchiveError(archive, name, detail);
  if (name.startsWith("/")) throw bad("absolute path");
  if (/^[A-Za-z]:/.test(name)) throw bad("absolute path (drive letter)");
  if (name.includes("\0")) throw bad("NUL in name");
  if (name.includes("\\")) throw bad("backslash in name");
  let n = name;
  if (n.endsWith("/")) {
    if (!isDir) throw bad("file name ends in /");
    n = n.slice(0, -1);
  }
  const elems = n.split("/");
  for (const e of elems) {
    if (e === "..") throw bad("path escapes the archive (..)");
    if (e === "" || e === ".") throw bad("path is not clean");
  }
  if (elems[0] !== "go") throw bad("not under the top-level go/ directory");
  if (elems.length === 1) {
    if (!isDir) throw bad("go is a file, not the top-level directory");
    return "";
  }
  const rest = elems.slice(1);
  for (const e of rest) {
    if (e.includes(":")) throw bad("colon in name");
    for (let i = 0; i < e.length; i++) {
      if (e.charCodeAt(i) < 0x20 || e.charCodeAt(i) === 0x7f) {
        throw bad("control character in name");
      }
    }
  }
  return rest.join("/");
}

/** ExtractInput describes one extraction. */
export interface ExtractInput {
  fs: StoreFs;
  /** The archive's bytes. */
  data: ReadableStream<Uint8Array>;
  /** An existing, empty directory that becomes the GOROOT. */
  dest: string;
  /** Archive name for messages. */
  archive: string;
  style?: PathStyle;
  limits?: Partial<Limits>;
}

/** ExtractStats counts what was written. */
export interface ExtractStats {
  files: number;
  dirs: number;
  bytes: number;
}

// Writer applies the rules shared by both formats.
class Writer {
  readonly stats: ExtractStats = { files: 0, dirs: 0, bytes: 0 };
  readonly #made = new Set<string>([""]);
  readonly #limits: Limits;
  #entries = 0;

  constructor(readonly input: ExtractInput) {
    this.#limits = { ...defaultLimits, ...input.limits };
  }

  #path(rel: string): string {
    return join(this.input.style ?? "posix", this.input.dest, ...rel.split("/"));
  }

  #count(name: string) {
    if (++this.#entries > this.#limits.maxEntries) {
      throw new ArchiveError(
        this.input.archive,
        name,
        `more than ${this.#limits.maxEntries} entries`,
      );
    }
  }

  #mkdirAll(rel: string) {
    if (this.#made.has(rel)) return;
    const parent = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
    this.#mkdirAll(parent);
    const p = this.#path(rel);
    const st = this.input.fs.lstat(p);
    if (st === undefined) {
      this.input.fs.mkdir(p);
      this.stats.dirs++;
    } else if (!st.isDirectory) {
      throw new ArchiveError(this.input.archive, rel, "entry is both a file and a directory");
    }
    this.#made.add(rel);
  }

  dir(name: string) {
    this.#count(name);
    const rel = archivePath(this.input.archive, name, true);
    this.#mkdirAll(rel);
  }

  /** open checks a file entry and creates it; declared is the header's size when known. */
  open(name: string, mode: number, declared: number | undefined): FileEntry {
    this.#count(name);
    const rel = archivePath(this.input.archive, name, false);
    if (declared !== undefined) this.#checkSize(name, declared, declared);
    this.#mkdirAll(rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "");
    let sink: FileSink;
    try {
      sink = this.input.fs.create(this.#path(rel), { mode: (mode & 0o777) | 0o600 });
    } catch (e) {
      throw new ArchiveError(
        this.input.archive,
        name,
        `multiple entries for file, or unwritable: ${(e as Error).message}`,
      );
    }
    this.stats.files++;
    return new FileEntry(this, name, sink);
  }

  #checkSize(name: string, fileBytes: number, addTotal: number) {
    if (fileBytes > this.#limits.maxFileBytes) {
      throw new ArchiveError(
        this.input.archive,
        name,
        `file larger than ${this.#limits.maxFileBytes} bytes`,
      );
    }
    if (this.stats.bytes + addTotal > this.#limits.maxTotalBytes) {
      throw new ArchiveError(
        this.input.archive,
        name,
        `archive expands to more than ${this.#limits.maxTotalBytes} bytes`,
      );
    }
  }

  /** add accounts n more bytes of a file that already has written bytes. */
  add(name: string, written: number, n: number) {
    this.#checkSize(name, written + n, n);
    this.stats.bytes += n;
  }
}

class FileEntry {
  #written = 0;
  constructor(readonly w: Writer, readonly name: string, readonly sink: FileSink) {}
  write(chunk: Uint8Array) {
    this.w.add(this.name, this.#written, chunk.length);
    this.#written += chunk.length;
    this.sink.write(chunk);
  }
  close() {
    this.sink.close();
  }
}

/**
 * extractTarGz extracts a gzip-compressed tar stream (modern-tar's web
 * decoder over DecompressionStream("gzip"), synchronous per-file writes).
 */
export async function extractTarGz(input: ExtractInput): Promise<ExtractStats> {
  const w = new Writer(input);
  const entries = input.data
    .pipeThrough(
      new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
    )
    .pipeThrough(createTarDecoder({ strict: true }));
  for await (const e of entries) {
    const h = e.header;
    const type = h.type ?? "file";
    if (type === "pax-global-header") {
      await e.body.cancel();
      continue;
    }
    if (type === "directory") {
      await e.body.cancel();
      w.dir(h.name.endsWith("/") ? h.name : h.name + "/");
      continue;
    }
    if (type !== "file") {
      await e.body.cancel();
      // Check the name first so an escaping link reports the escape; then refuse the link itself.
      archivePath(input.archive, h.name, false);
      const what = type === "symlink"
        ? `symlink to ${JSON.stringify(h.linkname ?? "")}`
        : type === "link"
        ? `hardlink to ${JSON.stringify(h.linkname ?? "")}`
        : type;
      throw new ArchiveError(
        input.archive,
        h.name,
        `${what}: Go distributions contain only files and directories`,
      );
    }
    const f = w.open(h.name, h.mode ?? 0o644, h.size);
    try {
      const reader = e.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        f.write(value);
      }
    } finally {
      f.close();
    }
  }
  return w.stats;
}

/**
 * extractZip extracts a zip stream with fflate's streaming Unzip (local
 * headers; data descriptors as Go's archive/zip writes them are supported).
 * The archive's SHA-256 was checked before extraction, so CRCs add nothing.
 */
export async function extractZip(input: ExtractInput): Promise<ExtractStats> {
  const w = new Writer(input);
  let failure: unknown;
  let open: FileEntry | undefined;
  const unzip = new Unzip((file) => {
    if (failure !== undefined) return;
    try {
      if (file.name.endsWith("/")) {
        w.dir(file.name);
        return;
      }
      const entry = w.open(
        file.name,
        file.name.startsWith("go/bin/") ? 0o755 : 0o644,
        file.originalSize,
      );
      open = entry;
      file.ondata = (err, chunk, final) => {
        if (failure !== undefined) return;
        try {
          if (err) throw new ArchiveError(input.archive, file.name, err.message);
          entry.write(chunk);
          if (final) {
            entry.close();
            open = undefined;
          }
        } catch (e) {
          failure = e;
        }
      };
      file.start();
    } catch (e) {
      failure = e;
    }
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  const reader = input.data.getReader();
  try {
    let prev: Uint8Array | undefined;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (prev !== undefined) unzip.push(prev, false);
      prev = value;
      if (failure !== undefined) break;
    }
    if (failure === undefined) unzip.push(prev ?? new Uint8Array(0), true);
  } catch (e) {
    failure ??= e;
  } finally {
    if (failure !== undefined) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
  if (open !== undefined) {
    open.close();
    failure ??= new ArchiveError(input.archive, open.name, "truncated entry");
  }
  if (failure !== undefined) {
    if (failure instanceof SecurityError) throw failure;
    throw new ArchiveError(input.archive, "", `malformed zip: ${(failure as Error).message}`);
  }
  return w.stats;
}
