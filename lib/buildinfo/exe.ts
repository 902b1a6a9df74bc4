/**
 * The executable formats debug/buildinfo reads Go build information from:
 * ELF, PE and Mach-O (also a universal "fat" Mach-O, of which the first
 * architecture counts). Only what buildinfo needs is decoded: the segments
 * or sections an address maps into, and where the build information blob
 * should start (cmd/link puts it in .go.buildinfo / __go_buildinfo, or at the
 * start of the first writable data segment).
 *
 * Address arithmetic is done on 64-bit unsigned integers (bigint), wrapping
 * as Go's uint64 (and, for PE, uint32) does, so that malformed headers give
 * the same answer as debug/buildinfo and never a JavaScript exception.
 *
 * @module
 */

/** ReaderAt reads bytes at an offset, like Go's io.ReaderAt. */
export interface ReaderAt {
  /**
   * readAt fills buf from offset off and returns how many bytes it read:
   * fewer than buf.length only at the end of the data (0 past it).
   */
  readAt(buf: Uint8Array, off: number): number;
}

/** FormatError is errUnrecognizedFormat: not an executable debug/buildinfo knows. */
export class FormatError extends Error {
  constructor() {
    super("unrecognized file format");
    this.name = "FormatError";
  }
}

/** NotGoError is errNotGoExe: a valid executable without Go build information. */
export class NotGoError extends Error {
  constructor() {
    super("not a Go executable");
    this.name = "NotGoError";
  }
}

const U64 = (1n << 64n) - 1n;
/** Wraps a bigint to uint64 as Go arithmetic does. */
const w64 = (v: bigint) => v & U64;

// toOffset turns an unsigned 64-bit value into a JavaScript offset; values
// past 2^53 are clamped (nothing can be read there anyway).
function toOffset(v: bigint): number {
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * Section is io.SectionReader: a window [off, off+n) of another ReaderAt,
 * reading nothing past its end.
 */
export class Section implements ReaderAt {
  constructor(readonly r: ReaderAt, readonly off: number, readonly n: number) {}
  readAt(buf: Uint8Array, off: number): number {
    if (off < 0 || off >= this.n) return 0;
    const max = Math.min(buf.length, this.n - off);
    return this.r.readAt(max === buf.length ? buf : buf.subarray(0, max), this.off + off);
  }
}

/** bytesReader reads from bytes in memory. */
export function bytesReader(b: Uint8Array): ReaderAt {
  return {
    readAt(buf, off) {
      if (off >= b.length) return 0;
      const part = b.subarray(off, off + buf.length);
      buf.set(part);
      return part.length;
    },
  };
}

// readFull reads exactly n bytes at off or returns undefined (Go's ReadAt
// error on a short read).
function readFull(r: ReaderAt, off: number, n: number): Uint8Array | undefined {
  if (n < 0 || n > 1 << 30) return undefined;
  const b = new Uint8Array(n);
  return r.readAt(b, off) === n ? b : undefined;
}

/** Exe is one executable's view for buildinfo (debug/buildinfo's exe interface). */
export interface Exe {
  /** The address and size of the section or segment that should hold the blob. */
  dataStart(): [bigint, bigint];
  /** A reader from addr to the end of the segment or section holding it, or FormatError. */
  dataReader(addr: bigint): ReaderAt;
}

class Bin {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array, readonly le: boolean) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u16(o: number): number {
    return this.dv.getUint16(o, this.le);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, this.le);
  }
  u64(o: number): bigint {
    return this.dv.getBigUint64(o, this.le);
  }
}

const ascii = new TextDecoder("latin1");
function cstring(b: Uint8Array): string {
  const z = b.indexOf(0);
  return ascii.decode(z < 0 ? b : b.subarray(0, z));
}

// ---- ELF (debug/elf.NewFile, the parts buildinfo uses) ----

interface ElfProg {
  type: number;
  flags: number;
  off: bigint;
  vaddr: bigint;
  filesz: bigint;
  memsz: bigint;
}

const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;

/** openElf decodes an ELF file's program and section headers. */
export function openElf(r: ReaderAt): Exe {
  const ident = readFull(r, 0, 16);
  if (!ident) throw new FormatError();
  const cls = ident[4];
  const data = ident[5];
  if ((cls !== 1 && cls !== 2) || (data !== 1 && data !== 2) || ident[6] !== 1) {
    throw new FormatError();
  }
  const is64 = cls === 2;
  const hdr = readFull(r, 0, is64 ? 64 : 52);
  if (!hdr) throw new FormatError();
  const h = new Bin(hdr, data === 1);
  if (h.u32(20) !== 1) throw new FormatError();
  const phoff = is64 ? h.u64(32) : BigInt(h.u32(28));
  const shoff = is64 ? h.u64(40) : BigInt(h.u32(32));
  const at = is64 ? 54 : 42;
  const phentsize = h.u16(at);
  const phnum = h.u16(at + 2);
  const shentsize = h.u16(at + 4);
  const shnum = h.u16(at + 6);
  const shstrndx = h.u16(at + 8);
  if (shoff >= 1n << 63n || phoff >= 1n << 63n) throw new FormatError();
  if (shoff === 0n && shnum !== 0) throw new FormatError();
  if (shnum > 0 && shstrndx >= shnum) throw new FormatError();
  const wantPh = is64 ? 56 : 32;
  if (phnum > 0 && phentsize < wantPh) throw new FormatError();

  const phdata = readFull(r, toOffset(phoff), phnum * phentsize);
  if (!phdata) throw new FormatError();
  const p = new Bin(phdata, h.le);
  const progs: ElfProg[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * phentsize;
    progs.push(
      is64
        ? {
          type: p.u32(o),
          flags: p.u32(o + 4),
          off: p.u64(o + 8),
          vaddr: p.u64(o + 16),
          filesz: p.u64(o + 32),
          memsz: p.u64(o + 40),
        }
        : {
          type: p.u32(o),
          off: BigInt(p.u32(o + 4)),
          vaddr: BigInt(p.u32(o + 8)),
          filesz: BigInt(p.u32(o + 16)),
          memsz: BigInt(p.u32(o + 20)),
          flags: p.u32(o + 24),
        },
    );
  }

  for (const p of progs) if (p.off >= 1n << 63n || p.filesz >= 1n << 63n) throw new FormatError();

  const sections = elfSections(r, h, is64, shoff, shnum, shentsize, shstrndx);
  return {
    dataStart() {
      for (const s of sections) if (s.name === ".go.buildinfo") return [s.addr, s.size];
      for (const p of progs) {
        if (p.type === PT_LOAD && (p.flags & (PF_X | PF_W)) === PF_W) return [p.vaddr, p.memsz];
      }
      return [0n, 0n];
    },
    dataReader(addr) {
      for (const p of progs) {
        if (p.vaddr <= addr && addr <= w64(p.vaddr + p.filesz - 1n)) {
          const remaining = w64(p.vaddr + p.filesz - addr);
          const seg = new Section(r, toOffset(p.off), toOffset(p.filesz));
          return new Section(seg, toOffset(w64(addr - p.vaddr)), toOffset(remaining));
        }
      }
      throw new FormatError();
    },
  };
}

const SHT_NULL = 0;
const SHT_STRTAB = 3;
const SHF_COMPRESSED = 0x800;

// elfSections reads the section headers and names as elf.NewFile does,
// with its checks; only name, address and size are kept.
function elfSections(
  r: ReaderAt,
  h: Bin,
  is64: boolean,
  shoff: bigint,
  shnum: number,
  shentsize: number,
  shstrndx: number,
): { name: string; addr: bigint; size: bigint }[] {
  const wantSh = is64 ? 64 : 40;
  if (shoff > 0n && shnum === 0) {
    // Extended numbering: section 0 holds the real count (and string table index).
    const s0 = readFull(r, toOffset(shoff), wantSh);
    if (!s0) throw new FormatError();
    const b = new Bin(s0, h.le);
    const n = is64 ? b.u64(32) : BigInt(b.u32(20));
    if (b.u32(4) !== SHT_NULL || n < 0xff00n || n > 1n << 24n) throw new FormatError();
    shnum = Number(n);
    if (shstrndx === 0xffff) {
      shstrndx = b.u32(is64 ? 40 : 24);
      if (shstrndx < 0xff00) throw new FormatError();
    }
  }
  if (shnum > 0 && shentsize < wantSh) throw new FormatError();
  const shdata = readFull(r, toOffset(shoff), shnum * shentsize);
  if (!shdata) throw new FormatError();
  const s = new Bin(shdata, h.le);
  const raw: { nameOff: number; type: number; addr: bigint; off: bigint; size: bigint }[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    const flags = is64 ? s.u64(o + 8) : BigInt(s.u32(o + 8));
    const sec = {
      nameOff: s.u32(o),
      type: s.u32(o + 4),
      addr: is64 ? s.u64(o + 16) : BigInt(s.u32(o + 12)),
      off: is64 ? s.u64(o + 24) : BigInt(s.u32(o + 16)),
      size: is64 ? s.u64(o + 32) : BigInt(s.u32(o + 20)),
    };
    if (sec.off >= 1n << 63n || sec.size >= 1n << 63n) throw new FormatError();
    if (flags & BigInt(SHF_COMPRESSED)) {
      // Size is the uncompressed size from the compression header.
      const ch = readFull(r, toOffset(sec.off), is64 ? 24 : 12);
      if (!ch) throw new FormatError();
      const c = new Bin(ch, h.le);
      sec.size = is64 ? c.u64(8) : BigInt(c.u32(4));
    }
    raw.push(sec);
  }
  if (raw.length === 0 || shstrndx === 0) {
    return raw.map((x) => ({ name: "", addr: x.addr, size: x.size }));
  }
  const st = raw[shstrndx];
  if (st === undefined) throw new FormatError();
  if (st.type !== SHT_STRTAB) throw new FormatError();
  const strtab = readFull(r, toOffset(st.off), toOffset(st.size));
  if (!strtab) throw new FormatError();
  return raw.map((x) => {
    if (x.nameOff >= strtab.length) throw new FormatError();
    return { name: cstring(strtab.subarray(x.nameOff)), addr: x.addr, size: x.size };
  });
}

// ---- PE (debug/pe.NewFile) ----

// The machines debug/pe accepts (pe.NewFile refuses any other).
const peMachines = new Set([
  0x0,
  0x1d3,
  0x8664,
  0x1c0,
  0xebc,
  0x14c,
  0x200,
  0x9041,
  0x266,
  0x366,
  0x466,
  0x1f0,
  0x1f1,
  0x166,
  0x5032,
  0x5064,
  0x5128,
  0x1a2,
  0x1a3,
  0x1a6,
  0x1a8,
  0x1c2,
  0x169,
  0xaa64,
  0x1c4,
  0x6232,
  0x6264,
]);

/** openPe decodes a PE file's optional header image base and section table. */
export function openPe(r: ReaderAt): Exe {
  const dos = readFull(r, 0, 96);
  if (!dos) throw new FormatError();
  let base = 0;
  if (dos[0] === 0x4d && dos[1] === 0x5a) {
    const signoff = new Bin(dos, true).u32(0x3c);
    const sign = readFull(r, signoff, 4);
    if (!sign || sign[0] !== 0x50 || sign[1] !== 0x45 || sign[2] !== 0 || sign[3] !== 0) {
      throw new FormatError();
    }
    base = signoff + 4;
  }
  const fhb = readFull(r, base, 20);
  if (!fhb) throw new FormatError();
  const fh = new Bin(fhb, true);
  if (!peMachines.has(fh.u16(0))) throw new FormatError();
  const nsect = fh.u16(2);
  const sizeOpt = fh.u16(16);
  let imageBase = 0n;
  if (sizeOpt > 0) {
    if (sizeOpt < 2) throw new FormatError();
    const oh = readFull(r, base + 20, sizeOpt);
    if (!oh) throw new FormatError();
    const o = new Bin(oh, true);
    const magic = o.u16(0);
    // The fixed parts of OptionalHeader32 / OptionalHeader64 (without data directories).
    if (magic === 0x10b && sizeOpt >= 96) imageBase = BigInt(o.u32(28));
    else if (magic === 0x20b && sizeOpt >= 112) imageBase = o.u64(24);
    else throw new FormatError();
  }
  const sh = readFull(r, base + 20 + sizeOpt, nsect * 40);
  if (!sh) throw new FormatError();
  const s = new Bin(sh, true);
  const sections: { va: number; vsize: number; size: number; ptr: number; ch: number }[] = [];
  for (let i = 0; i < nsect; i++) {
    const o = i * 40;
    sections.push({
      vsize: s.u32(o + 8),
      va: s.u32(o + 12),
      size: s.u32(o + 16),
      ptr: s.u32(o + 20),
      ch: s.u32(o + 36),
    });
  }
  const DATA_RW = 0x40 | 0x40000000 | 0x80000000;
  const ALIGN_32BYTES = 0x600000;
  return {
    dataStart() {
      for (const x of sections) {
        if (x.va !== 0 && x.size !== 0 && ((x.ch & ~ALIGN_32BYTES) >>> 0) === DATA_RW >>> 0) {
          return [w64(BigInt(x.va) + imageBase), BigInt(x.vsize)];
        }
      }
      return [0n, 0n];
    },
    dataReader(addr) {
      addr = w64(addr - imageBase);
      for (const x of sections) {
        // Go computes VirtualAddress+Size-1 in uint32.
        const last = BigInt((x.va + x.size - 1) >>> 0);
        if (BigInt(x.va) <= addr && addr <= last) {
          const remaining = w64(BigInt((x.va + x.size) >>> 0) - addr);
          const sec = new Section(r, x.ptr, x.size);
          return new Section(sec, toOffset(w64(addr - BigInt(x.va))), toOffset(remaining));
        }
      }
      throw new FormatError();
    },
  };
}

// ---- Mach-O (debug/macho.NewFile, NewFatFile) ----

interface MachoSegment {
  name: string;
  addr: bigint;
  memsz: bigint;
  offset: bigint;
  filesz: bigint;
  maxprot: number;
  prot: number;
}

const LC_SEGMENT = 0x1;
const LC_SEGMENT_64 = 0x19;

function machoHeader(r: ReaderAt): { le: boolean; is64: boolean } {
  const m = readFull(r, 0, 4);
  if (!m) throw new FormatError();
  const be = new DataView(m.buffer).getUint32(0, false);
  const le = new DataView(m.buffer).getUint32(0, true);
  if (be === 0xfeedface || be === 0xfeedfacf) return { le: false, is64: be === 0xfeedfacf };
  if (le === 0xfeedface || le === 0xfeedfacf) return { le: true, is64: le === 0xfeedfacf };
  throw new FormatError();
}

/** openMacho decodes a Mach-O file's segments and section names. */
export function openMacho(r: ReaderAt): Exe {
  const { le, is64 } = machoHeader(r);
  const hb = readFull(r, 0, is64 ? 32 : 28);
  if (!hb) throw new FormatError();
  const h = new Bin(hb, le);
  const ncmd = h.u32(16);
  const cmdsz = h.u32(20);
  const cmds = readFull(r, is64 ? 32 : 28, cmdsz);
  if (!cmds) throw new FormatError();
  const c = new Bin(cmds, le);
  const segments: MachoSegment[] = [];
  const sections: { name: string; addr: bigint; size: bigint }[] = [];
  let o = 0;
  for (let i = 0; i < ncmd; i++) {
    if (cmds.length - o < 8) throw new FormatError();
    const cmd = c.u32(o);
    const siz = c.u32(o + 4);
    if (siz < 8 || siz > cmds.length - o) throw new FormatError();
    if (cmd === LC_SEGMENT || cmd === LC_SEGMENT_64) {
      const s64 = cmd === LC_SEGMENT_64;
      if (siz < (s64 ? 72 : 56)) throw new FormatError();
      const seg: MachoSegment = s64
        ? {
          name: cstring(cmds.subarray(o + 8, o + 24)),
          addr: c.u64(o + 24),
          memsz: c.u64(o + 32),
          offset: c.u64(o + 40),
          filesz: c.u64(o + 48),
          maxprot: c.u32(o + 56),
          prot: c.u32(o + 60),
        }
        : {
          name: cstring(cmds.subarray(o + 8, o + 24)),
          addr: BigInt(c.u32(o + 24)),
          memsz: BigInt(c.u32(o + 28)),
          offset: BigInt(c.u32(o + 32)),
          filesz: BigInt(c.u32(o + 36)),
          maxprot: c.u32(o + 40),
          prot: c.u32(o + 44),
        };
      const nsect = c.u32(o + (s64 ? 64 : 48));
      const secSize = s64 ? 80 : 68;
      let so = o + (s64 ? 72 : 56);
      if (nsect * secSize > siz - (so - o)) throw new FormatError();
      for (let j = 0; j < nsect; j++, so += secSize) {
        sections.push({
          name: cstring(cmds.subarray(so, so + 16)),
          addr: s64 ? c.u64(so + 32) : BigInt(c.u32(so + 32)),
          size: s64 ? c.u64(so + 40) : BigInt(c.u32(so + 36)),
        });
      }
      segments.push(seg);
    }
    o += siz;
  }
  return {
    dataStart() {
      for (const s of sections) if (s.name === "__go_buildinfo") return [s.addr, s.size];
      const RW = 3;
      for (const s of segments) {
        if (s.addr !== 0n && s.filesz !== 0n && s.prot === RW && s.maxprot === RW) {
          return [s.addr, s.memsz];
        }
      }
      return [0n, 0n];
    },
    dataReader(addr) {
      for (const s of segments) {
        if (s.addr <= addr && addr <= w64(s.addr + s.filesz - 1n)) {
          if (s.name === "__PAGEZERO") continue;
          const remaining = w64(s.addr + s.filesz - addr);
          const seg = new Section(r, toOffset(s.offset), toOffset(s.filesz));
          return new Section(seg, toOffset(w64(addr - s.addr)), toOffset(remaining));
        }
      }
      throw new FormatError();
    },
  };
}

/**
 * openFatMacho decodes a universal binary and returns its first
 * architecture, after the checks macho.NewFatFile makes on all of them.
 */
export function openFatMacho(r: ReaderAt): Exe {
  const hb = readFull(r, 0, 8);
  if (!hb) throw new FormatError();
  const h = new Bin(hb, false);
  if (h.u32(0) !== 0xcafebabe) throw new FormatError();
  const narch = h.u32(4);
  if (narch < 1) throw new FormatError();
  const seen = new Set<string>();
  let first: Exe | undefined;
  let type: number | undefined;
  for (let i = 0; i < narch; i++) {
    const ab = readFull(r, 8 + i * 20, 20);
    if (!ab) throw new FormatError();
    const a = new Bin(ab, false);
    const sub = new Section(r, a.u32(8), a.u32(12));
    const exe = openMacho(sub);
    const key = `${a.u32(0)}/${a.u32(4)}`;
    if (seen.has(key)) throw new FormatError();
    seen.add(key);
    const { le } = machoHeader(sub);
    const t = new Bin(readFull(sub, 12, 4)!, le).u32(0);
    if (type === undefined) type = t;
    else if (t !== type) throw new FormatError();
    first ??= exe;
  }
  return first!;
}
