// Ported from golang/go src/debug/buildinfo: search_test.go (TestSearchMagic)
// and buildinfo_test.go (TestIssue54968); the tables are Go's, as data.

import assert from "node:assert/strict";
import {
  buildInfoAlign,
  buildInfoHeaderSize,
  buildInfoMagic,
  bytesReader,
  type Exe,
  NotGoError,
  readBuildInfoBytes,
  searchChunkSize,
  searchMagic,
} from "./mod.ts";

// byteExe is search_test.go's byteExe: the whole slice is the data segment.
function byteExe(b: Uint8Array): Exe {
  return {
    dataStart: () => [0n, BigInt(b.length)],
    dataReader(addr) {
      if (addr >= BigInt(b.length)) throw new Error(`ReadData(${addr}) out of bounds`);
      return bytesReader(b.subarray(Number(addr)));
    },
  };
}

function withMagic(size: number, at: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(buildInfoMagic.subarray(0, Math.max(0, Math.min(buildInfoMagic.length, size - at))), at);
  return b;
}

const searchCases: { name: string; data: () => Uint8Array; want?: number }[] = [
  { name: "beginning", data: () => withMagic(buildInfoHeaderSize, 0), want: 0 },
  { name: "offset", data: () => withMagic(512, 4 * buildInfoAlign), want: 4 * buildInfoAlign },
  {
    name: "second_chunk",
    data: () => withMagic(4 * searchChunkSize, searchChunkSize + 4 * buildInfoAlign),
    want: searchChunkSize + 4 * buildInfoAlign,
  },
  {
    name: "second_chunk_short",
    data: () =>
      withMagic(
        searchChunkSize + 4 * buildInfoAlign + buildInfoHeaderSize,
        searchChunkSize + 4 * buildInfoAlign,
      ),
    want: searchChunkSize + 4 * buildInfoAlign,
  },
  { name: "missing", data: () => new Uint8Array(buildInfoHeaderSize) },
  { name: "too_short", data: () => withMagic(buildInfoMagic.length, 0) },
  { name: "misaligned", data: () => withMagic(512, 7) },
  {
    name: "misaligned_across_chunk",
    data: () => withMagic(2 * searchChunkSize, searchChunkSize - 8),
  },
  {
    name: "header_across_chunk",
    data: () => withMagic(2 * searchChunkSize, searchChunkSize - buildInfoAlign),
    want: searchChunkSize - buildInfoAlign,
  },
];

for (const tc of searchCases) {
  Deno.test(`searchMagic: ${tc.name}`, () => {
    const x = byteExe(tc.data());
    const [addr, size] = x.dataStart();
    if (tc.want === undefined) {
      assert.throws(() => searchMagic(x, addr, size), NotGoError);
    } else {
      assert.equal(searchMagic(x, addr, size), BigInt(tc.want));
    }
  });
}

// TestIssue54968: a PE file whose only magic is misaligned must be "not a Go
// executable" (and must not loop).
Deno.test("readBuildInfo: misaligned magic in a PE file (golang/go#54968)", () => {
  const paddingSize = 200;
  const head: number[] = [0x4d, 0x5a, ...new Array(0x3c - 2).fill(0)];
  const le32 = (v: number) => [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24];
  const le16 = (v: number) => [v & 0xff, v >> 8];
  head.push(...le32(0x3c + 4), 0x50, 0x45, 0, 0);
  // FileHeader: Machine 0, NumberOfSections 1, the rest 0.
  head.push(...le16(0), ...le16(1), ...new Array(16).fill(0));
  const rawSize = paddingSize + buildInfoMagic.length;
  const ptr = head.length + 40;
  // SectionHeader32: Name "t", VirtualSize, VirtualAddress, SizeOfRawData, PointerToRawData, …
  head.push(0x74, 0, 0, 0, 0, 0, 0, 0, ...le32(0), ...le32(0), ...le32(rawSize), ...le32(ptr));
  head.push(...new Array(16).fill(0));
  for (let i = 1; i < paddingSize - buildInfoMagic.length; i++) {
    if (i % buildInfoAlign === 0) continue;
    const d = new Uint8Array(head.length + i + buildInfoMagic.length + paddingSize - i);
    d.set(head);
    d.set(buildInfoMagic, head.length + i);
    assert.throws(() => readBuildInfoBytes(d), /not a Go executable/, `start_at_${i}`);
  }
});

// Test117 and TestNotGo read Go's own testdata (a go1.17 binary in the
// pre-1.18 pointer format, and a C program), base64-encoded in GOROOT.
async function goTestdata(name: string): Promise<Uint8Array | undefined> {
  try {
    const out = await new Deno.Command("go", { args: ["env", "GOROOT"] }).output();
    const root = new TextDecoder().decode(out.stdout).trim();
    const text = await Deno.readTextFile(`${root}/src/debug/buildinfo/testdata/${name}`);
    const bin = atob(text.replace(/\s+/g, ""));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

Deno.test("readBuildInfo: Go 1.17 pointer format (Test117)", async (t) => {
  const b = await goTestdata("go117/go117.base64");
  if (b === undefined) {
    return void t.step({ name: "no go with sources in GOROOT", ignore: true, fn() {} });
  }
  const bi = readBuildInfoBytes(b);
  assert.equal(bi.GoVersion, "go1.17");
  assert.equal(bi.Path, "example.com/go117");
  assert.equal(bi.Main.Path, "example.com/go117");
});

Deno.test("readBuildInfo: a C program is not a Go executable (TestNotGo)", async (t) => {
  const b = await goTestdata("notgo/notgo.base64");
  if (b === undefined) {
    return void t.step({ name: "no go with sources in GOROOT", ignore: true, fn() {} });
  }
  assert.throws(() => readBuildInfoBytes(b), /not a Go executable/);
});

Deno.test("readBuildInfo: short and foreign files are unrecognized", () => {
  for (
    const b of [
      new Uint8Array(0),
      new Uint8Array(15),
      new TextEncoder().encode("#!/bin/sh\necho hi\n"),
    ]
  ) {
    assert.throws(() => readBuildInfoBytes(b), /unrecognized file format/);
  }
});
