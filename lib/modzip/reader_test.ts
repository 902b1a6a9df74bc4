import assert from "node:assert/strict";
import { hash1 } from "../sumdb/mod.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import { nodeCodec } from "../host/zip_codec.ts";
import { buildZip } from "./_testzip.ts";
import { strToFold } from "./_fold.ts";
import { errFormat, hashZip, readZip, unzip } from "./mod.ts";

function withTemp(f: (dir: string) => void) {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-reader-" });
  try {
    f(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

function open(path: string) {
  return denoWriteFs.openRead(path);
}

Deno.test("readZip() finds the directory behind a prefix and before a comment", () => {
  withTemp((dir) => {
    const zip = buildZip([{ name: "a/b", data: new TextEncoder().encode("hi") }]);
    // A self-extracting stub in front shifts every offset (baseOffset in Go).
    const stub = new TextEncoder().encode("#!/bin/sh\nexit 0\n");
    const withStub = new Uint8Array(stub.length + zip.length);
    withStub.set(stub);
    withStub.set(zip, stub.length);
    Deno.writeFileSync(`${dir}/z.zip`, withStub);
    const f = open(`${dir}/z.zip`);
    try {
      const entries = readZip(f);
      assert.deepEqual(entries.map((e) => e.name), ["a/b"]);
      assert.equal(entries[0].headerOffset, stub.length);
    } finally {
      f.close();
    }
    assert.equal(
      hashZip(denoWriteFs, `${dir}/z.zip`, nodeCodec),
      hash1(["a/b"], () => new TextEncoder().encode("hi")),
    );
  });
});

Deno.test("readZip() rejects what is not a zip", () => {
  withTemp((dir) => {
    for (const [name, data] of [["empty", ""], ["text", "hello, world\n".repeat(100)]]) {
      Deno.writeTextFileSync(`${dir}/${name}`, data);
      const f = open(`${dir}/${name}`);
      try {
        assert.throws(() => readZip(f), { message: errFormat });
      } finally {
        f.close();
      }
    }
  });
});

Deno.test("large entries stream through the inflater in pieces", async (t) => {
  // Larger than the 256 KiB read pieces and the 1 MiB whole-file write.
  const n = (5 << 20) + 3;
  const big = new Uint8Array(n);
  for (let i = 0; i < n; i += 4096) big[i] = i & 0xff;
  const prefix = "example.com/m@v1.0.0/";
  const m = { path: "example.com/m", version: "v1.0.0" };
  await t.step("hashZip and unzip agree with the content", () => {
    withTemp((dir) => {
      Deno.writeFileSync(`${dir}/z.zip`, buildZip([{ name: prefix + "big", data: big }]));
      assert.equal(
        hashZip(denoWriteFs, `${dir}/z.zip`, nodeCodec),
        hash1([prefix + "big"], () => big),
      );
      unzip(denoWriteFs, {
        dir: `${dir}/out`,
        module: m,
        zipFile: `${dir}/z.zip`,
        codec: nodeCodec,
      });
      const got = Deno.readFileSync(`${dir}/out/big`);
      assert.equal(got.length, n);
      assert.ok(got.every((b, i) => b === big[i]));
    });
  });
  await t.step("a declared size one short is zip: not a valid zip file", () => {
    withTemp((dir) => {
      Deno.writeFileSync(
        `${dir}/z.zip`,
        buildZip([{ name: prefix + "big", data: big, declaredSize: BigInt(n - 1) }]),
      );
      assert.throws(() => hashZip(denoWriteFs, `${dir}/z.zip`, nodeCodec), { message: errFormat });
      assert.throws(
        () =>
          unzip(denoWriteFs, {
            dir: `${dir}/out`,
            module: m,
            zipFile: `${dir}/z.zip`,
            codec: nodeCodec,
          }),
        { message: `unzip ${dir}/z.zip: ${errFormat}` },
      );
    });
  });
  await t.step("a declared size one long is unexpected EOF", () => {
    withTemp((dir) => {
      Deno.writeFileSync(
        `${dir}/z.zip`,
        buildZip([{ name: prefix + "big", data: big, declaredSize: BigInt(n + 1) }]),
      );
      assert.throws(() => hashZip(denoWriteFs, `${dir}/z.zip`, nodeCodec), {
        message: "unexpected EOF",
      });
    });
  });
});

Deno.test("strToFold() folds as unicode.SimpleFold orbits", () => {
  const rows: [string, string][] = [
    ["go.mod", "go.mod"],
    ["GO.MOD", "go.mod"],
    ["\u212a", "k"], // KELVIN SIGN
    ["\u017f", "s"], // LATIN SMALL LETTER LONG S
    ["é", "É"], // smallest rune of the orbit, not lower case
    ["ß", "ß"], // no simple fold partner U+1E9E? (it has one: ẞ → ß)
    ["\u1e9e", "ß"],
    ["Σσς", "ΣΣΣ"],
  ];
  for (const [s, want] of rows) assert.equal(strToFold(s), want, s);
});
