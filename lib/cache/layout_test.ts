import assert from "node:assert/strict";
import { toolchainCacheDir } from "../toolchain/locate.ts";
import { cachePaths, isValidSum, raceSafeCopy, sysWriteBits } from "./mod.ts";
import { denoWriteFs } from "../host/fs_write.ts";

Deno.test("cachePaths() escapes like modfetch.CachePath and agrees with locate", () => {
  const p = cachePaths("/c", {
    path: "golang.org/toolchain",
    version: "v0.0.1-go1.22.0.linux-amd64",
  });
  assert.deepEqual(p, {
    dir: "/c/golang.org/toolchain@v0.0.1-go1.22.0.linux-amd64",
    downloadDir: "/c/cache/download/golang.org/toolchain/@v",
    zip: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.zip",
    ziphash: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.ziphash",
    lock: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.lock",
    partial: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.partial",
    info: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.info",
    mod: "/c/cache/download/golang.org/toolchain/@v/v0.0.1-go1.22.0.linux-amd64.mod",
  });
  for (
    const [name, goos, goarch] of [
      ["go1.22.0", "linux", "amd64"],
      ["go1.21rc2", "darwin", "arm64"],
      ["go1.23.4", "windows", "386"],
    ]
  ) {
    assert.equal(
      cachePaths("/c", {
        path: "golang.org/toolchain",
        version: `v0.0.1-${name}.${goos}-${goarch}`,
      })
        .dir,
      toolchainCacheDir("/c", name, goos, goarch),
    );
  }
  assert.equal(
    cachePaths("/c", { path: "github.com/Azure/x", version: "v1.0.0-RC1" }).zip,
    "/c/cache/download/github.com/!azure/x/@v/v1.0.0-!r!c1.zip",
  );
});

Deno.test("isValidSum() mirrors modfetch.isValidSum", () => {
  assert.ok(isValidSum("h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0="));
  assert.ok(!isValidSum("h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR0"));
  assert.ok(!isValidSum("h1:rRL9rPpsjKfpdDFcppvNgw1/dynUMrpDcTxdIwtyFR\0="));
  assert.ok(!isValidSum(""));
});

Deno.test("sysWriteBits() follows the umask as toolchain.sysWriteBits", () => {
  assert.equal(sysWriteBits(0o022), 0o700);
  assert.equal(sysWriteBits(0o077), 0o700);
  assert.equal(sysWriteBits(0o002), 0o770);
  assert.equal(sysWriteBits(0o000), 0o777);
});

Deno.test({
  name: "raceSafeCopy() copies into a read-only directory and restores its mode",
  ignore: Deno.build.os === "windows",
  fn: () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-copy-" });
    try {
      Deno.mkdirSync(`${dir}/src`);
      Deno.writeTextFileSync(`${dir}/src/_go.mod`, "module std\n", { mode: 0o444 });
      Deno.chmodSync(`${dir}/src/_go.mod`, 0o444);
      Deno.chmodSync(`${dir}/src`, 0o555);
      raceSafeCopy(denoWriteFs, `${dir}/src/_go.mod`, `${dir}/src/go.mod`, 0o700);
      assert.equal(Deno.readTextFileSync(`${dir}/src/go.mod`), "module std\n");
      assert.equal(Deno.statSync(`${dir}/src/go.mod`).mode! & 0o777, 0o444);
      assert.equal(Deno.statSync(`${dir}/src`).mode! & 0o777, 0o555);
      // Done already (same size): nothing is touched, even in a read-only dir.
      raceSafeCopy(denoWriteFs, `${dir}/src/_go.mod`, `${dir}/src/go.mod`, 0o700);
    } finally {
      Deno.chmodSync(`${dir}/src`, 0o755);
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "raceSafeCopy() in a read-only tree restores the directory read-only, whatever it read",
  ignore: Deno.build.os === "windows",
  fn: () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-copy-" });
    try {
      Deno.mkdirSync(`${dir}/src`);
      Deno.writeTextFileSync(`${dir}/src/_go.mod`, "module std\n", { mode: 0o444 });
      Deno.chmodSync(`${dir}/src/_go.mod`, 0o444);
      // A racing go command has made src writable for its own copy.
      Deno.chmodSync(`${dir}/src`, 0o755);
      raceSafeCopy(denoWriteFs, `${dir}/src/_go.mod`, `${dir}/src/go.mod`, 0o700, true);
      assert.equal(Deno.readTextFileSync(`${dir}/src/go.mod`), "module std\n");
      assert.equal(Deno.statSync(`${dir}/src`).mode! & 0o777, 0o555);
      // Outside a read-only tree (-modcacherw) the mode read is restored, as Go does.
      Deno.removeSync(`${dir}/src/go.mod`);
      raceSafeCopy(denoWriteFs, `${dir}/src/_go.mod`, `${dir}/src/go.mod`, 0o700, false);
      assert.equal(Deno.statSync(`${dir}/src`).mode! & 0o777, 0o555);
    } finally {
      Deno.chmodSync(`${dir}/src`, 0o755);
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
