/**
 * Unzip and HashZip against the x/mod zip/testdata/unzip cases (x/mod
 * v0.42.0, as vendored in go1.26) and gtc's hostile archives, one .txtar per
 * case in testdata/unzip. Every expected error and hash was produced by
 * x/mod's Unzip, dirhash.HashDir and dirhash.HashZip on the same zip bytes.
 */

import assert from "node:assert/strict";
import { hash1 } from "../sumdb/mod.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import { nodeCodec } from "../host/zip_codec.ts";
import { loadFixture } from "./_testzip.ts";
import { hashZip, unzip } from "./mod.ts";

const dir = new URL("./testdata/unzip/", import.meta.url);

// hashDir mirrors dirhash.HashDir(dir, prefix, Hash1): regular files only,
// named prefix/<slash path>.
function hashDir(root: string, prefix: string): string {
  const files: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      const r = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) walk(`${d}/${e.name}`, r);
      else files.push(r);
    }
  };
  walk(root, "");
  return hash1(
    files.map((f) => `${prefix}/${f}`),
    (n) => Deno.readFileSync(`${root}/${n.slice(prefix.length + 1)}`),
  );
}

// assertOnlyFilesAndDirs checks what Unzip may create: regular 0444 files
// and directories, never links, nothing outside root.
function assertOnlyFilesAndDirs(root: string) {
  for (const e of Deno.readDirSync(root)) {
    const p = `${root}/${e.name}`;
    const st = Deno.lstatSync(p);
    assert.ok(!st.isSymlink, `${p} is a symlink`);
    if (st.isDirectory) assertOnlyFilesAndDirs(p);
    else {
      assert.ok(st.isFile, `${p} is not a regular file`);
      assert.equal(st.mode! & 0o777, 0o444 & ~denoWriteFs.umask(), `${p} mode`);
    }
  }
}

Deno.test("unzip() and hashZip() agree with x/mod on testdata/unzip", async (t) => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-unzip-" });
  try {
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.endsWith(".txtar"))
      .sort();
    assert.ok(names.length >= 40);
    for (const name of names) {
      await t.step(name.replace(".txtar", ""), () => {
        const f = loadFixture(name, Deno.readFileSync(new URL(name, dir)));
        const zipFile = `${tmp}/${name}.zip`;
        Deno.writeFileSync(zipFile, f.zip);
        const target = `${tmp}/${name}.d`;
        if (f.target === "nonempty") {
          Deno.mkdirSync(target);
          Deno.writeFileSync(`${target}/x`, new Uint8Array());
        }
        const m = { path: f.path, version: f.version };
        const wantErr = f.wantErr.replace("$DIR", target);
        let err: Error | undefined;
        try {
          unzip(denoWriteFs, { dir: target, module: m, zipFile, codec: nodeCodec });
        } catch (e) {
          err = e as Error;
        }
        if (wantErr !== "") {
          assert.ok(err, `unexpected success; want error containing ${wantErr}`);
          assert.ok(err.message.startsWith(`unzip ${zipFile}: `), err.message);
          assert.ok(err.message.includes(wantErr), `got ${err.message}\nwant ${wantErr}`);
        } else {
          assert.equal(err, undefined);
          assertOnlyFilesAndDirs(target);
          assert.equal(hashDir(target, `${f.path}@${f.version}`), f.hash);
        }
        let hash = "";
        let hashErr = "";
        try {
          hash = hashZip(denoWriteFs, zipFile, nodeCodec);
        } catch (e) {
          hashErr = (e as Error).message;
        }
        assert.equal(hashErr, f.hashErr);
        assert.equal(hash, f.zipHash);
      });
    }
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});

Deno.test("unzip() of a symlink entry writes the link text as a 0444 file", () => {
  const tmp = Deno.makeTempDirSync({ prefix: "gtc-unzip-" });
  try {
    const f = loadFixture("symlink", Deno.readFileSync(new URL("symlink_entry.txtar", dir)));
    Deno.writeFileSync(`${tmp}/z.zip`, f.zip);
    unzip(denoWriteFs, {
      dir: `${tmp}/out`,
      module: { path: f.path, version: f.version },
      zipFile: `${tmp}/z.zip`,
      codec: nodeCodec,
    });
    const st = Deno.lstatSync(`${tmp}/out/link`);
    assert.ok(st.isFile && !st.isSymlink);
    assert.equal(Deno.readTextFileSync(`${tmp}/out/link`), "/etc/passwd\n");
  } finally {
    Deno.removeSync(tmp, { recursive: true });
  }
});
