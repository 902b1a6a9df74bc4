/**
 * CheckZip against x/mod zip/testdata/check_zip (x/mod v0.42.0, as vendored
 * in go1.26) plus gtc's cases, and x/mod's size-limit tables
 * (sizeLimitTests, TestUnzipSizeLimitsSpecial) expressed through declared
 * sizes, which is all CheckZip reads.
 */

import assert from "node:assert/strict";
import { denoWriteFs } from "../host/fs_write.ts";
import { nodeCodec } from "../host/zip_codec.ts";
import { buildZip, loadFixture } from "./_testzip.ts";
import { type CheckedFiles, checkZip, maxGoMod, maxLICENSE, maxZipFile, unzip } from "./mod.ts";

// formatCheckedFiles mirrors x/mod zip_test.go's formatCheckedFiles.
function formatCheckedFiles(cf: CheckedFiles): string {
  let s = "valid:\n";
  for (const f of cf.valid) s += f + "\n";
  s += "\nomitted:\n";
  for (const f of cf.omitted) s += `${f.path}: ${f.err}\n`;
  s += "\ninvalid:\n";
  for (const f of cf.invalid) s += `${f.path}: ${f.err}\n`;
  return s;
}

const checkDir = new URL("./testdata/check_zip/", import.meta.url);

Deno.test("checkZip() reports like x/mod CheckZip on testdata/check_zip", async (t) => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-check-" });
  try {
    for (const e of [...Deno.readDirSync(checkDir)].sort((a, b) => a.name < b.name ? -1 : 1)) {
      await t.step(e.name.replace(".txtar", ""), () => {
        const f = loadFixture(e.name, Deno.readFileSync(new URL(e.name, checkDir)));
        const zipFile = `${tmp}/${e.name}.zip`;
        Deno.writeFileSync(zipFile, f.zip);
        const cf = checkZip(denoWriteFs, { path: f.path, version: f.version }, zipFile);
        assert.equal(formatCheckedFiles(cf), f.want);
        const wantErr = cf.invalid.map((x) => `${x.path}: ${x.err}`).join("\n");
        assert.equal(cf.err()?.message ?? "", wantErr);
      });
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

// sizeLimitTests from x/mod zip_test.go (x/mod v0.42.0): the checks see only
// the declared sizes, so the entries declare them over a few real bytes.
const sizeLimitTests: { desc: string; files: [string, bigint][]; wantErr?: string }[] = [
  { desc: "one_large", files: [["large.go", BigInt(maxZipFile)]] },
  {
    desc: "one_too_large",
    files: [["large.go", BigInt(maxZipFile + 1)]],
    wantErr: "total uncompressed size of module contents too large",
  },
  { desc: "total_large", files: [["small.go", 10n], ["large.go", BigInt(maxZipFile - 10)]] },
  {
    desc: "total_too_large",
    files: [["small.go", 10n], ["large.go", BigInt(maxZipFile - 9)]],
    wantErr: "total uncompressed size of module contents too large",
  },
  { desc: "large_gomod", files: [["go.mod", BigInt(maxGoMod)]] },
  {
    desc: "too_large_gomod",
    files: [["go.mod", BigInt(maxGoMod + 1)]],
    wantErr: "go.mod file too large",
  },
  { desc: "large_license", files: [["LICENSE", BigInt(maxLICENSE)]] },
  {
    desc: "too_large_license",
    files: [["LICENSE", BigInt(maxLICENSE + 1)]],
    wantErr: "LICENSE file too large",
  },
  // "negative" from TestCreateSizeLimits: 2⁶³ is negative as int64.
  {
    desc: "negative",
    files: [["neg.go", 0x8000000000000000n]],
    wantErr: "total uncompressed size of module contents too large",
  },
];

Deno.test("checkZip() applies x/mod's size limits to declared sizes", async (t) => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-check-" });
  const m = { path: "example.com/large", version: "v1.0.0" };
  try {
    for (const test of sizeLimitTests) {
      await t.step(test.desc, () => {
        const zip = buildZip(test.files.map(([name, size]) => ({
          name: `example.com/large@v1.0.0/${name}`,
          data: new Uint8Array(1),
          declaredSize: size,
          zip64: size > 0xfffffffen,
        })));
        const zipFile = `${tmp}/${test.desc}.zip`;
        Deno.writeFileSync(zipFile, zip);
        const err = checkZip(denoWriteFs, m, zipFile).err();
        if (test.wantErr === undefined) assert.equal(err, undefined);
        else assert.ok(err?.message.includes(test.wantErr), `got ${err?.message}`);
      });
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("unzip() checks the zip's own size first (TestUnzipSizeLimitsSpecial)", async (t) => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-check-" });
  const m = { path: "example.com/m", version: "v1.0.0" };
  try {
    for (
      const [desc, size, want] of [
        ["large_zip", maxZipFile, "zip: not a valid zip file"],
        ["too_large_zip", maxZipFile + 1, "module zip file is too large"],
      ] as const
    ) {
      await t.step(desc, () => {
        const zipFile = `${tmp}/${desc}.zip`;
        const f = Deno.createSync(zipFile);
        f.truncateSync(size); // sparse: nothing is written
        f.close();
        assert.throws(
          () => unzip(denoWriteFs, { dir: `${tmp}/out`, module: m, zipFile, codec: nodeCodec }),
          (e: Error) => e.message.includes(want),
        );
        Deno.removeSync(zipFile);
      });
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});
