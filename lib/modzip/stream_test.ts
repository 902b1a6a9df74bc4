/**
 * ZipHashStream: the one-pass hash either equals what hashZip (dirhash.HashZip,
 * reading through the central directory) computes for the same bytes, or it
 * gives up. It must never vouch for a hash hashZip would not produce — that
 * is what stands between a crafted zip and "hash one content, extract
 * another". Checked on the x/mod fixtures, on zips written by the real Go
 * archive/zip, on crafted central directories that disagree with the local
 * entries, and on thousands of seeded random corruptions.
 */

import assert from "node:assert/strict";
import { denoWriteFs } from "../host/fs_write.ts";
import { nodeCodec } from "../host/zip_codec.ts";
import {
  assembleZip as assemble,
  buildZip,
  type CentralRecord as Rec,
  loadFixture,
} from "./_testzip.ts";
import { hashZipFile, type RandomAccessFile, readZip, ZipHashStream } from "./mod.ts";

/** memFile reads a zip held in memory. */
function memFile(b: Uint8Array): RandomAccessFile {
  return {
    size: b.length,
    readAt(p, off) {
      const n = Math.max(0, Math.min(p.length, b.length - off));
      p.set(b.subarray(off, off + n));
      return n;
    },
    close() {},
  };
}

/** hashZipOf is hashZip over bytes: the hash, or the error text. */
function hashZipOf(b: Uint8Array): { hash?: string; err?: string } {
  try {
    return { hash: hashZipFile(memFile(b), nodeCodec) };
  } catch (e) {
    return { err: (e as Error).message };
  }
}

/**
 * streamed feeds b to a ZipHashStream in pieces of the given sizes (cycled)
 * and finishes it with the central directory as readZip reads it.
 */
function streamed(b: Uint8Array, pieces: number[]): { hash?: string; failure: string } {
  const hs = new ZipHashStream(nodeCodec);
  try {
    for (let off = 0, i = 0; off < b.length; i++) {
      const n = pieces[i % pieces.length];
      hs.write(b.subarray(off, off + n));
      off += n;
    }
    let central;
    try {
      central = readZip(memFile(b));
    } catch {
      return { failure: "central directory unreadable" }; // the install fails before hashing
    }
    const hash = hs.finish(central);
    return { hash, failure: hs.failure };
  } finally {
    hs.close();
  }
}

const chunkings = [[1], [7], [4096], [65536], [3, 17, 1000, 1], [1 << 20]];

/** assertSound checks the property for every chunking and returns the streamed hash. */
function assertSound(b: Uint8Array, what: string): string | undefined {
  const want = hashZipOf(b);
  let first: string | undefined;
  for (const [i, pieces] of chunkings.entries()) {
    const got = streamed(b, pieces);
    if (got.hash !== undefined) {
      assert.equal(got.hash, want.hash, `${what}: streamed hash differs from hashZip's`);
    }
    if (i === 0) first = got.hash;
    else assert.equal(got.hash, first, `${what}: the result depends on the chunking`);
  }
  return first;
}

const enc = new TextEncoder();
const prefix = "example.com/m@v1.0.0/";

function goShaped(): Uint8Array {
  const big = new Uint8Array(3 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 2654435761) >>> 24;
  return buildZip([
    { name: prefix + "go.mod", data: enc.encode("module example.com/m\n") },
    { name: prefix + "empty", data: new Uint8Array(0) },
    { name: prefix + "dir/", data: new Uint8Array(0), method: 0, dataDescriptor: false },
    { name: prefix + "dir/big", data: big },
    { name: prefix + "stored", data: enc.encode("as is"), method: 0, dataDescriptor: false },
    { name: prefix + "ünïcode", data: enc.encode("x".repeat(10000)) },
  ]);
}

Deno.test("ZipHashStream: a zip as Go writes it hashes in one pass, as hashZip", () => {
  const zip = goShaped();
  const got = assertSound(zip, "go-shaped");
  assert.ok(got !== undefined, "one pass gave up on an ordinary zip");
  assert.equal(got, hashZipOf(zip).hash);
});

Deno.test("ZipHashStream: reset starts over, as a download that falls through to the next proxy", () => {
  const zip = goShaped();
  const hs = new ZipHashStream(nodeCodec);
  try {
    hs.write(buildZip([{ name: prefix + "other", data: enc.encode("partial") }]).subarray(0, 40));
    hs.reset();
    for (let off = 0; off < zip.length; off += 5000) hs.write(zip.subarray(off, off + 5000));
    assert.equal(hs.finish(readZip(memFile(zip))), hashZipOf(zip).hash);
  } finally {
    hs.close();
  }
});

Deno.test("ZipHashStream: x/mod's unzip fixtures hash as hashZip or are left to it", () => {
  const dir = new URL("./testdata/unzip/", import.meta.url);
  let onePass = 0;
  for (const e of Deno.readDirSync(dir)) {
    if (!e.name.endsWith(".txtar")) continue;
    const f = loadFixture(e.name, Deno.readFileSync(new URL(e.name, dir)));
    if (assertSound(f.zip, e.name) !== undefined) onePass++;
  }
  // Most fixtures are ordinary zips with an odd name or content.
  assert.ok(onePass >= 20, `only ${onePass} fixtures hashed in one pass`);
});

Deno.test("ZipHashStream: a central directory that disagrees with the stream is left to hashZip", async (t) => {
  const files = [
    { name: prefix + "a", data: "good content\n" },
    { name: prefix + "b", data: "evil content\n" },
  ];
  const cases: [string, (r: Rec[]) => Rec[], number[]?][] = [
    // The classic: one record hides an entry, so the stream saw more than
    // the extractor will. hashZip hashes "b"'s content under the name "a".
    ["record points at another entry", (r) => [{ ...r[1], name: r[0].name }]],
    ["one entry listed twice", (r) => [r[0], { ...r[0], name: enc.encode(prefix + "c") }]],
    [
      "records swapped offsets",
      (r) => [{ ...r[0], offset: r[1].offset }, { ...r[1], offset: r[0].offset }],
    ],
    [
      "name differs from the local header",
      (r) => [{ ...r[0], name: enc.encode(prefix + "z") }, r[1]],
    ],
    ["CRC differs", (r) => [{ ...r[0], crc: r[0].crc ^ 1 }, r[1]]],
    ["CRC zero (Go then checks the descriptor only)", (r) => [{ ...r[0], crc: 0 }, r[1]]],
    ["compressed size one longer", (r) => [{ ...r[0], csize: r[0].csize + 1 }, r[1]]],
    ["compressed size one shorter", (r) => [{ ...r[0], csize: r[0].csize - 1 }, r[1]]],
    ["uncompressed size differs", (r) => [{ ...r[0], usize: r[0].usize + 1 }, r[1]]],
    ["method stored instead of deflate", (r) => [{ ...r[0], method: 0 }, r[1]]],
    ["descriptor flag dropped", (r) => [{ ...r[0], flags: 0 }, r[1]]],
    ["offset off by one", (r) => [{ ...r[0], offset: r[0].offset + 1 }, r[1]]],
    ["leading bytes before the first entry", (r) => r, [0x50, 0x4b, 0, 0]],
  ];
  for (const [name, edit, lead] of cases) {
    await t.step(name, () => {
      const zip = assemble(files, edit, lead);
      const got = streamed(zip, [9]);
      assert.equal(got.hash, undefined, `one pass vouched for ${name}`);
      assert.notEqual(got.failure, "");
      assertSound(zip, name);
    });
  }
  await t.step("the unedited assembly is accepted (the cases above test what they say)", () => {
    const zip = assemble(files, (r) => r);
    assert.ok(streamed(zip, [9]).hash !== undefined);
    assertSound(zip, "unedited");
  });
});

Deno.test("ZipHashStream: seeded random corruption never yields a hash hashZip would not", () => {
  const seed = Number(Deno.env.get("GTC_ZIPFUZZ_SEED") ?? 1);
  const n = Number(Deno.env.get("GTC_ZIPFUZZ_N") ?? 1500);
  let s = seed >>> 0 || 1;
  const rand = (k: number) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % k;
  };
  const base = buildZip([
    { name: prefix + "go.mod", data: enc.encode("module example.com/m\n") },
    { name: prefix + "dir/", data: new Uint8Array(0), method: 0, dataDescriptor: false },
    { name: prefix + "a.go", data: enc.encode("package m\n".repeat(50)) },
    { name: prefix + "s", data: enc.encode("stored"), method: 0, dataDescriptor: false },
    { name: prefix + "b.go", data: enc.encode("package m // b\n".repeat(20)) },
  ]);
  let stillOnePass = 0;
  for (let i = 0; i < n; i++) {
    const zip = base.slice();
    const flips = 1 + rand(3);
    for (let j = 0; j < flips; j++) {
      const at = rand(zip.length);
      zip[at] = rand(4) === 0 ? zip[at] ^ (1 << rand(8)) : rand(256);
    }
    const want = hashZipOf(zip);
    const got = streamed(zip, [1 + rand(300)]);
    if (got.hash !== undefined) {
      stillOnePass++;
      assert.equal(
        got.hash,
        want.hash,
        `seed ${seed} case ${i}: one pass vouched for a wrong hash`,
      );
    }
  }
  // Some flips land in bytes that do not matter (times, versions): those
  // zips still hash in one pass, so the property above was really exercised.
  assert.ok(stillOnePass > 0);
  console.log(`seed ${seed}: ${n} corrupted zips, ${stillOnePass} still hashed in one pass`);
});

// findGo returns a go command >= 1.21, or undefined.
function findGo(): string | undefined {
  for (const d of ["/usr/local/go/bin", ...(Deno.env.get("PATH") ?? "").split(":")]) {
    try {
      if (Deno.statSync(`${d}/go`).isFile) return `${d}/go`;
    } catch {
      // next
    }
  }
}

const goExe = findGo();
if (goExe === undefined) {
  console.log("lib/modzip/stream_test.ts: no go command; skipping the Go-written zip");
}

Deno.test({
  name: "ZipHashStream: a zip written by the real Go archive/zip hashes in one pass",
  ignore: goExe === undefined,
  async fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "gtc-stream-" });
    try {
      // Create (deflate + descriptor), a directory entry, a large file and
      // an empty file: what cmd/distpack writes.
      Deno.writeTextFileSync(
        `${tmp}/main.go`,
        `package main

import (
	"archive/zip"
	"os"
)

func main() {
	f, _ := os.Create(os.Args[1])
	w := zip.NewWriter(f)
	p := "golang.org/toolchain@v0.0.1-go1.99.0.linux-amd64/"
	add := func(name string, data []byte) {
		fw, err := w.Create(p + name)
		if err != nil {
			panic(err)
		}
		fw.Write(data)
	}
	add("VERSION", []byte("go1.99.0\\n"))
	add("empty", nil)
	w.Create(p + "src/")
	big := make([]byte, 5<<20)
	for i := range big {
		big[i] = byte(i * 7 / 3)
	}
	add("bin/go", big)
	if len(os.Args) > 2 {
		// A stored file: Go writes it with a data descriptor too, so its
		// length is unknown until the central directory.
		fw, _ := w.CreateHeader(&zip.FileHeader{Name: p + "stored", Method: zip.Store})
		fw.Write([]byte("stored bytes"))
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	f.Close()
}
`,
      );
      const env = { GOTOOLCHAIN: "local", GOFLAGS: "", GO111MODULE: "off" };
      const build = await new Deno.Command(goExe!, {
        args: ["build", "-o", `${tmp}/mkzip`, `${tmp}/main.go`],
        env,
      }).output();
      assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
      for (const args of [[`${tmp}/z.zip`], [`${tmp}/s.zip`, "stored"]]) {
        const out = await new Deno.Command(`${tmp}/mkzip`, { args }).output();
        assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
      }
      // With a stored file of unknown length, one pass may give up; it is
      // still never wrong.
      assertSound(Deno.readFileSync(`${tmp}/s.zip`), "go-written, stored");
      const zip = Deno.readFileSync(`${tmp}/z.zip`);
      const got = assertSound(zip, "go-written");
      assert.ok(got !== undefined, "one pass gave up on a Go-written zip");
      const f = denoWriteFs.openRead(`${tmp}/z.zip`);
      try {
        assert.equal(got, hashZipFile(f, nodeCodec));
      } finally {
        f.close();
      }
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});

Deno.test("ZipHashStream: content over the limit gives up, and the hash is left to hashZip", () => {
  const zip = goShaped();
  const hs = new ZipHashStream(nodeCodec, { maxContent: 1 << 20 });
  try {
    for (let off = 0; off < zip.length; off += 65536) hs.write(zip.subarray(off, off + 65536));
    assert.equal(hs.finish(readZip(memFile(zip))), undefined);
    assert.equal(hs.failure, "content larger than a module zip may hold");
  } finally {
    hs.close();
  }
});
