/**
 * The h1: hash of a module zip computed while the zip streams in, so a
 * download is one pass: download → hash → verify → extract.
 *
 * The go command hashes in a second pass over the downloaded file
 * (modfetch.hashZip → dirhash.HashZip), reading entries through the central
 * directory at the end of the zip. A stream only offers the local headers,
 * in file order, and Go's zip writer (the one cmd/distpack uses) records
 * sizes and CRC only in a data descriptor after each entry's data, so
 * ZipHashStream finds each deflate stream's end by inflating it, hashing the
 * output as it goes.
 *
 * A hash of the local entries is only the hash Go computes if the central
 * directory — which both HashZip and the extractor read — names exactly those
 * entries. Otherwise a crafted zip could get one content hashed and another
 * extracted. So finish() takes the central directory as readZip reads it
 * from the same bytes on disk and accepts the streamed hash only when every
 * record points at a streamed entry (header offset, name, method,
 * descriptor flag, compressed and uncompressed sizes, CRC-32 computed and
 * in the descriptor), one to one. Anything else — an unusual layout, a
 * corrupt stream, a stored entry of unknown size, zip64, a lie — makes it
 * give up and return undefined; the caller then hashes the file with
 * hashZip as the go command does, which also yields Go's exact error for a
 * bad zip. ZipHashStream never decides that a zip is bad.
 *
 * @module
 */

import { hash1FromDigests } from "../sumdb/mod.ts";
import { decodeName, isValidUTF8 } from "./_bytes.ts";
import { maxZipFile } from "./check.ts";
import {
  dataDescriptorLen,
  dataDescriptorSignature,
  directoryEndSignature,
  directoryHeaderSignature,
  fileHeaderLen,
  fileHeaderSignature,
  u16,
  u32,
} from "./_format.ts";
import type { Codec, Inflater, Sha256Hasher, ZipEntry } from "./reader.ts";

/** One local entry as it streamed past. */
interface StreamedEntry {
  headerOffset: number;
  name: string;
  flags: number;
  method: number;
  /** Bytes of data the entry used (the deflate stream's length). */
  compressedSize: number;
  /** Bytes of content it produced. */
  uncompressedSize: number;
  /** CRC-32 of the content, computed. */
  crc32: number;
  /** CRC-32 recorded in the data descriptor, if the entry has one. */
  descriptorCrc?: number;
  sha256: string;
}

type State = "header" | "name" | "deflate" | "store" | "descriptor" | "done" | "failed";

/** Options of ZipHashStream. */
export interface ZipHashStreamOptions {
  /**
   * Give up after this many entries (the records are kept until finish).
   * @default 200000 (a Go toolchain has about 11,500)
   */
  maxEntries?: number;
  /** Give up when the content adds up to more than this. @default maxZipFile */
  maxContent?: number;
}

/**
 * ZipHashStream hashes a zip's entries from the zip's bytes as they arrive.
 *
 * @example
 * ```ts ignore
 * const hs = new ZipHashStream(nodeCodec);
 * for await (const chunk of body) { file.write(chunk); hs.write(chunk); }
 * const h1 = hs.finish(readZip(file)) ?? hashZip(fs, path, nodeCodec);
 * hs.close();
 * ```
 */
export class ZipHashStream {
  #codec: Codec;
  #maxEntries: number;
  #maxContent: number;
  #inf: Inflater | undefined;
  #state: State = "header";
  #reason = "";
  /** Absolute offset of the next byte written. */
  #pos = 0;
  /** Bytes collected for a header, name or descriptor. */
  #buf = new Uint8Array(fileHeaderLen);
  #need = fileHeaderLen;
  #have = 0;
  #entries: StreamedEntry[] = [];
  #content = 0;
  // The entry being read.
  #cur: StreamedEntry | undefined;
  #hash: Sha256Hasher | undefined;
  #storeLeft = 0;
  #nameLen = 0;
  /** Offset of the local header being collected. */
  #headerStart = 0;

  constructor(codec: Codec, options: ZipHashStreamOptions = {}) {
    this.#codec = codec;
    this.#maxEntries = options.maxEntries ?? 200000;
    this.#maxContent = options.maxContent ?? maxZipFile;
  }

  /** Why the stream gave up ("" while it has not); for tests and diagnostics. */
  get failure(): string {
    return this.#reason;
  }

  /** reset forgets everything written, as when a download starts over. */
  reset(): void {
    this.#state = "header";
    this.#reason = "";
    this.#pos = 0;
    this.#expect(fileHeaderLen);
    this.#entries = [];
    this.#content = 0;
    this.#cur = undefined;
    this.#hash = undefined;
  }

  /** close frees the inflater. */
  close(): void {
    this.#inf?.close();
    this.#inf = undefined;
  }

  /** write takes the next bytes of the zip. It never throws for bad zip data. */
  write(chunk: Uint8Array): void {
    let p = 0;
    while (p < chunk.length) {
      const before = p;
      switch (this.#state) {
        case "done":
        case "failed":
          this.#pos += chunk.length - p;
          return;
        case "header":
        case "name":
        case "descriptor": {
          if (this.#state === "header" && this.#have === 0) this.#headerStart = this.#pos;
          const n = Math.min(this.#need - this.#have, chunk.length - p);
          this.#buf.set(chunk.subarray(p, p + n), this.#have);
          this.#have += n;
          p += n;
          if (this.#have === this.#need) this.#parsed();
          break;
        }
        case "store": {
          const n = Math.min(this.#storeLeft, chunk.length - p);
          this.#content_(chunk.subarray(p, p + n));
          p += n;
          this.#storeLeft -= n;
          if (this.#storeLeft === 0 && this.#state === "store") this.#dataEnd();
          break;
        }
        case "deflate": {
          const inf = this.#inf!;
          let used: number;
          try {
            used = inf.push(chunk.subarray(p), false, (d) => this.#content_(d));
          } catch (e) {
            this.#fail(`inflating: ${(e as Error).message}`);
            break;
          }
          if (this.#state !== "deflate") break; // gave up on the content size
          if (used === 0 && !inf.ended) {
            // Cannot happen with zlib; never spin if it did.
            this.#fail("inflater made no progress");
            break;
          }
          p += used;
          this.#cur!.compressedSize += used;
          if (inf.ended) this.#dataEnd();
          break;
        }
      }
      this.#pos += p - before;
    }
  }

  /**
   * finish returns the h1: hash of the zip written, given its central
   * directory as readZip read it from the same bytes, or undefined when the
   * stream cannot vouch for it (the caller then hashes the file).
   */
  finish(central: readonly ZipEntry[]): string | undefined {
    if (this.#state !== "done") {
      if (this.#state !== "failed") this.#fail(`stream ended in ${this.#state}`);
      return undefined;
    }
    if (central.length !== this.#entries.length) {
      return this.#fail(
        `central directory lists ${central.length} entries, the stream had ${this.#entries.length}`,
      );
    }
    const byOffset = new Map(this.#entries.map((e) => [e.headerOffset, e]));
    const used = new Set<number>();
    const files: { name: string; sha256: string }[] = [];
    for (const c of central) {
      const s = byOffset.get(c.headerOffset);
      if (s === undefined || used.has(c.headerOffset)) {
        return this.#fail(`${c.name}: no streamed entry of its own at offset ${c.headerOffset}`);
      }
      used.add(c.headerOffset);
      // Names HashZip would refuse or hash as raw bytes: leave them to it.
      if (!isValidUTF8(c.name) || c.name.includes("\n")) {
        return this.#fail(`${c.name}: name left to hashZip`);
      }
      const same = c.name === s.name && c.method === s.method &&
        (c.flags & 0x8) === (s.flags & 0x8) &&
        c.compressedSize === s.compressedSize &&
        c.uncompressedSize === BigInt(s.uncompressedSize) &&
        c.crc32 === s.crc32 &&
        (s.descriptorCrc === undefined || s.descriptorCrc === c.crc32);
      if (!same) return this.#fail(`${c.name}: central directory differs from the local entry`);
      files.push({ name: c.name, sha256: s.sha256 });
    }
    return hash1FromDigests(files);
  }

  #fail(reason: string): undefined {
    this.#state = "failed";
    this.#reason ||= reason;
    this.#cur = undefined;
    this.#hash = undefined;
    this.#entries = [];
    return undefined;
  }

  #expect(n: number): void {
    if (this.#buf.length < n) this.#buf = new Uint8Array(Math.max(n, this.#buf.length * 2));
    this.#need = n;
    this.#have = 0;
  }

  #content_(d: Uint8Array): void {
    // Output may still arrive within the push that made the stream give up.
    if (this.#state === "failed") return;
    const e = this.#cur!;
    e.uncompressedSize += d.length;
    this.#content += d.length;
    if (this.#content > this.#maxContent) {
      this.#fail("content larger than a module zip may hold");
      return;
    }
    e.crc32 = this.#codec.crc32(d, e.crc32);
    this.#hash!.update(d);
  }

  // #parsed handles a complete header, name or descriptor in #buf.
  #parsed(): void {
    const b = this.#buf;
    switch (this.#state) {
      case "header": {
        const sig = u32(b, 0);
        if (sig === directoryHeaderSignature || sig === directoryEndSignature) {
          this.#state = "done";
          return;
        }
        if (sig !== fileHeaderSignature) {
          this.#fail(`no local header at offset ${this.#headerStart}`);
          return;
        }
        if (this.#entries.length >= this.#maxEntries) {
          this.#fail(`more than ${this.#maxEntries} entries`);
          return;
        }
        const flags = u16(b, 6);
        const method = u16(b, 8);
        const csize = u32(b, 18);
        const usize = u32(b, 22);
        this.#nameLen = u16(b, 26);
        const extraLen = u16(b, 28);
        if (csize === 0xffffffff || usize === 0xffffffff) {
          this.#fail("zip64 entry");
          return;
        }
        if (method !== 8 && (method !== 0 || (flags & 0x8) !== 0)) {
          // Stored data of unknown length, or a method Go cannot read.
          this.#fail(`entry with method ${method} and flags ${flags}`);
          return;
        }
        this.#cur = {
          headerOffset: this.#headerStart,
          name: "",
          flags,
          method,
          compressedSize: method === 0 ? csize : 0,
          uncompressedSize: 0,
          crc32: 0,
          sha256: "",
        };
        this.#state = "name";
        this.#expect(this.#nameLen + extraLen);
        if (this.#need === 0) this.#parsed();
        return;
      }
      case "name": {
        const e = this.#cur!;
        e.name = decodeName(b.slice(0, this.#nameLen));
        this.#hash = this.#codec.newSha256();
        if (e.method === 0) {
          this.#storeLeft = e.compressedSize;
          this.#state = "store";
          if (this.#storeLeft === 0) this.#dataEnd();
        } else {
          this.#inf ??= this.#codec.newInflater();
          this.#inf.reset();
          this.#state = "deflate";
        }
        return;
      }
      case "descriptor": {
        const e = this.#cur!;
        if (
          u32(b, 0) !== dataDescriptorSignature ||
          u32(b, 8) !== e.compressedSize || u32(b, 12) !== e.uncompressedSize
        ) {
          this.#fail(`${e.name}: data descriptor not as Go's zip writer writes it`);
          return;
        }
        e.descriptorCrc = u32(b, 4);
        this.#entryDone();
        return;
      }
    }
  }

  #dataEnd(): void {
    const e = this.#cur!;
    if (e.flags & 0x8) {
      this.#state = "descriptor";
      this.#expect(dataDescriptorLen);
      return;
    }
    this.#entryDone();
  }

  #entryDone(): void {
    const e = this.#cur!;
    e.sha256 = this.#hash!.digestHex();
    this.#entries.push(e);
    this.#cur = undefined;
    this.#hash = undefined;
    this.#state = "header";
    this.#expect(fileHeaderLen);
  }
}
