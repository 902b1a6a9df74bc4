/**
 * Crash safety and concurrency of install across processes: children killed
 * with SIGKILL at random points never leave a toolchain that the go command
 * or gtc would take as installed but is not complete, and the next install
 * succeeds; eight concurrent installs download once and all succeed.
 */

import assert from "node:assert/strict";
import { isCachedToolchain } from "../toolchain/locate.ts";
import { denoFs } from "../host/fs.ts";
import { denoWriteFs } from "../host/fs_write.ts";
import { cachePaths, install, isDownloaded, remove } from "./mod.ts";
import { env, fixtureRemoveAll, request, snapshot, toolchainZip } from "./_testutil.ts";

const child = new URL("./testdata/install_child.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;

// Enough files that extraction takes a while, so kills land in every phase.
const extra: Record<string, string> = {};
for (let i = 0; i < 600; i++) {
  extra[`src/pkg${i % 30}/f${i}.go`] = `package p\n// ${"x".repeat(i)}\n`;
}
const tz = await toolchainZip({
  version: "go1.99.1",
  goos: "linux",
  goarch: "amd64",
  files: extra,
});
const m = { path: tz.path, version: tz.moduleVersion };

function spawnChild(gomodcache: string, zipFile: string, log: string) {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--config",
      config,
      child,
      gomodcache,
      zipFile,
      m.path,
      m.version,
      tz.h1,
      log,
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

// seeded PRNG so a failing run can be repeated
function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

Deno.test({
  name: "install() killed at random points never leaves a visible partial toolchain",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-crash-" });
    try {
      const gomodcache = `${dir}/mod`;
      const zipFile = `${dir}/tc.zip`;
      Deno.writeFileSync(zipFile, tz.zip);
      const log = `${dir}/fetch.log`;

      // The reference tree, and how long a whole child run takes.
      const ref = `${dir}/ref`;
      await install(env(ref), request(tz).req);
      const want = snapshot(cachePaths(ref, m).dir);
      const t0 = performance.now();
      const full = await spawnChild(gomodcache, zipFile, log).output();
      assert.ok(full.success, new TextDecoder().decode(full.stderr));
      const duration = performance.now() - t0;
      await remove(denoWriteFs, gomodcache, m);

      const seed = Number(Deno.env.get("GTC_CRASH_SEED") ?? Date.now() % 100000);
      const rand = rng(seed);
      const runs = 24;
      const states: Record<string, number> = {};
      for (let i = 0; i < runs; i++) {
        const p = cachePaths(gomodcache, m);
        const proc = spawnChild(gomodcache, zipFile, log);
        // Up to a little past the typical run, so some runs finish.
        const delay = rand() * duration * 1.25;
        await new Promise((r) => setTimeout(r, delay));
        try {
          proc.kill("SIGKILL");
        } catch {
          // already exited
        }
        const st = await proc.output();
        const visible = isCachedToolchain(denoFs, p.dir);
        assert.equal(visible, isDownloaded(denoFs, p));
        const key = visible
          ? "complete"
          : denoFs.stat(p.partial)
          ? "partial"
          : denoFs.stat(p.zip)
          ? "zip only"
          : "nothing";
        states[key] = (states[key] ?? 0) + 1;
        if (visible) {
          assert.deepEqual(
            snapshot(p.dir),
            want,
            `seed ${seed} run ${i} (killed after ${
              delay.toFixed(0)
            } ms, exit ${st.code}): visible but incomplete`,
          );
        }
        // The next install succeeds and gives the whole tree.
        const res = await install(env(gomodcache), request(tz).req);
        assert.deepEqual(snapshot(res.dir), want, `seed ${seed} run ${i}: reinstall`);
        await remove(denoWriteFs, gomodcache, m);
      }
      console.log(
        `crash test seed ${seed}, child ${duration.toFixed(0)} ms, states after kill:`,
        states,
      );
    } finally {
      await fixtureRemoveAll(dir);
    }
  },
});

Deno.test({
  name: "install() in 8 concurrent processes downloads once and all succeed",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-concurrent-" });
    try {
      const gomodcache = `${dir}/mod`;
      const zipFile = `${dir}/tc.zip`;
      Deno.writeFileSync(zipFile, tz.zip);
      const log = `${dir}/fetch.log`;
      const procs = Array.from({ length: 8 }, () => spawnChild(gomodcache, zipFile, log));
      const outs = await Promise.all(procs.map((p) => p.output()));
      for (const o of outs) assert.ok(o.success, new TextDecoder().decode(o.stderr));
      const lines = outs.map((o) => new TextDecoder().decode(o.stdout).trim()).sort();
      assert.equal(Deno.readTextFileSync(log).trim().split("\n").length, 1);
      // One process downloads and one extracts (not necessarily the same:
      // the lock is released between the two steps, as in the go command).
      assert.equal(lines.filter((l) => l.startsWith("ok true ")).length, 1, lines.join("\n"));
      assert.equal(lines.filter((l) => l.endsWith(" true")).length, 1, lines.join("\n"));
      const ref = `${dir}/ref`;
      await install(env(ref), request(tz).req);
      assert.deepEqual(snapshot(cachePaths(gomodcache, m).dir), snapshot(cachePaths(ref, m).dir));
    } finally {
      await fixtureRemoveAll(dir);
    }
  },
});
