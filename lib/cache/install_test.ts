import assert from "node:assert/strict";
import { isCachedToolchain } from "../toolchain/locate.ts";
import { denoFs } from "../host/fs.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import {
  cachePaths,
  install,
  type InstallEvent,
  isDownloaded,
  listInstalled,
  remove,
} from "./mod.ts";
import { hash1 } from "../sumdb/mod.ts";
import { assembleZip } from "../modzip/_testzip.ts";
import { env, fixtureRemoveAll, request, snapshot, streamOf, toolchainZip } from "./_testutil.ts";

async function withCache(f: (gomodcache: string) => Promise<void>) {
  const dir = Deno.makeTempDirSync({ prefix: "gtc-cache-" });
  try {
    await f(`${dir}/mod`);
  } finally {
    await fixtureRemoveAll(dir);
  }
}

const tz = await toolchainZip({ version: "go1.99.1", goos: "linux", goarch: "amd64" });
const umask = denoWriteFs.umask();

Deno.test("install() writes the go command's layout and a ready toolchain", () =>
  withCache(async (gomodcache) => {
    const { req, counts } = request(tz);
    const events: InstallEvent[] = [];
    req.onEvent = (e) => events.push(e);
    const res = await install(env(gomodcache), req);
    const p = cachePaths(gomodcache, req.module);
    assert.equal(res.dir, `${gomodcache}/golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64`);
    assert.deepEqual([res.downloaded, res.extracted, res.h1], [true, true, tz.h1]);
    // One pass: the hash came from the bytes as they arrived.
    assert.equal(res.hashedWhileDownloading, true);
    assert.deepEqual(counts, { fetch: 1, verify: 1 });
    assert.equal(events[0].kind, "downloading");
    assert.equal(
      (events[0] as { message: string }).message,
      "go: downloading go1.99.1 (linux/amd64)",
    );
    // .ziphash: exactly the 47 bytes of the hash, no newline.
    assert.equal(Deno.readTextFileSync(p.ziphash), tz.h1);
    assert.equal(Deno.statSync(p.ziphash).size, 47);
    assert.deepEqual(Deno.readFileSync(p.zip), tz.zip);
    assert.ok(Deno.statSync(p.lock).isFile);
    assert.equal(denoFs.stat(p.partial), undefined);
    // Nothing else in the download directory.
    assert.deepEqual(
      [...Deno.readDirSync(p.downloadDir)].map((e) => e.name).sort(),
      [
        "v0.0.1-go1.99.1.linux-amd64.lock",
        "v0.0.1-go1.99.1.linux-amd64.zip",
        "v0.0.1-go1.99.1.linux-amd64.ziphash",
      ],
    );
    // The tree: dirs 0555, files 0444 except the fix-ups' 0555; _go.mod copied.
    const snap = snapshot(res.dir);
    const mode = (rel: string) => snap.find((l) => l.startsWith(rel + " "))?.split(" ")[2];
    const ro = (0o555 & ~umask).toString(8);
    assert.equal(mode("bin/"), ro);
    assert.equal(mode("bin/go"), ro);
    assert.equal(mode("bin/gofmt"), ro);
    assert.equal(mode("pkg/tool/linux_amd64/compile"), ro);
    assert.equal(mode("lib/wasm/go_js_wasm_exec"), ro);
    assert.equal(mode("lib/time/README"), (0o444 & ~umask).toString(8));
    assert.equal(mode("src/go.mod"), (0o444 & ~umask).toString(8));
    assert.equal(mode("src/cmd/go.mod"), (0o444 & ~umask).toString(8));
    assert.equal(
      Deno.readTextFileSync(`${res.dir}/src/cmd/go.mod`),
      Deno.readTextFileSync(`${res.dir}/src/cmd/_go.mod`),
    );
    assert.ok(snap.filter((l) => l.includes(" dir ")).every((l) => l.split(" ")[2] === ro));
    // The reader side agrees.
    assert.ok(isDownloaded(denoFs, p));
    assert.ok(isCachedToolchain(denoFs, res.dir));
    assert.deepEqual(listInstalled(denoWriteFs, gomodcache), [{
      version: "v0.0.1-go1.99.1.linux-amd64",
      name: "go1.99.1",
      goos: "linux",
      goarch: "amd64",
      dir: res.dir,
      complete: true,
    }]);
    const out = new Deno.Command(`${res.dir}/bin/go`, { args: ["version"] }).outputSync();
    assert.equal(new TextDecoder().decode(out.stdout), "go version go1.99.1 linux/amd64\n");
  }));

Deno.test("install() on a cache hit only verifies again (checkMod)", () =>
  withCache(async (gomodcache) => {
    await install(env(gomodcache), request(tz).req);
    const { req, counts } = request(tz);
    const res = await install(env(gomodcache), req);
    assert.deepEqual([res.downloaded, res.extracted, res.h1], [false, false, tz.h1]);
    assert.deepEqual(counts, { fetch: 0, verify: 1 });
    // A refusal on a cache hit is final too.
    const bad = request(tz, {
      verify: () => {
        throw new Error("SECURITY ERROR");
      },
    });
    await assert.rejects(install(env(gomodcache), bad.req), /SECURITY ERROR/);
  }));

Deno.test("install() leaves nothing when verification fails", () =>
  withCache(async (gomodcache) => {
    const refusal = new Error(
      "verifying golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64: checksum mismatch",
    );
    const { req, counts } = request(tz, {
      verify: () => {
        throw refusal;
      },
    });
    await assert.rejects(install(env(gomodcache), req), (e) => e === refusal);
    assert.equal(counts.fetch, 1);
    const p = cachePaths(gomodcache, req.module);
    assert.deepEqual([...Deno.readDirSync(p.downloadDir)].map((e) => e.name), [
      "v0.0.1-go1.99.1.linux-amd64.lock",
    ]);
    assert.equal(denoFs.stat(p.dir), undefined);
    assert.deepEqual(listInstalled(denoWriteFs, gomodcache), []);
  }));

Deno.test("install() refuses a zip with foreign entries before hashing", () =>
  withCache(async (gomodcache) => {
    const other = await toolchainZip({ version: "go1.99.2", goos: "linux", goarch: "amd64" });
    const { req, counts } = request(tz);
    req.fetchZip = () => Promise.resolve(streamOf(other.zip));
    await assert.rejects(
      install(env(gomodcache), req),
      {
        message:
          "zip for golang.org/toolchain@v0.0.1-go1.99.1.linux-amd64 has unexpected file golang.org/toolchain@v0.0.1-go1.99.2.linux-amd64/CONTRIBUTING.md",
      },
    );
    assert.equal(counts.verify, 0);
    const p = cachePaths(gomodcache, req.module);
    assert.deepEqual([...Deno.readDirSync(p.downloadDir)].map((e) => e.name), [
      "v0.0.1-go1.99.1.linux-amd64.lock",
    ]);
  }));

Deno.test("install() hashes what it extracts when the central directory hides a streamed entry", () =>
  withCache(async (gomodcache) => {
    // Two local entries named "a"; the central directory lists only the
    // second. The stream saw "streamed" first, the go command and the
    // extractor read only "extracted": the hash must be of that.
    const m = { path: "example.com/m", version: "v1.0.0" };
    const name = "example.com/m@v1.0.0/a";
    const zip = assembleZip(
      [{ name, data: "streamed\n" }, { name, data: "extracted\n" }],
      (r) => [r[1]],
    );
    const want = hash1([name], () => new TextEncoder().encode("extracted\n"));
    let verified = "";
    const res = await install(env(gomodcache), {
      module: m,
      fetchZip: () => Promise.resolve(streamOf(zip)),
      verify: (h) => {
        verified = h;
      },
    });
    assert.equal(res.hashedWhileDownloading, false);
    assert.equal(verified, want);
    assert.equal(res.h1, want);
    assert.equal(Deno.readTextFileSync(`${res.dir}/a`), "extracted\n");
  }));

Deno.test("install() recovers the states a crash can leave", async (t) => {
  await t.step(
    "zip without .ziphash: re-hashed, not downloaded",
    () =>
      withCache(async (gomodcache) => {
        await install(env(gomodcache), request(tz).req);
        const p = cachePaths(gomodcache, request(tz).req.module);
        Deno.removeSync(p.ziphash);
        const { req, counts } = request(tz);
        const res = await install(env(gomodcache), req);
        assert.deepEqual(counts, { fetch: 0, verify: 1 });
        // As in Go: once the re-hash rewrote .ziphash, unzip's re-check under
        // the lock finds the tree complete and keeps it.
        assert.ok(!res.extracted);
        assert.equal(Deno.readTextFileSync(p.ziphash), tz.h1);
      }),
  );
  await t.step(
    ".partial with a half tree, stale temp files: cleaned and redone",
    () =>
      withCache(async (gomodcache) => {
        const p = cachePaths(gomodcache, request(tz).req.module);
        Deno.mkdirSync(`${p.dir}/bin`, { recursive: true });
        Deno.writeTextFileSync(`${p.dir}/bin/go`, "half");
        Deno.chmodSync(`${p.dir}/bin`, 0o555);
        Deno.mkdirSync(p.downloadDir, { recursive: true });
        Deno.writeTextFileSync(p.partial, "");
        Deno.writeTextFileSync(p.ziphash, tz.h1);
        Deno.writeTextFileSync(`${p.zip}123.tmp`, "junk");
        Deno.mkdirSync(`${p.dir}.tmp-456`);
        assert.ok(!isCachedToolchain(denoFs, p.dir));
        const { req, counts } = request(tz);
        const res = await install(env(gomodcache), req);
        assert.deepEqual([res.downloaded, res.extracted], [true, true]);
        assert.deepEqual(counts, { fetch: 1, verify: 1 });
        assert.equal(denoFs.stat(`${p.zip}123.tmp`), undefined);
        assert.equal(denoFs.stat(`${p.dir}.tmp-456`), undefined);
        assert.ok(isCachedToolchain(denoFs, p.dir));
        assert.notEqual(Deno.readTextFileSync(`${p.dir}/bin/go`), "half");
      }),
  );
  await t.step(
    "damaged .ziphash (NULs from a torn write): re-hashed",
    () =>
      withCache(async (gomodcache) => {
        await install(env(gomodcache), request(tz).req);
        const p = cachePaths(gomodcache, request(tz).req.module);
        Deno.writeFileSync(p.ziphash, new Uint8Array(47));
        const { req, counts } = request(tz);
        const res = await install(env(gomodcache), req);
        assert.deepEqual(counts, { fetch: 0, verify: 1 });
        assert.ok(!res.extracted);
        assert.equal(Deno.readTextFileSync(p.ziphash), tz.h1);
      }),
  );
});

Deno.test("remove() deletes the tree and its download files, keeps the lock", () =>
  withCache(async (gomodcache) => {
    const { req } = request(tz);
    await install(env(gomodcache), req);
    Deno.writeTextFileSync(cachePaths(gomodcache, req.module).info, "{}\n");
    assert.equal(await remove(denoWriteFs, gomodcache, req.module), true);
    const p = cachePaths(gomodcache, req.module);
    assert.deepEqual([...Deno.readDirSync(p.downloadDir)].map((e) => e.name), [
      "v0.0.1-go1.99.1.linux-amd64.lock",
    ]);
    assert.equal(denoFs.stat(p.dir), undefined);
    assert.equal(await remove(denoWriteFs, gomodcache, req.module), false);
    // And it installs again.
    assert.ok((await install(env(gomodcache), request(tz).req)).extracted);
  }));

Deno.test("listInstalled() reports incomplete trees as such", () =>
  withCache(async (gomodcache) => {
    const { req } = request(tz);
    await install(env(gomodcache), req);
    Deno.writeTextFileSync(cachePaths(gomodcache, req.module).partial, "");
    assert.deepEqual(listInstalled(denoWriteFs, gomodcache).map((t) => [t.name, t.complete]), [
      ["go1.99.1", false],
    ]);
  }));
