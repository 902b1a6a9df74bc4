/**
 * The one-file bundle on an ARMv6 CPU: Debian's armel nodejs (Node 18,
 * built for ARMv6K + VFPv2) under `qemu-arm -cpu arm1176` (the Raspberry Pi
 * Zero/1 core), fetched and extracted by scripts/armel_node.sh, not
 * installed. gtc must see the machine as GOARCH=arm (GOARM=6) and pick the
 * linux-arm toolchain module, never amd64. Each gtc run costs many seconds
 * under emulation, so only when GTC_TEST_ARMEL=1 (a separate CI step).
 */
import assert from "node:assert/strict";
import { runSmoke } from "./smoke.ts";
import { assertPassed, bundleInTemp } from "./_bundle.ts";

const root = new URL("../..", import.meta.url).pathname;

// armelNode fetches the armel node tree (cached per user) and returns the
// argv that runs it under qemu-arm, or why it cannot.
async function armelNode(): Promise<{ argv?: string[]; reason?: string }> {
  if (Deno.build.os !== "linux") return { reason: "the emulated run is set up for Linux hosts" };
  try {
    Deno.statSync("/usr/bin/qemu-arm");
  } catch {
    return { reason: "no qemu-arm (apt-get install qemu-user)" };
  }
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
  const tree = `${cache}/gtc-test/armel-node`;
  const r = await new Deno.Command(`${root}scripts/armel_node.sh`, {
    args: [tree],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (r.code !== 0) return { reason: new TextDecoder().decode(r.stderr).trim() };
  const node = new TextDecoder().decode(r.stdout).trim();
  // Without an armel ld.so.cache the loader only finds the multiarch
  // directories through LD_LIBRARY_PATH (host paths: qemu's -L does not
  // remap search directories).
  const libs = `${tree}/lib/arm-linux-gnueabi:${tree}/usr/lib/arm-linux-gnueabi`;
  return {
    argv: ["qemu-arm", "-cpu", "arm1176", "-L", tree, "-E", `LD_LIBRARY_PATH=${libs}`, node],
  };
}

const armel = Deno.env.get("GTC_TEST_ARMEL") === "1" ? await armelNode() : {
  reason: "set GTC_TEST_ARMEL=1 to run it (scripts/armel_node.sh fetches Debian's armel nodejs)",
};
if (armel.reason) console.log(`skipping the armel one-file run: ${armel.reason}`);

Deno.test({
  name: "the bundle runs on armel node under qemu-arm -cpu arm1176: GOARCH=arm, why, current",
  ignore: armel.argv === undefined,
  async fn() {
    const file = await bundleInTemp();
    const dir = file.slice(0, file.lastIndexOf("/"));
    try {
      // Node 18 takes an ES module by its name only.
      const mjs = `${dir}/gtc.mjs`;
      await Deno.copyFile(file, mjs);
      const gtc = [...armel.argv!, mjs];

      // The machine's platform: a go.mod needing a newer go selects the
      // linux-arm toolchain module.
      const m = `${dir}/m`;
      Deno.mkdirSync(m);
      Deno.writeTextFileSync(`${m}/go.mod`, "module example.com/m\n\ngo 1.99.1\n");
      const r = await new Deno.Command(gtc[0], {
        args: [...gtc.slice(1), "why", "--json", "--no-daemon", m],
        env: { GOTOOLCHAIN: "auto", GTC_HOME: `${dir}/home`, GOMODCACHE: `${dir}/modcache` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(r.stderr);
      assert.equal(r.code, 0, err);
      const x = JSON.parse(new TextDecoder().decode(r.stdout));
      assert.equal(x.exe, `${dir}/modcache/golang.org/toolchain@v0.0.1-go1.99.1.linux-arm/bin/go`);

      const only = ["--version", "why", "current"];
      const results = await runSmoke({ gtc, platform: "linux-arm", only });
      assert.deepEqual(results.map((r) => r.name), only);
      for (const r of results) console.log(`${r.name}: ${(r.ms / 1000).toFixed(1)} s`);
      assertPassed(results);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
