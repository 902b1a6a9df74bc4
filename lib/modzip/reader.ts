/**
 * Reading zip files by random access: the end of central directory (zip64
 * included), the central directory, local headers, and entry data with the
 * checks Go's archive/zip makes while reading (declared size, CRC-32, data
 * descriptor).
 *
 * Mirrors archive/zip reader.go (go1.26): readDirectoryEnd,
 * findDirectory64End, readDirectoryHeader (zip64 extra), findBodyOffset and
 * checksumReader, with Go's error values ("zip: not a valid zip file",
 * "zip: checksum error", "zip: unsupported compression algorithm",
 * "unexpected EOF"). The hashes and checks built on it must agree with the
 * go command's byte for byte; a behaviour change needs a failing test first.
 *
 * Nothing here holds the whole zip, or even a whole entry, in memory: the
 * central directory is read through a small buffer and entries are inflated
 * in pieces.
 *
 * @module
 */

import { decodeName } from "./_bytes.ts";
import {
  dataDescriptorLen,
  dataDescriptorSignature,
  directory64EndLen,
  directory64EndSignature,
  directory64LocLen,
  directory64LocSignature,
  directoryEndLen,
  directoryHeaderLen,
  directoryHeaderSignature,
  fileHeaderLen,
  fileHeaderSignature,
  u16,
  u32,
  u64,
  zip64ExtraID,
} from "./_format.ts";

/** A RandomAccessFile reads an open file at offsets. */
export interface RandomAccessFile {
  /** Size of the file in bytes. */
  readonly size: number;
  /**
   * readAt reads into p from offset off and returns the number of bytes
   * read. It returns fewer than p.length only at end of file; it throws on
   * I/O errors.
   */
  readAt(p: Uint8Array, off: number): number;
  close(): void;
}

/** A Sha256Hasher hashes a stream of bytes. */
export interface Sha256Hasher {
  update(data: Uint8Array): void;
  /** digestHex returns the SHA-256 as 64 lower-case hex digits. */
  digestHex(): string;
}

/**
 * An Inflater decompresses raw deflate streams pushed in pieces, one stream
 * after another, and tells where each stream ends: the one-pass hash of a
 * zip being downloaded (stream.ts) finds each entry's end that way, since
 * Go's zip writer records the sizes only after the data.
 */
export interface Inflater {
  /**
   * push feeds the next piece of the current stream; output is passed to
   * out as it is produced (valid only during the call). It returns how many
   * bytes of chunk belong to the stream: fewer than chunk.length means the
   * stream ended inside chunk (the rest is what follows it), and 0 for a
   * non-empty chunk means it had already ended. final marks the last piece
   * there is: a stream that does not end within it throws
   * Error("unexpected EOF").
   *
   * @throws {Error} "unexpected EOF", or another Error for corrupt input;
   * the inflater must be reset before its next use.
   */
  push(chunk: Uint8Array, final: boolean, out: (data: Uint8Array) => void): number;
  /** ended reports whether the current stream has ended (as far as pushed). */
  readonly ended: boolean;
  /** reset starts a new stream. */
  reset(): void;
  /** close frees the native state; the inflater is not used after. */
  close(): void;
}

/**
 * Codec is the native code zip reading needs. lib/host/zip_codec.ts
 * implements it with node:zlib and node:crypto.
 */
export interface Codec {
  /** newInflater starts a raw-deflate decompressor; the caller closes it. */
  newInflater(): Inflater;
  /** crc32 continues the IEEE CRC-32 crc (0 to start) over data. */
  crc32(data: Uint8Array, crc: number): number;
  newSha256(): Sha256Hasher;
}

/** ErrFormat is archive/zip.ErrFormat's text. */
export const errFormat = "zip: not a valid zip file";
/** errChecksum is archive/zip.ErrChecksum's text. */
export const errChecksum = "zip: checksum error";
/** errAlgorithm is archive/zip.ErrAlgorithm's text. */
export const errAlgorithm = "zip: unsupported compression algorithm";
/** errUnexpectedEOF is io.ErrUnexpectedEOF's text. */
export const errUnexpectedEOF = "unexpected EOF";

/** ZipFormatError is an archive/zip or io error reading the zip; message is Go's. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

/** A ZipEntry is one central directory record (archive/zip.FileHeader). */
export interface ZipEntry {
  /** The name as stored (invalid UTF-8 bytes escaped, see _bytes.ts). */
  name: string;
  creatorVersion: number;
  flags: number;
  /** 0 = store, 8 = deflate. */
  method: number;
  crc32: number;
  /** Compressed size in bytes (zip64-aware). */
  compressedSize: number;
  /** Declared uncompressed size in bytes (zip64-aware), as Go's UncompressedSize64. */
  uncompressedSize: bigint;
  externalAttrs: number;
  /** Offset of the local file header in the file (base offset included). */
  headerOffset: number;
}

// Compressed data is read and inflated in pieces of this size, so memory
// stays bounded whatever the entry sizes (measured on a go1.26 toolchain zip:
// 11,488 entries, 215 MB inflated in 0.48 s with one reused native inflater,
// against 0.75 s inflating each entry whole).
const chunkSize = 256 << 10;

// One read buffer for all entries: readEntry is synchronous and its sink
// must not keep what it is given, and allocating a fresh 256 KiB buffer per
// piece left the process ~100 MB larger (malloc keeps freed buffers).
// Made on first use: `gtc why` loads this module and never reads a zip.
let scratch: Uint8Array<ArrayBuffer> | undefined;

function readFull(f: RandomAccessFile, n: number, off: number): Uint8Array<ArrayBuffer> {
  return readInto(f, new Uint8Array(n), off);
}

// readInto fills buf from offset off; the result is shorter only at end of file.
function readInto(
  f: RandomAccessFile,
  buf: Uint8Array<ArrayBuffer>,
  off: number,
): Uint8Array<ArrayBuffer> {
  const n = buf.length;
  let got = 0;
  while (got < n) {
    const k = f.readAt(buf.subarray(got), off + got);
    if (k <= 0) break;
    got += k;
  }
  return got === n ? buf : buf.subarray(0, got);
}

interface DirectoryEnd {
  directoryRecords: bigint;
  directorySize: bigint;
  directoryOffset: bigint;
}

function findSignatureInBlock(b: Uint8Array): number {
  for (let i = b.length - directoryEndLen; i >= 0; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      const n = u16(b, i + directoryEndLen - 2);
      if (n + directoryEndLen + i > b.length) return -1; // truncated comment
      return i;
    }
  }
  return -1;
}

// readDirectoryEnd mirrors archive/zip.readDirectoryEnd.
function readDirectoryEnd(f: RandomAccessFile, size: number): [DirectoryEnd, number] {
  let buf = new Uint8Array(0);
  let directoryEndOffset = 0;
  const lens = [1024, 65 * 1024];
  for (let i = 0; i < lens.length; i++) {
    let bLen = lens[i];
    if (bLen > size) bLen = size;
    buf = readFull(f, bLen, size - bLen);
    const p = findSignatureInBlock(buf);
    if (p >= 0) {
      buf = buf.subarray(p);
      directoryEndOffset = size - bLen + p;
      break;
    }
    if (i === 1 || bLen === size) throw new ZipFormatError(errFormat);
  }
  const b = buf.subarray(4);
  const d: DirectoryEnd = {
    directoryRecords: BigInt(u16(b, 6)),
    directorySize: BigInt(u32(b, 8)),
    directoryOffset: BigInt(u32(b, 12)),
  };
  const commentLen = u16(b, 16);
  if (commentLen > b.length - 18) throw new ZipFormatError("zip: invalid comment length");

  if (
    d.directoryRecords === 0xffffn || d.directorySize === 0xffffn ||
    d.directoryOffset === 0xffffffffn
  ) {
    const p = findDirectory64End(f, directoryEndOffset);
    if (p >= 0) {
      directoryEndOffset = p;
      readDirectory64End(f, p, d);
    }
  }
  const maxInt64 = (1n << 63n) - 1n;
  if (d.directorySize > maxInt64 || d.directoryOffset > maxInt64) {
    throw new ZipFormatError(errFormat);
  }
  let baseOffset = BigInt(directoryEndOffset) - d.directorySize - d.directoryOffset;
  const o = baseOffset + d.directoryOffset;
  if (o < 0n || o >= BigInt(size)) throw new ZipFormatError(errFormat);
  // A wrong base offset in the directory end is ignored when a directory
  // header is found at the stated offset from the start.
  if (baseOffset > 0n) {
    const off = Number(d.directoryOffset);
    const hdr = readFull(f, 4, off);
    if (hdr.length === 4 && u32(hdr, 0) === directoryHeaderSignature) {
      // Go parses a whole header here; a full header that fails to parse
      // leaves the base offset, which the directory read then rejects.
      const full = readFull(f, directoryHeaderLen, off);
      if (full.length === directoryHeaderLen) {
        const total = directoryHeaderLen + u16(full, 28) + u16(full, 30) + u16(full, 32);
        const rec = readFull(f, total, off);
        if (rec.length === total && parseDirectoryHeader(rec) !== undefined) baseOffset = 0n;
      }
    }
  }
  return [d, Number(baseOffset)];
}

function findDirectory64End(f: RandomAccessFile, directoryEndOffset: number): number {
  const locOffset = directoryEndOffset - directory64LocLen;
  if (locOffset < 0) return -1;
  const b = readFull(f, directory64LocLen, locOffset);
  if (b.length < directory64LocLen) throw new ZipFormatError(errUnexpectedEOF);
  if (u32(b, 0) !== directory64LocSignature) return -1;
  if (u32(b, 4) !== 0) return -1;
  const p = u64(b, 8);
  if (u32(b, 16) !== 1) return -1;
  return Number(p);
}

function readDirectory64End(f: RandomAccessFile, offset: number, d: DirectoryEnd): void {
  const b = readFull(f, directory64EndLen, offset);
  if (b.length < directory64EndLen) throw new ZipFormatError(errUnexpectedEOF);
  if (u32(b, 0) !== directory64EndSignature) throw new ZipFormatError(errFormat);
  d.directoryRecords = u64(b, 32);
  d.directorySize = u64(b, 40);
  d.directoryOffset = u64(b, 48);
}

// parseDirectoryHeader parses one complete central directory record (the
// fixed part plus name, extra and comment) or returns undefined for
// ErrFormat, mirroring readDirectoryHeader.
function parseDirectoryHeader(b: Uint8Array): ZipEntry | undefined {
  if (u32(b, 0) !== directoryHeaderSignature) return;
  const nameLen = u16(b, 28);
  const extraLen = u16(b, 30);
  const compressed32 = u32(b, 20);
  const uncompressed32 = u32(b, 24);
  const offset32 = u32(b, 42);
  const e: ZipEntry = {
    name: decodeName(b.subarray(directoryHeaderLen, directoryHeaderLen + nameLen)),
    creatorVersion: u16(b, 4),
    flags: u16(b, 8),
    method: u16(b, 10),
    crc32: u32(b, 16),
    compressedSize: compressed32,
    uncompressedSize: BigInt(uncompressed32),
    externalAttrs: u32(b, 38),
    headerOffset: offset32,
  };
  let needUSize = uncompressed32 === 0xffffffff;
  let needCSize = compressed32 === 0xffffffff;
  let needHeaderOffset = offset32 === 0xffffffff;
  let extra = b.subarray(directoryHeaderLen + nameLen, directoryHeaderLen + nameLen + extraLen);
  while (extra.length >= 4) {
    const tag = u16(extra, 0);
    const size = u16(extra, 2);
    extra = extra.subarray(4);
    if (extra.length < size) break;
    let field = extra.subarray(0, size);
    extra = extra.subarray(size);
    if (tag !== zip64ExtraID) continue;
    if (needUSize) {
      needUSize = false;
      if (field.length < 8) return;
      e.uncompressedSize = u64(field, 0);
      field = field.subarray(8);
    }
    if (needCSize) {
      needCSize = false;
      if (field.length < 8) return;
      e.compressedSize = Number(u64(field, 0));
      field = field.subarray(8);
    }
    if (needHeaderOffset) {
      needHeaderOffset = false;
      if (field.length < 8) return;
      e.headerOffset = Number(BigInt.asIntN(64, u64(field, 0)));
      field = field.subarray(8);
    }
  }
  // An uncompressed size of 2³²-1 without zip64 is accepted (42.zip).
  if (needCSize || needHeaderOffset) return;
  return e;
}

/**
 * readZip reads the central directory of a zip file, as zip.NewReader does.
 *
 * @throws {ZipFormatError} "zip: not a valid zip file" and Go's other
 * reader errors.
 */
export function readZip(f: RandomAccessFile): ZipEntry[] {
  const size = f.size;
  const [end, baseOffset] = readDirectoryEnd(f, size);
  // Read records sequentially from the directory offset until a bad one, as
  // Go does; the count must then match modulo 65536.
  const entries: ZipEntry[] = [];
  let pos = baseOffset + Number(end.directoryOffset);
  let buf = new Uint8Array(0);
  let bufStart = pos;
  const window = (n: number): Uint8Array | undefined => {
    if (pos - bufStart + n > buf.length) {
      buf = readFull(f, Math.max(n, 64 * 1024), pos);
      bufStart = pos;
      if (buf.length < n) return;
    }
    return buf.subarray(pos - bufStart, pos - bufStart + n);
  };
  let lastErr = errFormat;
  for (;;) {
    const fixed = window(directoryHeaderLen);
    if (fixed === undefined) {
      lastErr = errUnexpectedEOF;
      break;
    }
    if (u32(fixed, 0) !== directoryHeaderSignature) {
      lastErr = errFormat;
      break;
    }
    const total = directoryHeaderLen + u16(fixed, 28) + u16(fixed, 30) + u16(fixed, 32);
    const rec = window(total);
    if (rec === undefined) {
      lastErr = errUnexpectedEOF;
      break;
    }
    const e = parseDirectoryHeader(rec);
    if (e === undefined) throw new ZipFormatError(errFormat);
    e.headerOffset += baseOffset;
    entries.push(e);
    pos += total;
  }
  if ((entries.length & 0xffff) !== Number(end.directoryRecords & 0xffffn)) {
    throw new ZipFormatError(lastErr);
  }
  return entries;
}

/** isDirEntry reports whether the entry names a directory (its name ends in "/"). */
export function isDirEntry(e: ZipEntry): boolean {
  return e.name.endsWith("/");
}

// findBodyOffset mirrors File.findBodyOffset: the data starts after the
// local header, whose own name and extra lengths count.
function findBodyOffset(f: RandomAccessFile, e: ZipEntry): number {
  const b = readFull(f, fileHeaderLen, e.headerOffset);
  if (b.length < fileHeaderLen) throw new ZipFormatError(b.length === 0 ? "EOF" : errUnexpectedEOF);
  if (u32(b, 0) !== fileHeaderSignature) throw new ZipFormatError(errFormat);
  return fileHeaderLen + u16(b, 26) + u16(b, 28);
}

/**
 * readEntry streams the uncompressed content of e to sink, in order, with
 * the checks of Go's File.Open reader: more data than declared is
 * "zip: not a valid zip file" (raised before the excess reaches sink), less
 * is "unexpected EOF", and a CRC-32 mismatch (against the data descriptor
 * when the entry has one, else against the header unless it is 0) is
 * "zip: checksum error". A directory entry has no content; one that declares
 * some is "zip: not a valid zip file". sink must use or copy what it is
 * given before it returns: the buffers are reused. Callers reading many entries pass
 * one inflater for all (it is reset here); without one, readEntry makes its
 * own.
 *
 * @throws {ZipFormatError} with Go's message; whatever sink throws.
 */
export function readEntry(
  f: RandomAccessFile,
  e: ZipEntry,
  codec: Codec,
  sink: (data: Uint8Array) => void,
  inflater?: Inflater,
): void {
  const bodyOffset = findBodyOffset(f, e);
  if (isDirEntry(e)) {
    if (e.uncompressedSize !== 0n) throw new ZipFormatError(errFormat);
    return;
  }
  if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(errAlgorithm);
  const declared = e.uncompressedSize;
  const start = e.headerOffset + bodyOffset;
  // The compressed data is a section of the file: it ends at the declared
  // compressed size or at the end of the file, whichever comes first.
  const avail = Math.max(0, Math.min(e.compressedSize, f.size - start));
  let nread = 0n;
  let crc = 0;
  const emit = (data: Uint8Array) => {
    if (data.length === 0) return;
    nread += BigInt(data.length);
    if (nread > declared) throw new ZipFormatError(errFormat);
    crc = codec.crc32(data, crc);
    sink(data);
  };

  if (e.method === 0) {
    for (let off = 0; off < avail; off += chunkSize) {
      const n = Math.min(chunkSize, avail - off);
      const piece = readInto(
        f,
        (scratch ??= new Uint8Array(chunkSize)).subarray(0, n),
        start + off,
      );
      // A stored entry's reader yields at most declared+1 bytes before failing.
      emit(piece);
      if (piece.length < n) break;
    }
  } else {
    const own = inflater === undefined;
    const inf = inflater ?? codec.newInflater();
    try {
      inf.reset();
      for (let off = 0; off < avail || off === 0; off += chunkSize) {
        const n = Math.min(chunkSize, avail - off);
        const piece = readInto(
          f,
          (scratch ??= new Uint8Array(chunkSize)).subarray(0, n),
          start + off,
        );
        const final = off + n >= avail;
        // Go's flate reader stops at the end of the stream: what follows it
        // within the section is never read.
        inflate(() => inf.push(piece, final, emit));
        if (final || inf.ended) break;
      }
    } finally {
      if (own) inf.close();
    }
  }

  if (nread !== declared) throw new ZipFormatError(errUnexpectedEOF);
  if (e.flags & 0x8) {
    // The descriptor may or may not start with its signature.
    const desc = readFull(f, dataDescriptorLen, start + e.compressedSize);
    if (desc.length < 4) throw new ZipFormatError(errUnexpectedEOF);
    const hasSig = u32(desc, 0) === dataDescriptorSignature;
    if (desc.length < (hasSig ? 16 : 12)) throw new ZipFormatError(errUnexpectedEOF);
    if (u32(desc, hasSig ? 4 : 0) !== e.crc32) throw new ZipFormatError(errChecksum);
    if (crc !== e.crc32) throw new ZipFormatError(errChecksum);
  } else if (e.crc32 !== 0 && crc !== e.crc32) {
    throw new ZipFormatError(errChecksum);
  }
}

// inflate runs a codec call and turns its failures into Go's errors.
function inflate<T>(call: () => T): T {
  try {
    return call();
  } catch (err) {
    if (err instanceof ZipFormatError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    if (msg === errUnexpectedEOF) throw new ZipFormatError(errUnexpectedEOF);
    throw new ZipFormatError(`flate: corrupt input (${msg})`);
  }
}
