/**
 * Test helpers: a zip writer that can also write the lies hostile zips tell
 * (declared sizes, CRCs, modes, methods), and the txtar fixture format of
 * x/mod zip/testdata with gtc's extra keys. Tests only.
 *
 * @module
 */

import { deflateSync } from "fflate";
import { crc32 } from "./_crc32.ts";
import { decodeName } from "./_bytes.ts";

/** One entry of a test zip. */
export interface TestEntry {
  /** Name bytes (a string is UTF-8 encoded). */
  name: string | Uint8Array;
  data: Uint8Array;
  /** 0 store, 8 deflate (default), anything else is written as is with stored bytes. */
  method?: number;
  /** Go's zip.Writer.Create sets a data descriptor (flag 0x8); default true. */
  dataDescriptor?: boolean;
  /** Declared uncompressed size, when it should lie. */
  declaredSize?: bigint;
  /** CRC-32 to record, when it should lie. */
  crc?: number;
  /** Unix mode to record in the external attributes (e.g. 0o120777 for a symlink). */
  unixMode?: number;
  /** Write sizes and offset in a zip64 extra field (and a zip64 end record). */
  zip64?: boolean;
}

class Buf {
  parts: Uint8Array[] = [];
  length = 0;
  push(b: Uint8Array) {
    this.parts.push(b);
    this.length += b.length;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

function le(n: number | bigint, size: number): Uint8Array {
  const b = new Uint8Array(size);
  let v = BigInt(n);
  for (let i = 0; i < size; i++) {
    b[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return b;
}

function cat(...xs: Uint8Array[]): Uint8Array {
  const b = new Buf();
  for (const x of xs) b.push(x);
  return b.bytes();
}

/** buildZip writes a zip file holding entries in order. */
export function buildZip(entries: TestEntry[], opts: { zip64End?: boolean } = {}): Uint8Array {
  const out = new Buf();
  const central = new Buf();
  const enc = new TextEncoder();
  let any64 = opts.zip64End ?? false;
  for (const e of entries) {
    const name = typeof e.name === "string" ? enc.encode(e.name) : e.name;
    const method = e.method ?? 8;
    const body = method === 8 ? deflateSync(e.data, { level: 6 }) : e.data;
    const dd = e.dataDescriptor ?? true;
    const crc = e.crc ?? crc32(e.data, 0);
    const usize = e.declaredSize ?? BigInt(e.data.length);
    const csize = BigInt(body.length);
    const offset = out.length;
    const flags = (dd ? 0x8 : 0) |
      (name.some((c) => c >= 0x80) ? 0x800 : 0);
    const z64 = e.zip64 ?? false;
    if (z64) any64 = true;
    // Local header: with a data descriptor, CRC and sizes are 0 here.
    out.push(cat(
      le(0x04034b50, 4),
      le(z64 ? 45 : 20, 2),
      le(flags, 2),
      le(method, 2),
      le(0, 2),
      le(0x21, 2),
      le(dd ? 0 : crc, 4),
      le(dd ? 0 : z64 ? 0xffffffff : csize, 4),
      le(dd ? 0 : z64 ? 0xffffffff : usize & 0xffffffffn, 4),
      le(name.length, 2),
      le(0, 2),
      name,
    ));
    out.push(body);
    if (dd) {
      out.push(
        z64
          ? cat(le(0x08074b50, 4), le(crc, 4), le(csize, 8), le(usize, 8))
          : cat(le(0x08074b50, 4), le(crc, 4), le(csize, 4), le(usize & 0xffffffffn, 4)),
      );
    }
    const extra = z64
      ? cat(le(1, 2), le(24, 2), le(usize, 8), le(csize, 8), le(offset, 8))
      : new Uint8Array(0);
    const mode = e.unixMode;
    central.push(cat(
      le(0x02014b50, 4),
      le(mode !== undefined ? (3 << 8) | 20 : 20, 2),
      le(z64 ? 45 : 20, 2),
      le(flags, 2),
      le(method, 2),
      le(0, 2),
      le(0x21, 2),
      le(crc, 4),
      le(z64 ? 0xffffffff : csize, 4),
      le(z64 ? 0xffffffff : usize & 0xffffffffn, 4),
      le(name.length, 2),
      le(extra.length, 2),
      le(0, 2),
      le(0, 2),
      le(0, 2),
      le(mode !== undefined ? (mode << 16) >>> 0 : 0, 4),
      le(z64 ? 0xffffffff : offset, 4),
      name,
      extra,
    ));
  }
  const cdOffset = out.length;
  const cd = central.bytes();
  out.push(cd);
  const n = entries.length;
  if (any64) {
    const end64 = out.length;
    out.push(cat(
      le(0x06064b50, 4),
      le(44, 8),
      le(45, 2),
      le(45, 2),
      le(0, 4),
      le(0, 4),
      le(n, 8),
      le(n, 8),
      le(cd.length, 8),
      le(cdOffset, 8),
    ));
    out.push(cat(le(0x07064b50, 4), le(0, 4), le(end64, 8), le(1, 4)));
    out.push(cat(
      le(0x06054b50, 4),
      le(0, 2),
      le(0, 2),
      le(0xffff, 2),
      le(0xffff, 2),
      le(0xffffffff, 4),
      le(0xffffffff, 4),
      le(0, 2),
    ));
  } else {
    out.push(cat(
      le(0x06054b50, 4),
      le(0, 2),
      le(0, 2),
      le(n, 2),
      le(n, 2),
      le(cd.length, 4),
      le(cdOffset, 4),
      le(0, 2),
    ));
  }
  return out.bytes();
}

/** A central directory record, as assembleZip lets a test rewrite it. */
export interface CentralRecord {
  name: Uint8Array;
  flags: number;
  method: number;
  crc: number;
  csize: number;
  usize: number;
  offset: number;
}

function leBytes(n: number, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < size; i++) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}

/**
 * assembleZip writes files as Go's zip writer does (deflate with a data
 * descriptor, or stored without one) after the lead bytes, then a central
 * directory of the records edit returns: a test can make the directory
 * disagree with the local entries.
 */
export function assembleZip(
  files: { name: string; data: string; method?: 0 | 8 }[],
  edit: (recs: CentralRecord[]) => CentralRecord[],
  lead: number[] = [],
): Uint8Array {
  const out: number[] = [...lead];
  const recs: CentralRecord[] = [];
  for (const f of files) {
    const enc = new TextEncoder();
    const name = enc.encode(f.name);
    const data = enc.encode(f.data);
    const method = f.method ?? 8;
    const body = method === 8 ? deflateSync(data, { level: 6 }) : data;
    const crc = crc32(data, 0);
    const dd = method === 8;
    const flags = dd ? 0x8 : 0;
    const rec: CentralRecord = {
      name,
      flags,
      method,
      crc,
      csize: body.length,
      usize: data.length,
      offset: out.length,
    };
    out.push(
      ...leBytes(0x04034b50, 4),
      ...leBytes(20, 2),
      ...leBytes(flags, 2),
      ...leBytes(method, 2),
      ...leBytes(0, 4),
      ...leBytes(dd ? 0 : crc, 4),
      ...leBytes(dd ? 0 : body.length, 4),
      ...leBytes(dd ? 0 : data.length, 4),
      ...leBytes(name.length, 2),
      ...leBytes(0, 2),
      ...name,
      ...body,
    );
    if (dd) {
      out.push(
        ...leBytes(0x08074b50, 4),
        ...leBytes(crc, 4),
        ...leBytes(body.length, 4),
        ...leBytes(data.length, 4),
      );
    }
    recs.push(rec);
  }
  const cdStart = out.length;
  const edited = edit(recs);
  for (const r of edited) {
    out.push(
      ...leBytes(0x02014b50, 4),
      ...leBytes(20, 2),
      ...leBytes(20, 2),
      ...leBytes(r.flags, 2),
      ...leBytes(r.method, 2),
      ...leBytes(0, 4),
      ...leBytes(r.crc, 4),
      ...leBytes(r.csize, 4),
      ...leBytes(r.usize, 4),
      ...leBytes(r.name.length, 2),
      ...leBytes(0, 2),
      ...leBytes(0, 2),
      ...leBytes(0, 2),
      ...leBytes(0, 2),
      ...leBytes(0, 4),
      ...leBytes(r.offset, 4),
      ...r.name,
    );
  }
  const cdLen = out.length - cdStart;
  out.push(
    ...leBytes(0x06054b50, 4),
    ...leBytes(0, 4),
    ...leBytes(edited.length, 2),
    ...leBytes(edited.length, 2),
    ...leBytes(cdLen, 4),
    ...leBytes(cdStart - lead.length, 4),
    ...leBytes(0, 2),
  );
  return new Uint8Array(out);
}

/** A txtar archive as bytes: the comment and the files in order (duplicates kept). */
export interface Txtar {
  comment: string;
  commentBytes: Uint8Array;
  files: { name: Uint8Array; data: Uint8Array }[];
}

function indexOfSeq(b: Uint8Array, s: Uint8Array, from: number): number {
  outer: for (let i = from; i + s.length <= b.length; i++) {
    for (let j = 0; j < s.length; j++) if (b[i + j] !== s[j]) continue outer;
    return i;
  }
  return -1;
}

function trimSpace(b: Uint8Array): Uint8Array {
  let i = 0;
  let j = b.length;
  while (i < j && (b[i] === 0x20 || b[i] === 0x09)) i++;
  while (j > i && (b[j - 1] === 0x20 || b[j - 1] === 0x09)) j--;
  return b.slice(i, j);
}

/** parseTxtar parses txtar bytes (golang.org/x/tools/txtar), keeping names as bytes. */
export function parseTxtar(b: Uint8Array): Txtar {
  const lines: [number, number][] = [];
  let start = 0;
  while (start < b.length) {
    let end = b.indexOf(0x0a, start);
    if (end < 0) end = b.length;
    lines.push([start, end]);
    start = end + 1;
  }
  const marker = new TextEncoder().encode("-- ");
  const isMarker = ([s, e]: [number, number]) =>
    e - s >= 6 && indexOfSeq(b.subarray(s, e), marker, 0) === 0 && b[e - 1] === 0x2d &&
    b[e - 2] === 0x2d && b[e - 3] === 0x20;
  const files: Txtar["files"] = [];
  let comment = "";
  let commentBytes = b;
  let cur: { name: Uint8Array; from: number } | undefined;
  const close = (to: number) => {
    if (cur) files.push({ name: cur.name, data: b.slice(cur.from, Math.max(cur.from, to)) });
  };
  for (const [s, e] of lines) {
    if (isMarker([s, e])) {
      if (!cur) {
        commentBytes = b.subarray(0, s);
        comment = new TextDecoder().decode(commentBytes);
      }
      close(s);
      cur = { name: trimSpace(b.slice(s + 3, e - 3)), from: Math.min(e + 1, b.length) };
    }
  }
  if (!cur) comment = new TextDecoder().decode(b);
  close(b.length);
  return { comment, commentBytes, files };
}

/** A module zip test case: x/mod's keys plus gtc's (see testdata/README.md). */
export interface ZipFixture {
  name: string;
  path: string;
  version: string;
  /** Unzip must fail with an error containing this; "" means it succeeds. */
  wantErr: string;
  /** dirhash.HashDir of the extracted tree with the <path>@<version>/ prefix. */
  hash: string;
  /** dirhash.HashZip of the zip. */
  zipHash: string;
  /** HashZip must fail with an error containing this. */
  hashErr: string;
  /** "nonempty": extract into a directory that already holds a file. */
  target: string;
  /** A "-- want --" section (check_zip cases). */
  want?: string;
  zip: Uint8Array;
}

/** loadFixture parses a testdata .txtar and builds its zip. */
export function loadFixture(name: string, text: Uint8Array): ZipFixture {
  const arc = parseTxtar(text);
  const f: ZipFixture = {
    name,
    path: "",
    version: "",
    wantErr: "",
    hash: "",
    zipHash: "",
    hashErr: "",
    target: "",
    zip: new Uint8Array(0),
  };
  const attrs = new Map<string, string>();
  // Keys are read from the comment's bytes, so a path can hold invalid UTF-8.
  for (const raw of splitLines(arc.commentBytes)) {
    let line = raw;
    const hash = line.indexOf(0x23);
    if (hash >= 0) line = line.subarray(0, hash);
    const s = decodeName(line).trim();
    if (s === "") continue;
    const eq = s.indexOf("=");
    if (eq < 0) throw new Error(`${name}: missing = separator`);
    const key = s.slice(0, eq).trim();
    const value = s.slice(eq + 1).trim();
    switch (key) {
      case "path":
        f.path = value;
        break;
      case "version":
        f.version = value;
        break;
      case "wantErr":
        f.wantErr = value;
        break;
      case "hash":
        f.hash = value;
        break;
      case "zipHash":
        f.zipHash = value;
        break;
      case "hashErr":
        f.hashErr = value;
        break;
      case "target":
        f.target = value;
        break;
      default:
        if (!/^(mode|declare|crc|method|zip64|dd)\.\d+$/.test(key)) {
          throw new Error(`${name}: unknown key ${JSON.stringify(key)}`);
        }
        attrs.set(key, value);
    }
  }
  const files = arc.files.filter((file) => {
    if (decodeName(file.name) === "want") {
      f.want = new TextDecoder().decode(file.data);
      return false;
    }
    return true;
  });
  f.zip = buildZip(files.map((file, i) => {
    const e: TestEntry = { name: file.name, data: file.data };
    const a = (k: string) => attrs.get(`${k}.${i}`);
    if (a("mode") !== undefined) e.unixMode = parseInt(a("mode")!, 8);
    if (a("declare") !== undefined) e.declaredSize = BigInt(a("declare")!);
    if (a("crc") !== undefined) e.crc = Number(a("crc"));
    if (a("method") !== undefined) e.method = Number(a("method"));
    if (a("zip64") !== undefined) e.zip64 = a("zip64") === "true";
    if (a("dd") !== undefined) e.dataDescriptor = a("dd") === "true";
    return e;
  }));
  return f;
}

function splitLines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let s = 0;
  for (let i = 0; i <= b.length; i++) {
    if (i === b.length || b[i] === 0x0a) {
      out.push(b.subarray(s, i));
      s = i + 1;
    }
  }
  return out;
}
