/**
 * lockFile excludes other processes the way the go command's lockedfile
 * does: checked against flock(1), which takes flock(2) locks like
 * lockedfile's filelock_unix.go. Skipped where flock(1) is missing.
 */

import assert from "node:assert/strict";
import { lockFile } from "./lock.ts";

function hasFlock(): boolean {
  try {
    return new Deno.Command("flock", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

const ignore = Deno.build.os === "windows" || !hasFlock();

Deno.test({
  name: "lockFile() holds off flock(1), and waits for it",
  ignore,
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-lock-" });
    try {
      const path = `${dir}/v.lock`;
      // We hold it: a non-blocking flock(1) fails with exit 1.
      const unlock = await lockFile(path);
      assert.equal(Deno.statSync(path).mode! & 0o777, 0o666 & ~Deno.umask());
      const busy = await new Deno.Command("flock", { args: ["-n", "-x", path, "true"] }).output();
      assert.equal(busy.code, 1);
      unlock();
      unlock(); // harmless
      const free = await new Deno.Command("flock", { args: ["-n", "-x", path, "true"] }).output();
      assert.equal(free.code, 0);

      // flock(1) holds it for 700 ms: lockFile waits until it lets go.
      const holder = new Deno.Command("flock", {
        args: ["-x", path, "-c", "echo held; sleep 0.7"],
        stdout: "piped",
      }).spawn();
      const reader = holder.stdout.getReader();
      await reader.read(); // "held"
      const t0 = performance.now();
      const unlock2 = await lockFile(path);
      const waited = performance.now() - t0;
      unlock2();
      reader.releaseLock();
      await holder.stdout.cancel();
      await holder.status;
      assert.ok(waited >= 400, `waited only ${waited} ms`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "lockFile() excludes a second open in the same process (flock is per open file)",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-lock-" });
    try {
      const path = `${dir}/v.lock`;
      const unlock = await lockFile(path);
      let second = false;
      const p = lockFile(path).then((u) => {
        second = true;
        u();
      });
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(second, false);
      unlock();
      await p;
      assert.equal(second, true);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
