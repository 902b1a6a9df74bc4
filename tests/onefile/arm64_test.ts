/**
 * The one-file smoke suite on another CPU: the bundle on the arm64 Deno from
 * npm (@deno/linux-arm64-glibc) under qemu-aarch64. Kept small — each gtc
 * run costs many seconds under emulation — and run only when
 * GTC_TEST_ARM64=1 (.ci/run's separate arm64 step sets it), so the main test
 * command does not wait for it.
 */
import assert from "node:assert/strict";
import { runSmoke } from "./smoke.ts";
import { assertPassed, bundleInTemp } from "./_bundle.ts";

// The same version as this deno (scripts/deno's pin).
const DENO_VERSION = Deno.version.deno;
const SYSROOT = "/usr/aarch64-linux-gnu";

// arm64Deno returns the arm64 deno from npm (installed into the user's cache
// on first use), or why there is none.
async function arm64Deno(): Promise<{ deno?: string; reason?: string }> {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    return { reason: "the emulated run is set up for linux x86_64 hosts" };
  }
  const have = (p: string) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  };
  if (!have("/usr/bin/qemu-aarch64")) {
    return { reason: "no qemu-aarch64 (apt-get install qemu-user)" };
  }
  if (!have(`${SYSROOT}/lib/ld-linux-aarch64.so.1`) || !have(`${SYSROOT}/lib/libgcc_s.so.1`)) {
    return { reason: "no arm64 libc (apt-get install libc6-arm64-cross libgcc-s1-arm64-cross)" };
  }
  const cache = Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
  const prefix = `${cache}/gtc-test/deno-${DENO_VERSION}-linux-arm64`;
  const deno = `${prefix}/node_modules/@deno/linux-arm64-glibc/deno`;
  if (!have(deno)) {
    const r = await new Deno.Command("npm", {
      args: [
        "install",
        "--silent",
        "--no-audit",
        "--no-fund",
        "--force", // the package's os/cpu fields name another machine
        "--prefix",
        prefix,
        `@deno/linux-arm64-glibc@${DENO_VERSION}`,
      ],
      stdout: "null",
      stderr: "piped",
    }).output().catch((e) => ({ code: 127, stderr: new TextEncoder().encode(String(e)) }));
    if (r.code !== 0 || !have(deno)) {
      return {
        reason: `cannot install @deno/linux-arm64-glibc@${DENO_VERSION} from npm: ${
          new TextDecoder().decode(r.stderr).trim()
        }`,
      };
    }
  }
  return { deno };
}

const arm64 = Deno.env.get("GTC_TEST_ARM64") === "1"
  ? await arm64Deno()
  : { reason: "set GTC_TEST_ARM64=1 to run it (.ci/run's arm64 step does)" };
if (arm64.reason) console.log(`skipping the arm64 one-file run: ${arm64.reason}`);

Deno.test({
  name: "the bundle runs on the arm64 deno under qemu-aarch64: why, install, exec",
  ignore: arm64.deno === undefined,
  async fn() {
    const file = await bundleInTemp();
    try {
      const results = await runSmoke({
        gtc: ["qemu-aarch64", "-L", SYSROOT, arm64.deno!, "run", "-A", "--no-config", file],
        platform: "linux-arm64",
        // Kept small: each gtc run costs seconds under emulation. The daemon
        // steps would also need binfmt_misc, for gtc to start itself.
        only: ["why", "install", "exec"],
      });
      assert.equal(results.length, 3);
      assertPassed(results);
    } finally {
      await Deno.remove(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    }
  },
});
