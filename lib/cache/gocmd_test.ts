/**
 * The module cache shared with the real go command (go >= 1.21; checked with
 * go1.26): a toolchain gtc installed is used by `go` without a download, and
 * one `go` installed is recognised and used by gtc, and both leave the same
 * tree. Uses the loopback GOPROXY and checksum database of tests/fixtures.
 * Skipped, with a message, when there is no go command.
 *
 * Findings (see also the report in docs/design/acquisition.md's notes):
 * - On a cache hit `go` still runs checkMod, which asks the checksum database
 *   (toolchains always need it, spec §4.6). A hermetic test needs either a
 *   checksum database it can reach (the fixture's, GOSUMDB="<key> <url>",
 *   GOPROXY=off is fine) or GOPROXY=file://… with no ',' or '|' together with
 *   GOSUMDB=off (useSumDB's distpack-testing exception); the file:// proxy is
 *   never read on a cache hit, so it may point nowhere.
 * - With GOPROXY=off and GOSUMDB=off, `go` refuses even a complete cache
 *   entry: "verifying module: checksum database disabled by GOSUMDB=off".
 */

import assert from "node:assert/strict";
import { isCachedToolchain } from "../toolchain/locate.ts";
import { denoFs } from "../host/fs.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import { type Fixture, startFixture } from "../../tests/fixtures/mod.ts";
import { cachePaths, install, listInstalled } from "./mod.ts";
import { env, fixtureRemoveAll, request, snapshot } from "./_testutil.ts";

function findGo(): string | undefined {
  for (
    const c of [
      "/usr/local/go/bin/go",
      ...(Deno.env.get("PATH") ?? "").split(":").map((d) => `${d}/go`),
    ]
  ) {
    try {
      if (Deno.statSync(c).isFile) return c;
    } catch {
      // next
    }
  }
}

const goExe = findGo();
const ignore = goExe === undefined || Deno.build.os === "windows";
if (ignore) console.log("lib/cache/gocmd_test.ts: no go command; skipping");

// runGo must not block the event loop: the fixture's servers run in this process.
async function runGo(
  fx: Fixture,
  gomodcache: string,
  extra: Record<string, string>,
  args: string[],
) {
  const out = await new Deno.Command(goExe!, {
    args,
    cwd: fx.work,
    clearEnv: true,
    env: { ...fx.env, GOMODCACHE: gomodcache, GOTOOLCHAIN: "go1.99.1", ...extra },
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

async function withFixture(f: (fx: Fixture) => Promise<void>) {
  const fx = await startFixture({ platforms: ["linux-amd64"] });
  try {
    await f(fx);
  } finally {
    await fx.close();
  }
}

Deno.test({
  name: "go uses a toolchain gtc installed, without downloading it",
  ignore: ignore || Deno.build.arch !== "x86_64" || Deno.build.os !== "linux",
  fn: () =>
    withFixture(async (fx) => {
      const tz = fx.toolchain("go1.99.1");
      await install(env(fx.gomodcache), request(tz).req);
      const zipPath = fx.zipPath("go1.99.1");
      const dir = cachePaths(fx.gomodcache, { path: tz.path, version: tz.moduleVersion }).dir;
      const before = snapshot(dir);

      // 1. Checksum database reachable, no proxy at all.
      let r = await runGo(fx, fx.gomodcache, { GOPROXY: "off" }, ["version"]);
      assert.equal(r.stdout, "go version go1.99.1 linux/amd64\n", r.stderr);
      assert.equal(r.stderr, "");
      // 2. The distpack-testing exception: file:// proxy (never read) and GOSUMDB=off.
      r = await runGo(fx, fx.gomodcache, { GOPROXY: "file:///nonexistent", GOSUMDB: "off" }, [
        "version",
      ]);
      assert.equal(r.stdout, "go version go1.99.1 linux/amd64\n", r.stderr);
      // 3. Without either, go refuses even a complete cache entry.
      r = await runGo(fx, fx.gomodcache, { GOPROXY: "off", GOSUMDB: "off" }, ["version"]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /checksum database disabled by GOSUMDB=off/);
      // go found the first-use fix-ups done and changed nothing.
      assert.deepEqual(snapshot(dir), before);
      // The proxy never served the zip.
      assert.equal(fx.requestCounts()[zipPath] ?? 0, 0);
    }),
});

Deno.test({
  name: "gtc recognises a toolchain go installed, and both write the same tree",
  ignore: ignore || Deno.build.arch !== "x86_64" || Deno.build.os !== "linux",
  fn: () =>
    withFixture(async (fx) => {
      const tz = fx.toolchain("go1.99.1");
      // go downloads, verifies, extracts and runs it (first-use fix-ups included).
      const r = await runGo(fx, fx.gomodcache, {}, ["version"]);
      assert.equal(r.stdout, "go version go1.99.1 linux/amd64\n", r.stderr);
      assert.equal(r.stderr, "go: downloading go1.99.1 (linux/amd64)\n");
      const m = { path: tz.path, version: tz.moduleVersion };
      const p = cachePaths(fx.gomodcache, m);
      assert.ok(isCachedToolchain(denoFs, p.dir));
      assert.deepEqual(listInstalled(denoWriteFs, fx.gomodcache).map((t) => [t.name, t.complete]), [
        ["go1.99.1", true],
      ]);
      assert.equal(Deno.readTextFileSync(p.ziphash), tz.h1);

      // gtc: a cache hit that only verifies.
      const { req, counts } = request(tz);
      const res = await install(env(fx.gomodcache), req);
      assert.deepEqual([res.downloaded, res.extracted, counts.fetch, counts.verify], [
        false,
        false,
        0,
        1,
      ]);

      // gtc installing into another cache gives the same tree and files.
      const other = `${fx.dir}/gtcmod`;
      await install(env(other), request(tz).req);
      const q = cachePaths(other, m);
      assert.deepEqual(snapshot(q.dir), snapshot(p.dir));
      assert.deepEqual(Deno.readFileSync(q.zip), Deno.readFileSync(p.zip));
      assert.equal(Deno.readTextFileSync(q.ziphash), Deno.readTextFileSync(p.ziphash));
      const names = (d: string) => [...Deno.readDirSync(d)].map((e) => e.name).sort();
      // go also wrote .info/.mod? (a toolchain switch does not)
      assert.deepEqual(names(q.downloadDir), names(p.downloadDir));
      await fixtureRemoveAll(other);
    }),
});
