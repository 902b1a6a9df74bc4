/**
 * gtc as one file: scripts/bundle.ts writes gtc.js into an empty temp
 * directory, and the smoke suite (smoke.ts) runs every kind of command from
 * that file alone on this Deno. (arm64_test.ts runs it on the arm64 Deno
 * under qemu.)
 */
import assert from "node:assert/strict";
import { runSmoke } from "./smoke.ts";
import { assertPassed, bundleInTemp } from "./_bundle.ts";

Deno.test("the bundle alone runs every command: why … install … daemon … hooks … ci", async () => {
  const file = await bundleInTemp();
  const dir = file.slice(0, file.lastIndexOf("/"));
  try {
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["gtc.js"]);
    const text = Deno.readTextFileSync(file);
    // deno bundle marks each module with its path: gtc's own and npm's only.
    const modules = [...text.matchAll(/^\/\/ (\S+)$/gm)].map((m) => m[1]);
    assert.ok(modules.includes("cli/main.ts"), "no cli/main.ts in the bundle");
    assert.deepEqual(modules.filter((m) => /^tests\/|_test\.ts$|fixtures/.test(m)), []);
    const results = await runSmoke({
      gtc: [Deno.execPath(), "run", "--allow-all", "--no-config", "--no-prompt", file],
      daemonArg: file,
    });
    assert.equal(results.length, 14);
    assertPassed(results);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
