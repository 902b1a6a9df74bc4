/**
 * Reading the Go build information blob from an executable, as
 * debug/buildinfo does (`go version -m` prints what it returns).
 *
 * The linker leaves a 32-byte header, 16-byte aligned near the start of the
 * data segment (or in its own section): the magic "\xff Go buildinf:", the
 * pointer size, a flags byte, then either (Go 1.18+, flags bit 2 set) the
 * version and module strings inline after the header, each prefixed by its
 * length as a uvarint, or (before 1.18) two pointers, in the flags' byte
 * order, to Go string headers {data pointer, length} elsewhere in the file.
 *
 * @module
 */

import {
  bytesReader,
  type Exe,
  FormatError,
  NotGoError,
  openElf,
  openFatMacho,
  openMacho,
  openPe,
  type ReaderAt,
} from "./exe.ts";

/** The magic that starts the build information header. */
export const buildInfoMagic: Uint8Array = new Uint8Array([
  0xff,
  ...new TextEncoder().encode(" Go buildinf:"),
]);
/** The header's alignment in the data segment. */
export const buildInfoAlign = 16;
/** The header's size in bytes. */
export const buildInfoHeaderSize = 32;
/** How much of the data segment searchMagic reads at a time. */
export const searchChunkSize = 1 << 20;

const maxVarintLen64 = 10;

// readData mirrors buildinfo.readData over saferio.ReadDataAt: size bytes
// from addr, or "eof" when the segment ends first (Go's io.EOF, which the
// callers turn into errNotGoExe). An unmapped address throws FormatError.
function readData(x: Exe, addr: bigint, size: bigint): Uint8Array | "eof" {
  const r = x.dataReader(addr);
  if (size === 0n) return new Uint8Array(0);
  // saferio reads large sizes in 10 MB chunks and fails at the first short
  // one: the answer is the same as refusing anything the segment cannot hold.
  if (size > BigInt(1 << 30)) return "eof";
  const n = Number(size);
  const b = new Uint8Array(n);
  return r.readAt(b, 0) === n ? b : "eof";
}

/**
 * searchMagic returns the address of the first 16-byte-aligned magic in
 * [start, start+size), reading the data in 1 MB chunks (debug/buildinfo's
 * searchMagic).
 *
 * @throws {NotGoError} when there is none or no room for the header after it
 * @throws {FormatError} on an address overflow or an unmapped range
 */
export function searchMagic(x: Exe, start: bigint, size: bigint): bigint {
  const end = start + size;
  if (end >= 1n << 64n) throw new FormatError();
  const align = BigInt(buildInfoAlign);
  start = (start + align - 1n) & ~(align - 1n);
  if (start >= end) throw new NotGoError();
  let buf: Uint8Array | undefined;
  while (start < end) {
    const remaining = end - start;
    const chunkSize = remaining < BigInt(searchChunkSize) ? Number(remaining) : searchChunkSize;
    if (buf === undefined) buf = new Uint8Array(chunkSize);
    else {
      buf = buf.subarray(0, chunkSize);
      buf.fill(0);
    }
    const n = x.dataReader(start).readAt(buf, 0);
    if (n === 0) throw new NotGoError();
    let data = buf.subarray(0, n);
    while (data.length > 0) {
      // As in Go, i is an index into data, which moves past each misaligned
      // magic: the room check and the address returned use it as if it were
      // the offset in the chunk. Kept, so a file with a misaligned magic
      // before the real one reads as it does with `go version -m`.
      const i = indexOf(data, buildInfoMagic);
      if (i < 0) break;
      if (remaining - BigInt(i) < BigInt(buildInfoHeaderSize)) throw new NotGoError();
      if (i % buildInfoAlign !== 0) {
        const next = (i + buildInfoAlign - 1) & ~(buildInfoAlign - 1);
        if (next > data.length) throw new NotGoError();
        data = data.subarray(next);
        continue;
      }
      return start + BigInt(i);
    }
    start += BigInt(chunkSize);
  }
  throw new NotGoError();
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  for (let i = hay.indexOf(first); i >= 0 && i <= hay.length - needle.length;) {
    let k = 1;
    while (k < needle.length && hay[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
    i = hay.indexOf(first, i + 1);
  }
  return -1;
}

function uvarint(b: Uint8Array): [bigint, number] {
  let x = 0n;
  let s = 0n;
  for (let i = 0; i < b.length; i++) {
    if (i === maxVarintLen64) return [0n, -(i + 1)];
    const c = b[i];
    if (c < 0x80) {
      if (i === maxVarintLen64 - 1 && c > 1) return [0n, -(i + 1)];
      return [x | (BigInt(c) << s), i + 1];
    }
    x |= BigInt(c & 0x7f) << s;
    s += 7n;
  }
  return [0n, 0];
}

function decodeString(x: Exe, addr: bigint): [Uint8Array, bigint] {
  const b = readData(x, addr, BigInt(maxVarintLen64));
  if (b === "eof") throw new NotGoError();
  const [length, n] = uvarint(b);
  if (n <= 0) throw new NotGoError();
  addr += BigInt(n);
  const s = readData(x, addr, length);
  if (s === "eof" || BigInt(s.length) < length) throw new NotGoError();
  return [s, addr + length];
}

function readString(
  x: Exe,
  ptrSize: number,
  readPtr: (b: Uint8Array) => bigint,
  addr: bigint,
): Uint8Array {
  try {
    const hdr = readData(x, addr, BigInt(2 * ptrSize));
    if (hdr === "eof") return new Uint8Array(0);
    const dataAddr = readPtr(hdr);
    const dataLen = readPtr(hdr.subarray(ptrSize));
    const data = readData(x, dataAddr, dataLen);
    return data === "eof" ? new Uint8Array(0) : data;
  } catch {
    // Any failure reads as an empty string, as in Go.
    return new Uint8Array(0);
  }
}

/** The executable's format, detected from its first bytes. */
export function openExe(r: ReaderAt): Exe {
  const ident = new Uint8Array(16);
  if (r.readAt(ident, 0) < 16) throw new FormatError();
  const has = (off: number, ...b: number[]) => b.every((c, i) => ident[off + i] === c);
  if (has(0, 0x7f, 0x45, 0x4c, 0x46)) return openElf(r);
  if (has(0, 0x4d, 0x5a)) return openPe(r);
  if (has(0, 0xfe, 0xed, 0xfa) || has(1, 0xfa, 0xed, 0xfe)) return openMacho(r);
  if (has(0, 0xca, 0xfe, 0xba, 0xbe) || has(0, 0xca, 0xfe, 0xba, 0xbf)) return openFatMacho(r);
  // XCOFF (AIX) and Plan 9 a.out are not read: see README "gtc tools".
  throw new FormatError();
}

const latin1 = new TextDecoder("utf-8");

/** The two strings of the blob: the Go version and the module information. */
export interface RawBuildInfo {
  /** "go1.22.3", possibly with experiments: "go1.22.3 X:loopvar". */
  version: string;
  /** The module information (BuildInfo.String() form), "" outside module mode. */
  modinfo: string;
}

/**
 * readRawBuildInfo extracts the Go version and module information strings
 * from an executable (debug/buildinfo's readRawBuildInfo).
 *
 * @throws {FormatError} ("unrecognized file format") for a file that is no
 *   executable it can read
 * @throws {NotGoError} ("not a Go executable") for one without build information
 */
export function readRawBuildInfo(r: ReaderAt): RawBuildInfo {
  const x = openExe(r);
  const [dataAddr, dataSize] = x.dataStart();
  if (dataSize === 0n) throw new NotGoError();
  let addr = searchMagic(x, dataAddr, dataSize);
  const header = readData(x, addr, BigInt(buildInfoHeaderSize));
  if (header === "eof" || header.length < buildInfoHeaderSize) throw new NotGoError();

  const flags = header[15];
  let vers: Uint8Array;
  let mod: Uint8Array;
  if ((flags & 0x2) === 0x2) {
    [vers, addr] = decodeString(x, addr + BigInt(buildInfoHeaderSize));
    [mod] = decodeString(x, addr);
  } else {
    const ptrSize = header[14];
    const le = (flags & 0x1) === 0;
    let readPtr: (b: Uint8Array) => bigint;
    if (ptrSize === 4) {
      readPtr = (b) => BigInt(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, le));
    } else if (ptrSize === 8) {
      readPtr = (b) => new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, le);
    } else throw new NotGoError();
    vers = readString(x, ptrSize, readPtr, readPtr(header.subarray(16)));
    mod = readString(x, ptrSize, readPtr, readPtr(header.subarray(16 + ptrSize)));
  }
  if (vers.length === 0) throw new NotGoError();
  // Strip the module framing: the 16-byte sentinels of modload's infoStart and infoEnd.
  mod = mod.length >= 33 && mod[mod.length - 17] === 0x0a
    ? mod.subarray(16, mod.length - 16)
    : new Uint8Array(0);
  return { version: latin1.decode(vers), modinfo: latin1.decode(mod) };
}

/** readRawBuildInfoBytes is readRawBuildInfo over bytes in memory. */
export function readRawBuildInfoBytes(b: Uint8Array): RawBuildInfo {
  return readRawBuildInfo(bytesReader(b));
}
